"""Budget monitoring imported like every other file: checked, previewed, applied whole or not at all."""

import datetime
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from imports import budget
from imports.models import ImportRun, Kind, Status
from imports.reading import FileProblem, read_table
from reviews import services
from reviews.models import BudgetLine
from tests.imports.helpers import Council, csv_bytes, xlsx_bytes
from tests.indicators.factories import period
from tests.organisation.factories import ServiceFactory

pytestmark = pytest.mark.django_db

HEADINGS = ["service_code", "period", "budget", "forecast_outturn", "savings_target", "savings_delivered", "commentary"]


@pytest.fixture
def council():
    council = Council()
    council.parks = ServiceFactory(code="PARKS", name="Parks")
    return council


def checked(data: bytes, user, name="budget.csv"):
    table = read_table(data, name, required=budget.REQUIRED, known=budget.KNOWN)
    return table, budget.check(table, user)


def problems(result):
    return [(e["row"], e["column"], e["message"]) for e in result.errors]


def entered(council, service=None, **amounts):
    return services.budget_line_set(
        service=service or council.service,
        period=council.q2,
        by=council.team,
        **{"budget": D(1000), "forecast_outturn": D(1000), **amounts},
    )


class TestCheck:
    def test_accepts_amounts_as_finance_writes_them(self, council):
        data = csv_bytes(
            [
                ["waste", "2025/26 Q2", "£1,000", "1100.5", "50", "10", "Agency staff"],
                ["parks", "2025/26 Q2", "-£250.00", "0", "", "", ""],  # codes in any case; savings optional
            ],
            HEADINGS,
        )
        _, result = checked(data, council.team)
        assert result.errors == []
        assert [(line.service, line.budget, line.forecast_outturn) for line in result.pending] == [
            (council.service, D(1000), D("1100.5")),
            (council.parks, D(-250), D(0)),
        ]
        assert (result.pending[1].savings_target, result.pending[1].savings_delivered) == (0, 0)
        assert result.changes[0]["after"] == (
            "Budget £1,000.00, forecast outturn £1,100.50; savings £10.00 delivered of £50.00"
        )
        assert [c["action"] for c in result.changes] == ["create", "create"]

    def test_the_optional_columns_may_be_left_out(self, council):
        data = csv_bytes([["waste", "2025/26 Q2", "1", "2"]], HEADINGS[:4])
        _, result = checked(data, council.team)
        assert result.errors == [] and result.pending[0].commentary == ""

    def test_every_problem_is_reported_by_row_and_column(self, council):
        period("2025/26")
        data = csv_bytes(
            [
                ["NOPE", "2025/26 Q2", "10", "10", "", "", ""],
                ["waste", "2025/26", "ten", "", "1.005", "", ""],
                ["waste", "2025/26 Q9", "1e3", "1,2,3", "", "", ""],
                ["", "", "10", "10", "", "", "x" * 10_001],
                ["parks", "2025/26 Q2", "1", "1", "", "", ""],
                ["PARKS", "2025/26 Q2", "2", "2", "", "", ""],
            ],
            HEADINGS,
        )
        _, result = checked(data, council.team)
        amount = "must be an amount in pounds, like £1,234.50."
        assert problems(result) == [
            (2, "A", "No service has the code “NOPE”."),
            (3, "B", "Budget monitoring is entered for a quarter, such as 2025/26 Q2; 2025/26 is not."),
            (3, "C", f"The budget {amount}"),
            (3, "D", "Enter the forecast outturn."),
            (3, "E", "The savings target must be in pounds and pence: no more than 2 decimal places."),
            (4, "B", result.errors[5]["message"]),
            (4, "C", f"The budget {amount}"),
            (4, "D", f"The forecast outturn {amount}"),
            (5, "A", "Enter the service code."),
            (5, "B", "Enter the period, such as 2025/26 Q1, 2025/26 Apr or 2025/26."),
            (5, "G", "This text is too long: keep it under 10,000 characters."),
            (7, "A", "PARKS for 2025/26 Q2 is also on row 6."),
        ]
        assert "Q9" in result.errors[5]["message"]

    def test_a_date_is_not_an_amount(self, council):

        data = xlsx_bytes([["waste", "2025/26 Q2", datetime.date(2025, 7, 1), 5]], HEADINGS[:4])
        _, result = checked(data, council.team, "budget.xlsx")
        assert problems(result) == [
            (2, "C", "The budget is a date (2025-07-01T00:00:00), not an amount. Enter the amount in pounds.")
        ]

    def test_a_workbook_reads_numbers_as_amounts(self, council):
        data = xlsx_bytes([["WASTE", "2025/26 Q2", 1234.5, 1300]], HEADINGS[:4])
        _, result = checked(data, council.team, "budget.xlsx")
        assert result.errors == [] and result.pending[0].budget == D("1234.5")

    def test_a_line_already_as_entered_is_left_alone_and_a_changed_one_replaced(self, council):
        entered(council, commentary="On track")
        entered(council, council.parks)
        data = csv_bytes(
            [["waste", "2025/26 Q2", "1,000.00", "1000", "", "", "On track"], ["parks", "2025/26 Q2", "1000", "900"]],
            HEADINGS,
        )
        _, result = checked(data, council.team)
        assert result.unchanged == 1
        assert [(c["code"], c["action"], c["before"]) for c in result.changes] == [
            ("PARKS", "update", "Budget £1,000.00, forecast outturn £1,000.00; savings £0.00 delivered of £0.00")
        ]

    def test_checking_does_not_query_per_row(self, council):
        few = csv_bytes([["waste", "2025/26 Q2", "1", "1"]], HEADINGS[:4])
        many = csv_bytes(
            [["waste", f"2025/26 Q{q}", "1", "1"] for q in (1, 2, 3)] + [["parks", "2025/26 Q1", "1", "1"]],
            HEADINGS[:4],
        )
        counts = []
        for data in (few, many):
            table = read_table(data, "f.csv", required=budget.REQUIRED, known=budget.KNOWN)
            with CaptureQueriesContext(connection) as queries:
                budget.check(table, council.team)
            counts.append(len(queries))
        assert counts[0] == counts[1]

    def test_the_row_limit_applies(self, council, settings):
        settings.PMIS_IMPORT_MAX_ROWS = 2
        data = csv_bytes([["waste", f"2025/26 Q{q}", "1", "1"] for q in (1, 2, 3)], HEADINGS[:4])
        with pytest.raises(FileProblem, match=r"The file has 3 rows; up to 2 can be imported\."):
            read_table(data, "budget.csv", required=budget.REQUIRED, known=budget.KNOWN)


