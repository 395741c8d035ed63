import datetime
from decimal import Decimal as D

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from imports import returns
from imports.models import CodeAlias
from imports.reading import read_table
from indicators import services
from indicators.models import Outturn, OutturnState, Rag, Unit
from tests.imports.helpers import Council, csv_bytes, xlsx_bytes
from tests.indicators.factories import IndicatorFactory, period

pytestmark = pytest.mark.django_db


@pytest.fixture
def council():
    return Council()


def checked(data: bytes, user, name="returns.csv"):
    table = read_table(data, name, required=returns.REQUIRED, known=returns.KNOWN)
    return table, returns.check(table, user)


def messages(result):
    return [(e["row"], e["column"], e["message"]) for e in result.errors]


class TestCheck:
    def test_accepts_figures_as_councils_write_them(self, council):
        data = csv_bytes(
            [
                ["ENV1a", "2025/26 Q2", " 55.5% ", "", "Up on last year"],
                ["ENV2", "2025/26 Q2", "£1,234.50", "", ""],
                ["ENV3", "2025/26 Q2", "1,234", "", ""],
                ["ENV3", "2025/26 Q3", "\u00a01,234\u00a0", "", ""],
            ],
            bom=True,
        )
        _, result = checked(data, council.officer)
        assert result.errors == []
        after = [(c["code"], c["after"]) for c in result.changes]
        assert after == [("ENV1a", "55.5%"), ("ENV2", "£1,234.50"), ("ENV3", "1,234"), ("ENV3", "1,234")]
        assert [c["rag"] for c in result.changes] == [Rag.GREEN, Rag.NO_TARGET, Rag.DATA_ONLY, Rag.DATA_ONLY]

    def test_every_problem_is_reported_by_row_and_column(self, council):
        data = csv_bytes(
            [
                ["ENV1a", "2025/26 Q2", "n/a", "", ""],  # row 2: text in the value column
                ["ENV01a", "2025/26 Q2", "50", "", ""],  # row 3: unknown code, no alias
                ["HOU1", "2025/26 Q2", "5", "", ""],  # row 4: another service's indicator
                ["ENV2", "2025/26 Q9", "5", "", ""],  # row 5: no such period
                ["ENV2", "2025/26 Q1", "5.123", "", ""],  # row 6: too many decimal places
                ["ENV3", "2025/26 Q1", "-5", "", ""],  # row 7: fine (numbers may be negative)
                ["ENV3", "2025/26 Q1", "6", "", ""],  # row 8: duplicate of row 7
            ]
        )
        _, result = checked(data, council.officer)
        found = {(row, column): message for row, column, message in messages(result)}
        assert set(found) == {(2, "C"), (3, "A"), (4, "A"), (5, "B"), (6, "C"), (8, "A")}
        assert "not a figure" in found[(2, "C")] and "not_available_reason" in found[(2, "C")]
        assert "ENV01a" in found[(3, "A")] and "alias" in found[(3, "A")]
        assert "You do not report HOU1" in found[(4, "A")]
        assert "decimal places" in found[(6, "C")]
        assert "also on row 7" in found[(8, "A")]

    def test_codes_and_aliases_match_ignoring_case_and_spacing_but_nothing_else_is_guessed(self, council):
        CodeAlias.objects.create(alias="ENV 01a", indicator=council.recycling)
        data = csv_bytes(
            [
                ["env01A\u00a0", "2025/26 Q2", "60", "", ""],  # the alias, in another case and spacing
                [" env 2", "2025/26 Q2", "6", "", ""],  # ENV2
                ["ENV001a", "2025/26 Q1", "60", "", ""],  # zero-padding is not guessed
            ]
        )
        _, result = checked(data, council.officer)
        assert [(e["row"], e["column"]) for e in result.errors] == [(4, "A")]
        assert "Did you mean ENV1a?" in result.errors[0]["message"]
        assert [c["code"] for c in result.changes] == ["ENV1a", "ENV2"]

    def test_reason_instead_of_a_figure(self, council):
        data = csv_bytes([["ENV3", "2025/26 Q2", "", "Survey suspended", ""]])
        _, result = checked(data, council.officer)
        assert result.errors == [] and result.changes[0]["rag"] == Rag.NOT_AVAILABLE

    def test_cumulative_percentages_come_with_numerator_and_denominator(self, council):
        IndicatorFactory(code="ENV4", service=council.service, is_cumulative=True, unit=Unit.PERCENTAGE)
        headings = ["indicator_code", "period", "value", "numerator", "denominator"]
        data = csv_bytes([["ENV4", "2025/26 Q1", "", "45", "90"], ["ENV4", "2025/26 Q2", "40%", "", ""]], headings)
        _, result = checked(data, council.officer)
        assert [(e["row"], e["column"]) for e in result.errors] == [(3, "D")]
        assert result.changes[0]["after"] == "50.0%"

    def test_locked_periods_and_validated_figures_are_refused(self, council):
        figure = services.outturn_record(indicator=council.count, period=council.q1, value=D(3), by=council.officer)
        services.outturn_submit(outturn=figure, by=council.officer)
        services.outturn_validate(outturn=figure, by=council.team)
        services.period_lock(period=council.q1, by=council.team)
        data = csv_bytes([["ENV3", "2025/26 Q1", "4", "", ""]])
        _, result = checked(data, council.officer)
        assert "locked" in result.errors[0]["message"]

    def test_a_workbook_with_formulas_title_rows_and_percent_cells(self, council):
        data = xlsx_bytes(
            [["ENV1a", "2025/26 Q2", 0.555, None, "Fine"], ["ENV3", "2025/26 Q2", "=1+2", None, None]],
            title_rows=[["Waste returns"], []],
            formats={"C4": "0.0%"},
        )
        _, result = checked(data, council.officer, "returns.xlsx")
        # openpyxl writes formulas without a stored value; Excel would store 3. Read as empty.
        assert [c["after"] for c in result.changes] == ["55.5%"]
        assert result.skipped == 1

    def test_checking_does_not_query_per_row(self, council):
        few = csv_bytes([["ENV3", "2025/26 Q2", "1", "", ""]])
        many = csv_bytes(
            [["ENV1a", "2025/26 Q2", "55", "", ""], ["ENV2", "2025/26 Q2", "12.5", "", ""]]
            + [["ENV3", f"2025/26 Q{q}", str(q), "", ""] for q in (1, 2, 3, 4)]
        )
        counts = []
        for data in (few, many):
            table = read_table(data, "f.csv", required=returns.REQUIRED, known=returns.KNOWN)
            user = type(council.officer).objects.get(pk=council.officer.pk)
            with CaptureQueriesContext(connection) as queries:
                returns.check(table, user)
            counts.append(len(queries))
        assert counts[0] == counts[1]


