import hashlib
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from indicators.models import Outturn
from plans.models import MilestoneUpdate, Plan
from reviews.models import Action, PackSnapshot
from tests.indicators.factories import installation_policy_ensure


def _without_pks(data):
    if isinstance(data, dict):
        return {key: _without_pks(value) for key, value in data.items() if key != "pk"}
    if isinstance(data, list):
        return [_without_pks(item) for item in data]
    return data


def _fingerprint() -> str:
    rows = Outturn.objects.order_by("indicator__code", "period__start").values_list(
        "indicator__code", "period__start", "value", "commentary", "state", "rating__rag"
    )
    plans = Plan.objects.order_by("title").values_list("title", "status", "parent__title", "approved_at")
    milestones = MilestoneUpdate.objects.order_by("milestone__title", "milestone__due", "period__end").values_list(
        "milestone__title", "period__start", "status", "percent_complete"
    )
    # Primary keys differ between loads on PostgreSQL (sequences are not rolled back).
    packs = [
        (title, published, _without_pks(data))
        for title, published, data in PackSnapshot.objects.order_by("meeting__title").values_list(
            "meeting__title", "published_at", "data"
        )
    ]
    actions = Action.objects.order_by("description", "due").values_list(
        "description", "due", "status", "owner__username"
    )
    return hashlib.sha256(repr([list(rows), list(plans), list(milestones), packs, list(actions)]).encode()).hexdigest()


@pytest.mark.django_db
def test_the_same_date_gives_the_same_council(demo):
    """The package's council, and a second one loaded for the same date in its place."""
    loaded = _fingerprint()
    with transaction.atomic():
        call_command("flush", "--no-input", verbosity=0)
        installation_policy_ensure()
        call_command("load_demo", "--today", "2026-11-23", stdout=StringIO())
        again = _fingerprint()
        transaction.set_rollback(True)
    assert again == loaded
