import io
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from imports.models import ImportRun, Status
from indicators import services
from indicators.models import BenchmarkValue, Indicator, Outturn, OutturnState, Rag, Target
from tests.imports.helpers import Council, csv_bytes
from tests.indicators.factories import IndicatorFactory, period

pytestmark = pytest.mark.django_db


@pytest.fixture
def council():
    return Council()


def upload(client, data: bytes, name="returns.csv", url="imports:returns"):
    return client.post(reverse(url), {"file": SimpleUploadedFile(name, data)})


def fill_template(data: bytes, values: dict[str, tuple]) -> bytes:
    """Type into the template as an officer would in Excel: value, reason, commentary by code."""
    columns = (6, 9, 10)  # G value, J reason, K commentary
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook.active
    for row in sheet.iter_rows(min_row=2):
        if row[0].value in values:
            for column, value in zip(columns, values[row[0].value], strict=True):
                row[column].value = value
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


class TestReturnsJourney:
    def test_template_upload_preview_confirm(self, client, council):
        client.force_login(council.officer)
        response = client.get(reverse("imports:returns"), {"period": council.q2.pk, "scope": council.service.pk})
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert [row[0].value for row in sheet.iter_rows(min_row=2)] == ["ENV1a", "ENV2", "ENV3"]
        assert sheet.protection.sheet and not sheet["G2"].protection.locked and sheet["A2"].protection.locked
        assert sheet["E2"].value == 50  # the target, filled in

        filled = fill_template(response.content, {"ENV1a": (40, None, None), "ENV3": (None, "Survey paused", None)})
        response = upload(client, filled, "returns.xlsx")
        run = ImportRun.objects.get()
        assert response.url == reverse("imports:run", args=[run.pk])
        assert run.status == Status.READY
        page = client.get(response.url).content.decode()
        assert "What will be saved" in page and "Import these 2 rows" in page
        assert "Rated Red without commentary: saved as a draft" in page
        assert not Outturn.objects.exists()
        response = client.post(reverse("imports:run-apply", args=[run.pk]), {"submit": "on"})
        run.refresh_from_db()
        assert run.status == Status.APPLIED
        assert "Import complete" in client.get(response.url).content.decode()
        # The Red figure without commentary waits as a draft; the complete return is submitted.
        recycling = Outturn.objects.get(indicator=council.recycling)
        assert (recycling.rating.rag, recycling.state) == (Rag.RED, OutturnState.DRAFT)
        assert Outturn.objects.get(indicator=council.count).state == OutturnState.SUBMITTED

        filled = fill_template(filled, {"ENV1a": (40, None, "Contractor failed"), "ENV3": (None, "Survey off", None)})
        response = upload(client, filled, "returns.xlsx")
        page = client.get(response.url).content.decode()
        assert "Withdraws the submitted return to draft." in page and "Import these 2 rows" in page

    def test_bad_uploads_get_an_error_summary(self, client, council, settings):
        client.force_login(council.officer)
        page = client.post(reverse("imports:returns")).content.decode()
        assert "There is a problem" in page and 'href="#id_file"' in page and "Choose the file" in page
        settings.PMIS_IMPORT_MAX_BYTES = 100
        page = upload(client, b"x" * 101).content.decode()
        assert "files up to 100 bytes" in page
        assert not ImportRun.objects.exists()

    def test_template_form_errors(self, client, council):
        client.force_login(council.officer)
        page = client.get(reverse("imports:returns"), {"period": "", "scope": "mine"}).content.decode()
        assert "There is a problem" in page and "Choose the period" in page

    def test_template_download_runs_a_fixed_number_of_queries(self, client, council):
        client.force_login(council.officer)
        url = reverse("imports:returns")
        with CaptureQueriesContext(connection) as few:
            client.get(url, {"period": council.q2.pk, "scope": "mine"})
        for n in range(20):
            IndicatorFactory(code=f"ENV9{n}", service=council.service)
        with CaptureQueriesContext(connection) as many:
            response = client.get(url, {"period": council.q2.pk, "scope": "mine"})
        assert len(few) == len(many)
        assert len(list(load_workbook(io.BytesIO(response.content)).active.iter_rows())) == 24

    def test_a_template_for_an_earlier_year_with_figures_can_be_had_to_correct_them(self, client, council):
        old, empty = period("2019/20 Q3"), period("2019/20 Q4")
        services.outturn_record(indicator=council.count, period=old, value=D(4), by=council.officer)
        client.force_login(council.officer)
        page = client.get(reverse("imports:returns")).content.decode()
        assert f'value="{old.pk}"' in page and f'value="{empty.pk}"' not in page
        response = client.get(reverse("imports:returns"), {"period": old.pk, "scope": "mine"})
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert [(row[0].value, row[1].value) for row in sheet.iter_rows(min_row=2)][-1] == ("ENV3", "2019/20 Q3")

    def test_upload_page_is_a_fixed_number_of_queries(self, client, council):
        client.force_login(council.team)
        counts = []
        for imports in (1, 6):
            while ImportRun.objects.count() < imports:
                ImportRun.objects.create(kind="returns", user=council.team, filename="r.csv", data=b"")
            with CaptureQueriesContext(connection) as queries:
                page = client.get(reverse("imports:returns")).content.decode()
            counts.append(len(queries))
        assert counts[0] == counts[1] and page.count("r.csv, ") == 5

    def test_run_page_is_a_fixed_number_of_queries(self, client, council):
        client.force_login(council.officer)
        upload(client, csv_bytes([["ENV3", "2025/26 Q2", "1", "", ""]]))
        upload(client, csv_bytes([["ENV3", f"2025/26 Q{q}", str(q), "", ""] for q in (1, 2, 3, 4)]))
        small, large = ImportRun.objects.order_by("pk")
        counts = []
        for run in (small, large):
            with CaptureQueriesContext(connection) as queries:
                client.get(reverse("imports:run", args=[run.pk]))
            counts.append(len(queries))
        assert counts[0] == counts[1]

    def test_progress_page_refreshes_itself(self, client, council):
        client.force_login(council.officer)
        run = ImportRun.objects.create(
            kind="returns", user=council.officer, filename="big.csv", data=b"", rows_total=10_000, rows_checked=2_500
        )
        page = client.get(reverse("imports:run", args=[run.pk])).content.decode()
        assert 'http-equiv="refresh"' in page and "2500 of 10000 rows checked (25%)" in page

    def test_cannot_see_or_apply_someone_elses_import(self, client, council):
        client.force_login(council.officer)
        upload(client, csv_bytes([["ENV3", "2025/26 Q2", "1", "", ""]]))
        run = ImportRun.objects.get()
        client.force_login(council.team)
        assert client.get(reverse("imports:run", args=[run.pk])).status_code == 403
        assert client.post(reverse("imports:run-apply", args=[run.pk])).status_code == 403
        assert not Outturn.objects.exists()

    def test_an_upload_and_its_confirmation_are_kept_while_redis_is_down(self, client, council, broker_down, caplog):
        client.force_login(council.officer)
        response = upload(client, csv_bytes([["ENV3", "2025/26 Q2", "1", "", ""]]))
        run = ImportRun.objects.get()
        assert response.status_code == 302 and response.url == reverse("imports:run", args=[run.pk])
        assert run.status == Status.QUEUED and "Could not queue imports.tasks.check_import" in caplog.text
        assert client.get(response.url).status_code == 200

        ImportRun.objects.filter(pk=run.pk).update(status=Status.READY)  # as if checked once Redis was back
        response = client.post(reverse("imports:run-apply", args=[run.pk]))
        assert response.status_code == 302
        run.refresh_from_db()
        assert run.status == Status.APPLYING and "Could not queue imports.tasks.apply_import" in caplog.text
        assert not Outturn.objects.exists()


