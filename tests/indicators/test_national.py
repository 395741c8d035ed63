import pytest

from indicators.models import Indicator, Kind
from indicators.national import national_indicators_load, read_national_indicators


def test_the_data_file_is_valid_and_every_row_names_its_source():
    rows = read_national_indicators()
    assert rows
    assert all(row["source"].startswith(("http://", "https://")) for row in rows)
    numbers = [int(row["code"].split()[1]) for row in rows]
    assert numbers == sorted(numbers)


@pytest.mark.django_db
def test_loading_twice_adds_nothing_and_corrects_changed_titles():
    created, updated = national_indicators_load()
    assert (created, updated) == (len(read_national_indicators()), 0)
    first = Indicator.objects.order_by("pk").first()
    assert (first.kind, first.is_collected) == (Kind.NATIONAL, False)
    first.title = "Wrong title"
    first.save()
    assert national_indicators_load() == (0, 1)
    first.refresh_from_db()
    assert first.title != "Wrong title"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("code,name,source\n", "header must be code,title,source"),
        ("code,title,source\nNI 199,Satisfaction,http://x\n", "line 2: 'NI 199' is not a code"),
        ("code,title,source\nNI 5,Title,http://x\nNI 5,Again,http://y\n", "line 3: NI 5 appears twice"),
        ("code,title,source\nNI 7,,http://x\n", "needs a title and a source"),
        ("code,title,source\nNI7,Title,http://x\n", "is not a code"),
    ],
)
def test_a_bad_data_file_is_refused_with_the_line(tmp_path, content, message):
    path = tmp_path / "nis.csv"
    path.write_text(content)
    with pytest.raises(ValueError, match=message):
        read_national_indicators(path)


@pytest.mark.django_db
def test_a_bad_data_file_loads_nothing(tmp_path):
    path = tmp_path / "nis.csv"
    path.write_text("code,title,source\nNI 1,Fine,http://x\nNI 1,Twice,http://y\n")
    with pytest.raises(ValueError):
        national_indicators_load(path)
    assert not Indicator.objects.exists()
