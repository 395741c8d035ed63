import pytest

from imports import benchmarks
from imports.reading import read_table
from tests.imports.helpers import Council, csv_bytes

pytestmark = pytest.mark.django_db

HEADINGS = list(benchmarks.REQUIRED)


def test_a_council_twice_and_a_value_that_is_not_a_number():
    Council()
    data = csv_bytes(
        [
            ["ENV3", "2025/26 Q2", "CIPFA", "Anytown", "12"],
            ["ENV3", "2025/26 Q2", "CIPFA", "Anytown", "13"],
            ["ENV3", "2025/26 Q2", "CIPFA", "Othertown", "lots"],
            ["ENV3", "2025/26 Q2", "CIPFA", "Thirdtown", "n/a"],  # published as missing: skipped
        ],
        HEADINGS,
    )
    table = read_table(data, "f.csv", required=benchmarks.REQUIRED, known=benchmarks.KNOWN)
    result = benchmarks.check(table, None)
    assert [(e["row"], e["column"], e["message"]) for e in result.errors] == [
        (3, "D", "Anytown for ENV3 2025/26 Q2 is also on row 2."),
        # Benchmarks have no reason for a missing figure, so the message offers none.
        (4, "E", "The value must be a number, like 1,234."),
    ]
    assert result.skipped == 1