class TestApply:
    def test_applies_every_line_with_history(self, council):
        entered(council, council.parks)
        data = csv_bytes(
            [["waste", "2025/26 Q2", "1000", "1100", "50", "10", "Agency staff"], ["parks", "2025/26 Q2", "5", "4"]],
            HEADINGS,
        )
        table, result = checked(data, council.team)
        summary = budget.apply(table, council.team, versions=result.versions)
        assert (summary["creates"], summary["updates"]) == (1, 1)
        waste = BudgetLine.objects.get(service=council.service)
        assert (waste.budget, waste.forecast_outturn, waste.savings_target, waste.commentary) == (
            D(1000),
            D(1100),
            D(50),
            "Agency staff",
        )
        parks = BudgetLine.objects.get(service=council.parks)
        assert (parks.budget, parks.forecast_outturn) == (D(5), D(4))
        assert parks.history.count() == 2 and parks.history.latest().history_user == council.team

    def test_a_line_entered_after_the_check_refuses_the_whole_file(self, council):
        data = csv_bytes([["waste", "2025/26 Q2", "1", "1"], ["parks", "2025/26 Q2", "2", "2"]], HEADINGS[:4])
        table, result = checked(data, council.team)
        entered(council)
        with pytest.raises(budget.ApplyRefused, match="Someone changed budget monitoring"):
            budget.apply(table, council.team, versions=result.versions)
        assert not BudgetLine.objects.filter(service=council.parks).exists()
        assert BudgetLine.objects.get().budget == D(1000)


def upload(client, data: bytes, name="budget.csv"):
    return client.post(reverse("imports:budget"), {"file": SimpleUploadedFile(name, data)})


class TestJourney:
    def test_upload_preview_confirm(self, client, council):
        client.force_login(council.team)
        page = client.get(reverse("imports:budget")).content.decode()
        assert "Import budget monitoring" in page and reverse("reviews:budget") in page
        data = csv_bytes([["waste", "2025/26 Q2", "£1,000", "1100", "", "", "Agency staff"]], HEADINGS)
        response = upload(client, data)
        run = ImportRun.objects.get()
        assert run.kind == Kind.BUDGET and run.status == Status.READY
        page = client.get(response.url).content.decode()
        assert "Waste" in page and "forecast outturn £1,100.00" in page and not BudgetLine.objects.exists()
        client.post(reverse("imports:run-apply", args=[run.pk]))
        run.refresh_from_db()
        assert run.status == Status.APPLIED
        assert BudgetLine.objects.get().forecast_outturn == D(1100)
        assert "Waste" in client.get(reverse("reviews:budget")).content.decode()

    def test_a_refused_file_saves_nothing(self, client, council):
        entered(council)
        client.force_login(council.team)
        data = csv_bytes(
            [["waste", "2025/26 Q2", "5", "5"], ["parks", "2025/26 Q2", "5", "5"], ["NOPE", "2025/26 Q2", "5", "5"]],
            HEADINGS[:4],
        )
        response = upload(client, data)
        run = ImportRun.objects.get()
        assert run.status == Status.INVALID
        page = client.get(response.url).content.decode()
        assert "Nothing has been imported" in page and "Row 4, column A (service_code)" in page
        assert BudgetLine.objects.get().budget == D(1000) and BudgetLine.objects.count() == 1

    def test_a_file_too_large_is_refused(self, client, council, settings):
        settings.PMIS_IMPORT_MAX_BYTES = 100
        client.force_login(council.team)
        response = upload(client, csv_bytes([["waste", "2025/26 Q2", "1", "1"]] * 20, HEADINGS[:4]))
        assert response.status_code == 200 and "files up to 100 bytes can be imported" in response.content.decode()
        assert not ImportRun.objects.exists()

    def test_only_the_performance_team_imports_budgets(self, client, council):
        client.force_login(council.officer)
        assert client.get(reverse("imports:budget")).status_code == 403
        assert upload(client, csv_bytes([["waste", "2025/26 Q2", "1", "1"]], HEADINGS[:4])).status_code == 403
        assert not ImportRun.objects.exists()
