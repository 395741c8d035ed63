from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from imports import framework
from imports.reading import read_table
from imports.returns import ApplyRefused
from indicators import definitions, services
from indicators.models import Target
from tests.imports.helpers import Council, csv_bytes

pytestmark = pytest.mark.django_db

HEADINGS = ["code", "title", "unit", "polarity", "frequency", "decimal_places", "service", "cumulative",
            "target_period", "target"]  # fmt: skip


def check(rows):
    table = read_table(csv_bytes(rows, HEADINGS), "f.csv", required=framework.REQUIRED, known=framework.KNOWN)
    return framework.check(table, None)


def test_every_problem_by_row_and_column():
    council = Council()
    result = check(
        [
            ["N1", "New", "percent", "higher", "quarter", "1", "waste", "", "", ""],  # 2: unit
            ["N2", "New", "number", "up", "quarter", "1", "waste", "", "", ""],  # 3: polarity
            ["N3", "New", "number", "higher", "quarter", "7", "nowhere", "maybe", "", ""],  # 4: places, service, yes/no
            ["N4", "New", "number", "higher", "quarter", "0", "", "", "", ""],  # 5: fine
            ["N4", "Renamed", "number", "higher", "quarter", "0", "", "", "", ""],  # 6: differs from row 5
            ["N5", "New", "number", "higher", "quarter", "0", "", "", "2025/26 Q1", "1.5"],  # 7: target places
            ["N6", "New", "number", "higher", "month", "0", "", "", "2025/26 Q1", "3"],  # 8: period frequency
        ]
    )
    found = {(e["row"], e["column"]) for e in result.errors}
    assert found == {(2, "C"), (3, "D"), (4, "F"), (4, "G"), (4, "H"), (6, "A"), (7, "J"), (8, "J")}
    assert council.service.indicators.filter(code__startswith="N").count() == 0


def test_existing_indicator_changes_are_previewed():
    council = Council()
    result = check([["ENV3", "Fly-tips reported", "number", "none", "quarter", "0", "waste", "", "", ""]])
    assert result.errors == []
    assert result.changes[0]["action"] == "update" and "title" in result.changes[0]["after"]
    assert council.count.title == "Fly-tips"


def test_the_frequency_of_an_indicator_with_targets_or_figures_cannot_change():
    council = Council()  # ENV1a has a target, ENV3 has neither targets nor figures
    rows = [
        ["ENV1a", "Household waste recycled", "percentage", "higher", "month", "1", "waste", "", "", ""],
        ["ENV3", "Fly-tips", "number", "none", "month", "0", "waste", "", "", ""],
    ]
    result = check(rows)
    assert [(e["row"], e["heading"]) for e in result.errors] == [(2, "frequency")]
    assert "frequency cannot change" in result.errors[0]["message"]

    table = read_table(csv_bytes(rows[1:], HEADINGS), "f.csv", required=framework.REQUIRED, known=framework.KNOWN)
    framework.apply(table, council.team, versions=framework.check(table, None).versions)
    council.count.refresh_from_db()
    assert council.count.frequency == "month"
    assert council.count.history.latest().history_user == council.team
    # The rule is the service's, whoever calls it.
    with pytest.raises(ValidationError, match="frequency cannot change"):
        definitions.indicator_update(indicator=council.recycling, changes={"frequency": "month"}, by=council.team)
    council.recycling.refresh_from_db()
    assert council.recycling.frequency == "quarter"


def test_a_target_that_is_not_a_number_is_not_told_to_give_a_reason():
    # A target has no "not available" alternative: that hint is for figures (returns) only.
    Council()
    result = check([["N7", "New", "number", "higher", "quarter", "0", "", "", "2025/26 Q1", "n/a"]])
    assert [e["message"] for e in result.errors] == ["The target must be a number, like 1,234."]