class TestFrameworkImport:
    HEADINGS = ["code", "title", "unit", "polarity", "frequency", "decimal_places", "service", "target_period",
                "target", "target_rationale"]  # fmt: skip

    POTHOLES = ["LOC1", "Potholes filled", "Percentage", "higher", "quarter", "1", "waste"]

    def test_imports_definitions_and_targets_and_reimport_changes_nothing(self, client, council):
        client.force_login(council.team)
        period("2025/26 Q3")
        data = csv_bytes(
            [
                [*self.POTHOLES, "2025/26 Q2", "90%", "Trend"],
                [*self.POTHOLES, "2025/26 Q3", "91", "Trend"],
                ["ENV3", "Fly-tips", "number", "none", "quarter", "0", "waste", "", "", ""],
            ],
            headings=self.HEADINGS,
        )
        response = upload(client, data, url="imports:framework")
        run = ImportRun.objects.get()
        assert run.status == Status.READY, run.result
        client.post(reverse("imports:run-apply", args=[run.pk]))
        run.refresh_from_db()
        assert run.status == Status.APPLIED, run.message
        new = Indicator.objects.get(code="LOC1")
        assert new.service == council.service and new.decimal_places == 1
        assert sorted(Target.objects.filter(indicator=new).values_list("value", flat=True)) == [D(90), D(91)]
        history = (Indicator.history.count(), Target.history.count())
        upload(client, data, url="imports:framework")
        again = ImportRun.objects.latest("pk")
        assert again.result["changes"] == [] and again.result["summary"]["unchanged"] == 4
        assert (Indicator.history.count(), Target.history.count()) == history
        assert response.status_code == 302

    def test_officers_cannot_import_definitions(self, client, council):
        client.force_login(council.officer)
        assert upload(client, b"code\n", url="imports:framework").status_code == 403


