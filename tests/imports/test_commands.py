"""The framework, benchmarks and budget commands: the page's checks, preview and all-or-nothing apply."""

import pytest
from django.core.management import CommandError, call_command

from imports.models import CodeAlias
from indicators.models import BenchmarkValue, Indicator, Target
from reviews.models import BudgetLine
from tests.imports.helpers import Council, csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def council():
    return Council()


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_import_framework_previews_in_words_lists_targets_it_leaves_and_applies(council, tmp_path, capsys):
    headings = ["code", "title", "unit", "polarity", "frequency", "cumulative", "aliases", "target_period", "target"]
    rows = [
        ["ENV1a", "Household waste recycled", "percentage", "higher", "quarter", "yes", "ENV 01a", "", ""],
        ["N1", "New", "number", "higher", "quarter", "no", "", "2025/26 Q1", "5"],
    ]
    path = write(tmp_path, "framework.xlsx", xlsx_bytes(rows, headings))
    call_command("import_framework", path, "--user", "pat.performance", "--dry-run")
    out = capsys.readouterr().out
    assert "Row 2: ENV1a: Changes cumulative" in out  # in words, not is_cumulative
    assert "Row 2: ENV1a: Adds aliases ENV 01a" in out
    assert "ENV1a: the file gives no target for 2025/26 Q2; kept as they are." in out
    assert "Dry run" in out and not Indicator.objects.filter(code="N1").exists()
    call_command("import_framework", path, "--user", "pat.performance")
    assert Indicator.objects.get(code="ENV1a").is_cumulative and Indicator.objects.filter(code="N1").exists()
    assert CodeAlias.objects.get().alias == "ENV 01a"
    call_command("import_framework", path, "--user", "pat.performance", "--dry-run")
    assert "0 to add, 0 to change" in capsys.readouterr().out


def test_import_benchmarks_with_a_named_group(council, tmp_path, capsys):
    data = csv_bytes([["ENV3", "Q2 2025/26", "Anytown", "12"], ["ENV3", "Q2 2025/26", "England", "10"]],
                     ["indicator_code", "period", "area", "value"])  # fmt: skip
    path = write(tmp_path, "benchmarks.csv", data)
    call_command("import_benchmarks", path, "--user", "pat.performance", "--group", "All districts")
    assert list(BenchmarkValue.objects.values_list("group", "council", "value")) == [("All districts", "Anytown", 12)]


def test_problems_print_in_row_order_and_the_exit_is_non_zero(council, tmp_path, capsys):
    headings = ["service_code", "period", "budget", "forecast_outturn"]
    data = csv_bytes([["waste", "2025/26 Q2", "1", "x"], ["nope", "Q9 2025", "1", "1"]], headings)
    path = write(tmp_path, "budget.csv", data)
    with pytest.raises(CommandError, match="problem"):
        call_command("import_budget", path, "--user", "pat.performance")
    lines = capsys.readouterr().err.splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "Row 2, column D (forecast_outturn)",
        "Row 3, column A (service_code)",
        "Row 3, column B (period)",
    ]
    assert not BudgetLine.objects.exists()
    with pytest.raises(CommandError, match="may not import"):
        call_command("import_budget", path, "--user", "olly.officer")


def test_import_framework_removes_the_targets_the_file_does_not_give_when_asked(council, tmp_path, capsys):
    headings = [
        "code",
        "title",
        "unit",
        "polarity",
        "frequency",
        "decimal_places",
        "service",
        "target_period",
        "target",
    ]
    rows = [["ENV1a", "Household waste recycled", "percentage", "higher", "quarter", "1", "waste", "2025/26 Q3", "52"]]
    path = write(tmp_path, "framework.csv", csv_bytes(rows, headings))
    call_command("import_framework", path, "--user", "pat.performance", "--remove-targets", "--dry-run")
    out = capsys.readouterr().out
    assert (
        "Row 2: ENV1a 2025/26 Q2: Target 2025/26 Q2: 50.0% (draft) -> Removed: the file gives no target for it" in out
    )
    assert "1 to add, 0 to change, 1 to remove" in out
    call_command("import_framework", path, "--user", "pat.performance", "--remove-targets")
    assert "1 added, 0 changed, 1 removed." in capsys.readouterr().out
    targets = Target.objects.filter(indicator__code="ENV1a")
    assert [(str(t.period), t.value) for t in targets] == [("2025/26 Q3", 52)]