def test_aliases_are_imported_with_the_framework_and_codes_match_ignoring_case():
    council = Council()
    headings = ["code", "title", "unit", "polarity", "frequency", "decimal_places", "service", "aliases"]
    rows = [
        ["env 3", "Fly-tips", "number", "none", "quarter", "0", "waste", "ENV03; Env 3a"],  # ENV3, two aliases
        ["N1", "New", "number", "higher", "quarter", "0", "waste", "HOU1"],  # another indicator's code
        ["N2", "New", "number", "higher", "quarter", "0", "waste", "env03"],  # ENV3's alias, given above
    ]
    table = read_table(csv_bytes(rows, headings), "f.csv", required=framework.REQUIRED, known=framework.KNOWN)
    result = framework.check(table, None)
    assert [(e["row"], e["column"], e["message"]) for e in result.errors] == [
        (3, "H", "“HOU1” is the code of another indicator."),
        (4, "H", "“env03” is also given as an alias of ENV3."),
    ]
    table = read_table(csv_bytes(rows[:1], headings), "f.csv", required=framework.REQUIRED, known=framework.KNOWN)
    result = framework.check(table, None)
    assert [(c["code"], c["after"]) for c in result.changes] == [("ENV3", "Adds aliases ENV03; Env 3a")]
    framework.apply(table, council.team, versions=result.versions)
    assert sorted(council.count.aliases.values_list("alias", flat=True)) == ["ENV03", "Env 3a"]
    again = framework.check(table, None)
    assert again.changes == [] and again.errors == []


def test_every_indicator_field_is_imported_in_words():
    council = Council()
    national = definitions.indicator_create(
        fields={"code": "NI 192", "title": "Household waste recycled", "kind": "national", "is_collected": False},
        by=council.team,
    )
    headings = ["code", "title", "unit", "polarity", "frequency", "cumulative", "kind", "national_indicator",
                "responsible_officer", "tolerance", "tolerance_mode", "baseline", "baseline_year", "collected_from",
                "entry_basis", "allows_negative"]  # fmt: skip
    row = ["ENV3", "Fly-tips", "number", "none", "quarter", "yes", "local/proxy", "ni192", "Olly.Officer", "10%",
           "relative", "12", "2024/25", "Q1 2025/26", "year to date", "yes"]  # fmt: skip
    table = read_table(csv_bytes([row], headings), "f.csv", required=framework.REQUIRED, known=framework.KNOWN)
    result = framework.check(table, None)
    assert result.errors == []
    assert result.changes[0]["after"] == (
        "Changes cumulative, kind, national indicator, responsible officer, tolerance, tolerance mode, baseline, "
        "baseline year, collected from, entered per period or year to date, negative figures allowed"
    )
    framework.apply(table, council.team, versions=result.versions)
    council.count.refresh_from_db()
    assert (council.count.national_indicator, council.count.responsible_officer) == (national, council.officer)
    assert (council.count.tolerance, council.count.entry_basis, council.count.allows_negative) == (
        Decimal("0.1"),
        "year_to_date",
        True,
    )
    assert framework.check(table, None).changes == []
    # A year-to-date entry basis needs a cumulative indicator: the indicator's own rule, at its column.
    row[5] = "no"
    table = read_table(csv_bytes([row], headings), "f.csv", required=framework.REQUIRED, known=framework.KNOWN)
    assert [(e["column"], e["heading"]) for e in framework.check(table, None).errors] == [("O", "entry_basis")]


TARGETS = ["code", "title", "unit", "polarity", "frequency", "decimal_places", "service", "target_period", "target"]


def test_targets_the_file_does_not_give_are_kept_or_removed_if_asked_with_the_preview_saying_so():
    council = Council()  # ENV1a has a 2025/26 Q2 target of 50
    services.target_set(
        indicator=council.recycling, period=council.q3, value=Decimal(55), rationale="", by=council.team
    )
    row = ["ENV1a", "Household waste recycled", "percentage", "higher", "quarter", "1", "waste", "2025/26 Q3", "55"]
    table = read_table(csv_bytes([row], TARGETS), "f.csv", required=framework.REQUIRED, known=framework.KNOWN)

    kept = framework.check(table, None)
    assert kept.errors == [] and kept.changes == []
    assert kept.notes == ["ENV1a: the file gives no target for 2025/26 Q2; kept as they are."]

    removing = framework.check(table, None, remove_targets=True)
    assert removing.notes == ["ENV1a: the file gives no target for 2025/26 Q2; removed."]
    assert [(c["action"], c["period"], c["before"], c["after"]) for c in removing.changes] == [
        ("delete", "2025/26 Q2", "Target 2025/26 Q2: 50.0% (draft)", "Removed: the file gives no target for it")
    ]
    assert removing.as_result()["summary"]["removes"] == 1

    framework.apply(table, council.team, versions=removing.versions, remove_targets=True)
    assert list(Target.objects.filter(indicator=council.recycling).values_list("period__number", flat=True)) == [3]
    again = framework.check(table, None, remove_targets=True)
    assert again.changes == [] and again.notes == []


