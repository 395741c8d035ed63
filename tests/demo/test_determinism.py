import datetime
import hashlib

import pytest
from django.db import transaction

from demo.loader import demo_council_load
from indicators.models import Outturn


def _fingerprint() -> str:
    rows = Outturn.objects.order_by("indicator__code", "period__start").values_list(
        "indicator__code", "period__start", "value", "commentary", "state", "rating__rag"
    )
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()


@pytest.mark.django_db
def test_the_same_date_gives_the_same_council():
    fingerprints = []
    for _ in range(2):
        with transaction.atomic():
            demo_council_load(today=datetime.date(2026, 11, 23))
            fingerprints.append(_fingerprint())
            transaction.set_rollback(True)
    assert fingerprints[0] == fingerprints[1]
