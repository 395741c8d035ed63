"""A risk register imported like every other file: checked as the pages check a risk,
previewed, applied whole or not at all; importing the same file twice changes nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from imports import risks as risk_import
from imports.models import ImportRun, Kind, Status
from imports.reading import read_table
from organisation.models import Role
from risks.models import Risk
from tests.imports.helpers import csv_bytes, xlsx_bytes
from tests.organisation.factories import DirectorateFactory, UserFactory

from .builders import risk

pytestmark = pytest.mark.django_db

HEADINGS = [
    "title", "cause", "event", "consequence", "owner", "category", "register", "inherent_likelihood",
    "inherent_impact", "residual_likelihood", "residual_impact", "controls", "target_score", "review_due", "status",
]  # fmt: skip


@pytest.fixture(autouse=True)
def _on_commit_at_once(monkeypatch):
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())


@pytest.fixture
def keeper():
    return UserFactory(username="rita.risk", roles=[Role.RISK_AND_AUDIT])


def row(**changes):
    values = {
        "title": "Depot floods",
        "cause": "Heavy rain",
        "event": "The depot floods",
        "consequence": "Bins are not collected",
        "owner": "olive.owner",
        "category": "operational",
        "register": "ENV",
        "inherent_likelihood": "Likely",
        "inherent_impact": "5",
        "residual_likelihood": "3",
        "residual_impact": "Moderate",
        "controls": "Sandbags",
        "target_score": "6",
        "review_due": "31/03/2026",
        "status": "",
    }
    values.update(changes)
    return [values[h] for h in HEADINGS]


def checked(data, user, name="risks.csv"):
    table = read_table(data, name, required=risk_import.REQUIRED, known=risk_import.KNOWN)
    return table, risk_import.check(table, user)


def test_each_cell_is_checked_at_its_column(keeper):
    UserFactory(username="olive.owner")
    DirectorateFactory(code="ENV", name="Environment")
    data = csv_bytes(
        [
            row(owner="nobody", residual_likelihood="9"),
            row(title="Second", category="Weather", review_due="soon", register="Nowhere"),
            row(title="Third", register="", status="Escalated", target_score="40"),
        ],
        HEADINGS,
    )
    _, result = checked(data, keeper)
    found = {(e["row"], e["column"], e["message"].split(" ")[0]) for e in result.errors}
    assert found == {
        (2, "E", "No"),
        (2, "J", "Give"),
        (3, "F", "There"),
        (3, "G", "No"),
        (3, "N", "Give"),
        (4, "M", "Enter"),
        (4, "O", "Only"),
    }
    assert not result.changes


def test_upload_preview_apply_and_again_changes_nothing(client, keeper):
    owner = UserFactory(username="olive.owner")
    environment = DirectorateFactory(code="ENV", name="Environment")
    same = risk(by=keeper, owner=owner, title="Paint wears", directorate=environment, residual=(2, 2))
    client.force_login(keeper)
    data = xlsx_bytes([row(), row(title="Paint wears", residual_likelihood="4")], HEADINGS)
    response = client.post(reverse("imports:risks"), {"file": SimpleUploadedFile("register.xlsx", data)})
    run = ImportRun.objects.get()
    assert run.kind == Kind.RISKS and run.status == Status.READY
    page = client.get(response.url).content.decode()
    assert "Depot floods" in page and "residual 9" in page and Risk.objects.count() == 1
    client.post(reverse("imports:run-apply", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == Status.APPLIED
    added = Risk.objects.get(title="Depot floods")
    assert (added.directorate, added.owner, added.inherent_score, added.residual_score) == (environment, owner, 20, 9)
    same.refresh_from_db()
    assert (same.residual_score, same.previous_residual_score, same.version) == (12, 4, 2)
    assert same.history.latest().history_user == keeper
    _, again = checked(data, keeper, "register.xlsx")
    assert (again.changes, again.errors, again.unchanged) == ([], [], 2)


def test_a_risk_changed_after_the_check_refuses_the_whole_file(keeper):
    owner = UserFactory(username="olive.owner")
    environment = DirectorateFactory(code="ENV", name="Environment")
    same = risk(by=keeper, owner=owner, title="Paint wears", directorate=environment)
    table, result = checked(csv_bytes([row(), row(title="Paint wears", residual_likelihood="4")], HEADINGS), keeper)
    risk(by=keeper, owner=owner, title="Paint wears", directorate=environment, risk=same, residual=(1, 1))
    with pytest.raises(risk_import.ApplyRefused, match="Someone changed a risk"):
        risk_import.apply(table, keeper, versions=result.versions)
    assert not Risk.objects.filter(title="Depot floods").exists()


def test_only_keepers_import_risks(client):
    client.force_login(UserFactory(roles=[Role.OFFICER]))
    assert client.get(reverse("imports:risks")).status_code == 403