def test_removing_targets_is_all_or_nothing_and_needs_a_file_that_gives_targets():
    council = Council()
    row = ["ENV1a", "Household waste recycled", "percentage", "higher", "quarter", "1", "waste", "2025/26 Q3", "55"]
    table = read_table(csv_bytes([row], TARGETS), "f.csv", required=framework.REQUIRED, known=framework.KNOWN)
    checked = framework.check(table, None, remove_targets=True)
    # Someone changes the target to be removed after the preview: nothing is imported.
    services.target_set(
        indicator=council.recycling, period=council.q2, value=Decimal(51), rationale="Trend", by=council.team
    )
    with pytest.raises(ApplyRefused):
        framework.apply(table, council.team, versions=checked.versions, remove_targets=True)
    assert Target.objects.filter(indicator=council.recycling).count() == 1
    assert not Target.objects.filter(period=council.q3).exists()

    no_targets = read_table(
        csv_bytes([row[:7]], TARGETS[:7]), "f.csv", required=framework.REQUIRED, known=framework.KNOWN
    )
    assert [e["message"] for e in framework.check(no_targets, None, remove_targets=True).errors] == [
        "The file gives no targets (it has no target_period column), so it cannot say which to remove. "
        "Add the targets, or import it without removing targets."
    ]


def test_the_retired_after_column_retires_an_indicator_and_is_checked_as_the_pages_check_it():
    council = Council()
    headings = ["code", "title", "unit", "polarity", "frequency", "collected_from", "retired_after"]
    row = ["ENV3", "Fly-tips", "number", "none", "quarter", "", "2025/26 Q2"]
    table = read_table(csv_bytes([row], headings), "f.csv", required=framework.REQUIRED, known=framework.KNOWN)
    result = framework.check(table, None)
    assert result.errors == []
    assert result.changes[0]["after"] == "Changes retired after"
    framework.apply(table, council.team, versions=result.versions)
    council.count.refresh_from_db()
    assert council.count.retired_after == council.q2

    # Retired before it is collected: refused at the column, nothing changes.
    row = ["ENV3", "Fly-tips", "number", "none", "quarter", "2025/26 Q3", "2025/26 Q1"]
    table = read_table(csv_bytes([row], headings), "f.csv", required=framework.REQUIRED, known=framework.KNOWN)
    assert [(e["heading"], e["message"]) for e in framework.check(table, None).errors] == [
        (
            "retired_after",
            "The period it is retired after (2025/26 Q1) must not be before the period it is collected from "
            "(2025/26 Q3).",
        )
    ]
    # A figure after the period it would be retired after: refused, saying which.
    services.outturn_record(indicator=council.count, period=council.q2, by=council.team, value=Decimal(4))
    row = ["ENV3", "Fly-tips", "number", "none", "quarter", "", "2025/26 Q1"]
    table = read_table(csv_bytes([row], headings), "f.csv", required=framework.REQUIRED, known=framework.KNOWN)
    assert [(e["heading"], e["message"]) for e in framework.check(table, None).errors] == [
        ("retired_after", "It has a figure for 2025/26 Q2, outside the periods it would be collected for.")
    ]


@pytest.mark.parametrize(
    ("tolerance", "mode", "stored", "problem"),
    [
        ("5", "relative", Decimal("0.05"), ""),
        ("7.5%", "relative", Decimal("0.075"), ""),
        ("2", "absolute", Decimal("2"), ""),
        ("150", "relative", None, "A tolerance cannot be more than 100% of the target."),
        ("2%", "absolute", None, "A tolerance in points is an amount, without %: for example 2."),
        ("-1", "relative", None, "The tolerance cannot be negative."),
    ],
)
def test_a_tolerance_is_written_as_a_percentage_or_as_points_never_as_a_fraction(tolerance, mode, stored, problem):
    council = Council()
    headings = ["code", "title", "unit", "polarity", "frequency", "tolerance", "tolerance_mode"]
    row = ["ENV3", "Fly-tips", "number", "none", "quarter", tolerance, mode]
    table = read_table(csv_bytes([row], headings), "f.csv", required=framework.REQUIRED, known=framework.KNOWN)
    result = framework.check(table, None)
    assert [e["message"] for e in result.errors] == ([problem] if problem else [])
    if not problem:
        framework.apply(table, council.team, versions=result.versions)
        council.count.refresh_from_db()
        assert (council.count.tolerance, council.count.tolerance_mode) == (stored, mode)