class TestBenchmarkImport:
    def test_imports_benchmark_values_skipping_suppressed_ones(self, client, council):
        client.force_login(council.team)
        data = csv_bytes(
            [
                ["ENV1a", "2025/26 Q2", "Ashby", " 48.5% "],
                ["ENV1a", "2025/26 Q2", "Barton", "*"],
                ["ENV1a", "2025/26 Q2", "Corby", "dna"],
                ["ENV1a", "2025/26 Q2", "Dover", "52"],
            ],
            headings=["indicator_code", "period", "council", "value"],
        )
        assert 'id="id_group"' in client.get(reverse("imports:benchmarks")).content.decode()
        client.post(
            reverse("imports:benchmarks"),
            {"file": SimpleUploadedFile("b.csv", data), "group": "CIPFA nearest neighbours"},
        )
        run = ImportRun.objects.get()
        assert run.result["summary"]["skipped"] == 2
        client.post(reverse("imports:run-apply", args=[run.pk]))
        values = set(BenchmarkValue.objects.values_list("group", "council", "value"))
        group = "CIPFA nearest neighbours"
        assert values == {(group, "Ashby", D("48.5")), (group, "Dover", D(52))}

    def test_a_bad_row_means_nothing_is_imported(self, client, council):
        client.force_login(council.team)
        data = csv_bytes(
            [["ENV1a", "2025/26 Q2", "CIPFA", "Ashby", "48"], ["ENV1a", "2025/26 Q2", "CIPFA", "Barton", "lots"]],
            headings=["indicator_code", "period", "group", "council", "value"],
        )
        upload(client, data, url="imports:benchmarks")
        run = ImportRun.objects.get()
        assert run.status == Status.INVALID and run.result["errors"][0]["row"] == 3
        assert client.post(reverse("imports:run-apply", args=[run.pk])).status_code == 302
        assert not BenchmarkValue.objects.exists()


def test_an_outturn_saved_between_preview_and_confirm_refuses_the_import(client, council):
    client.force_login(council.officer)
    upload(client, csv_bytes([["ENV3", "2025/26 Q2", "7", "", ""], ["ENV2", "2025/26 Q2", "9", "", ""]]))
    run = ImportRun.objects.get()
    services.outturn_record(indicator=council.count, period=council.q2, value=D(1), by=council.officer)
    response = client.post(reverse("imports:run-apply", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == Status.REFUSED and "Someone changed" in run.message
    assert "Someone changed" in client.get(response.url).content.decode()
    assert Outturn.objects.get().value == 1


def test_the_framework_page_asks_whether_to_remove_targets_and_the_preview_lists_them(client, council):
    client.force_login(council.team)
    period("2025/26 Q3")
    assert "Remove the targets of these indicators that the file does not give" in (
        client.get(reverse("imports:framework")).content.decode()
    )
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
    data = csv_bytes(rows, headings)
    client.post(reverse("imports:framework"), {"file": SimpleUploadedFile("f.csv", data), "remove_targets": "on"})
    run = ImportRun.objects.get()
    page = client.get(reverse("imports:run", args=[run.pk])).content.decode()
    assert "Targets to remove: the file does not give them" in page
    assert "ENV1a: the file gives no target for 2025/26 Q2; removed." in page
    client.post(reverse("imports:run-apply", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == Status.APPLIED, run.message
    assert [str(t.period) for t in Target.objects.all()] == ["2025/26 Q3"]