class TestApply:
    def test_applies_all_with_history_and_ratings(self, council):
        data = csv_bytes([["ENV1a", "2025/26 Q2", "48", "", "Bins strike"], ["ENV3", "2025/26 Q2", "7", "", ""]])
        table, result = checked(data, council.officer)
        summary = returns.apply(table, council.officer, versions=result.versions)
        assert summary["creates"] == 2
        figure = Outturn.objects.select_related("rating").get(indicator=council.recycling, period=council.q2)
        assert figure.value == D("48") and figure.state == OutturnState.DRAFT
        assert figure.rating.rag == Rag.AMBER == result.changes[0]["rag"]
        assert figure.history.get().history_user == council.officer

    def test_reimporting_the_same_file_changes_nothing(self, council):
        data = csv_bytes([["ENV3", "2025/26 Q2", "7", "", ""]])
        table, result = checked(data, council.officer)
        returns.apply(table, council.officer, versions=result.versions)
        _, again = checked(data, council.officer)
        assert again.changes == [] and again.unchanged == 1

    def test_a_figure_saved_after_the_check_refuses_the_whole_file(self, council):
        data = csv_bytes([["ENV3", "2025/26 Q2", "7", "", ""], ["ENV2", "2025/26 Q2", "9", "", ""]])
        table, result = checked(data, council.officer)
        services.outturn_record(indicator=council.count, period=council.q2, value=D(1), by=council.officer)
        with pytest.raises(returns.ApplyRefused, match=r"Someone changed figures in this file .*\(ENV3 2025/26 Q2\)"):
            returns.apply(table, council.officer, versions=result.versions)
        assert not Outturn.objects.filter(indicator=council.cost).exists()


class TestQueriesAndStates:
    """Figures unusual against their history are queried; submitted and validated returns are named."""

    @pytest.fixture
    def history(self, council):
        # Fly-tips 5, 6, 5, 7 in 2024/25 and 6 in 2025/26 Q1: never zero.
        for label, value in (("2024/25 Q1", 5), ("2024/25 Q2", 6), ("2024/25 Q3", 5), ("2024/25 Q4", 7)):
            services.outturn_record(indicator=council.count, period=period(label), value=D(value), by=council.officer)
        services.outturn_record(indicator=council.count, period=council.q1, value=D(6), by=council.officer)
        return council

    def test_a_zero_where_there_has_never_been_one_is_queried_and_applies_once_confirmed(self, history):
        data = csv_bytes([["ENV3", "2025/26 Q2", "0", "", ""]])
        table, result = checked(data, history.officer)
        assert result.errors == []
        assert "Is this a real zero, or is the figure missing?" in result.changes[0]["queries"][0]
        with pytest.raises(returns.ApplyRefused, match="look unusual"):
            returns.apply(table, history.officer, versions=result.versions)
        returns.apply(table, history.officer, versions=result.versions, confirmed=True)
        assert Outturn.objects.get(indicator=history.count, period=history.q2).value == 0
        assert checked(data, history.officer)[1].changes == []

    def test_a_figure_outside_the_limits_or_far_from_the_last_is_queried(self, history, settings):
        settings.PMIS_SPC_MIN_POINTS = 4
        _, result = checked(csv_bytes([["ENV3", "2025/26 Q2", "60", "", ""]]), history.officer)
        queries = result.changes[0]["queries"]
        assert "60 is outside the process limits of the figures so far" in queries[0]
        assert queries[1] == "60 is 900% more than the previous period's figure (6): is it right?"
        _, result = checked(csv_bytes([["ENV3", "2025/26 Q2", "7", "", ""]]), history.officer)
        assert result.changes[0]["queries"] == []

    def test_a_validated_figure_is_changed_only_by_the_performance_team_with_a_reason(self, history):
        figure = Outturn.objects.get(indicator=history.count, period=history.q1)
        services.outturn_submit(outturn=figure, by=history.officer)
        services.outturn_validate(outturn=figure, by=history.team)
        data = csv_bytes([["ENV3", "2025/26 Q1", "7", "", ""]])
        _, result = checked(data, history.officer)
        assert "only the performance team" in result.errors[0]["message"]
        table, result = checked(data, history.team)
        assert result.errors == [] and result.as_result()["summary"]["validated"] == 1
        assert "Changes a validated figure" in result.changes[0]["notes"][0]
        with pytest.raises(returns.ApplyRefused, match="say why"):
            returns.apply(table, history.team, versions=result.versions)
        returns.apply(table, history.team, versions=result.versions, reason="Recount found one more")
        figure.refresh_from_db()
        assert (figure.value, figure.state) == (7, OutturnState.DRAFT)
        assert figure.amendment_reason == "Recount found one more"


class TestCommand:
    def test_queries_are_printed_and_the_import_refused_until_confirmed(self, council, tmp_path, capsys):
        services.outturn_record(indicator=council.count, period=council.q1, value=D(6), by=council.officer)
        path = tmp_path / "returns.csv"
        path.write_bytes(csv_bytes([["ENV3", "2025/26 Q2", "0", "", ""], ["ENV1a", "2025/26 Q2", "40", "", ""]]))
        with pytest.raises(CommandError, match="look unusual"):
            call_command("import_outturns", str(path), "--user", "olly.officer")
        assert "    Query: Is this a real zero" in capsys.readouterr().out
        call_command("import_outturns", str(path), "--user", "olly.officer", "--confirm", "--submit")
        assert "1 submitted, 1 drafts needing commentary" in capsys.readouterr().out
        assert Outturn.objects.get(indicator=council.count, period=council.q2).state == OutturnState.SUBMITTED

    def test_dry_run_prints_the_preview_and_saves_nothing(self, council, tmp_path, capsys):
        path = tmp_path / "returns.csv"
        path.write_bytes(csv_bytes([["ENV3", "2025/26 Q2", "7", "", ""]]))
        call_command("import_outturns", str(path), "--user", "olly.officer", "--dry-run")
        out = capsys.readouterr().out
        assert "Row 2: ENV3 2025/26 Q2: 7" in out and "Dry run" in out
        assert not Outturn.objects.exists()
        call_command("import_outturns", str(path), "--user", "olly.officer")
        assert Outturn.objects.get().value == 7

    def test_problems_are_printed_by_row_and_column(self, council, tmp_path, capsys):
        path = tmp_path / "returns.csv"
        path.write_bytes(csv_bytes([["HOU1", "2025/26 Q2", "7", "", ""]]))
        with pytest.raises(CommandError, match="1 problem"):
            call_command("import_outturns", str(path), "--user", "olly.officer")
        assert "Row 2, column A (indicator_code): You do not report HOU1" in capsys.readouterr().err


class TestMonthsForQuarterlyIndicators:
    def test_the_last_month_of_a_quarter_or_its_end_date_stands_for_the_quarter(self, council):
        period("2025/26 Sep"), period("2025/26 Dec")
        data = xlsx_bytes(
            [
                ["ENV1a", "Sep-25", "55.5", "", ""],
                ["ENV3", datetime.datetime(2025, 12, 31), "12", "", ""],
            ]
        )
        table, result = checked(data, council.officer, name="returns.xlsx")
        assert result.errors == []
        assert [(c["code"], c["period"]) for c in result.changes] == [("ENV1a", "2025/26 Q2"), ("ENV3", "2025/26 Q3")]
        returns.apply(table, council.officer, versions=result.versions)
        assert {(o.indicator.code, o.period) for o in Outturn.objects.all()} == {
            ("ENV1a", council.q2),
            ("ENV3", council.q3),
        }

    def test_a_month_inside_a_quarter_is_refused_saying_which_quarter_to_write(self, council):
        period("2025/26 Aug")
        _, result = checked(csv_bytes([["ENV1a", "August 2025", "55.5", "", ""]]), council.officer)
        assert messages(result) == [
            (
                2,
                "B",
                "2025/26 Aug is a month, and this indicator is collected quarterly: only the last month of a "
                "quarter stands for it. Write the quarter, such as 2025/26 Q2.",
            )
        ]
