"""Row locks keep a bulk re-rating from overwriting a figure saved while it runs.

Needs PostgreSQL (SQLite has no row locks); skipped elsewhere unless PMIS_REQUIRE_INTEGRATION
is set, when it fails.
"""

import os
import threading
import time
from decimal import Decimal as D

import pytest
from django.db import connection, connections

from indicators import ratings, services
from indicators.models import Rating
from tests.indicators.factories import IndicatorFactory, period

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_figure_saved_during_a_bulk_re_rating_keeps_its_own_rating(monkeypatch):
    if connection.vendor != "postgresql":
        if os.environ.get("PMIS_REQUIRE_INTEGRATION"):
            pytest.fail("needs DATABASE_URL for PostgreSQL")
        pytest.skip("needs PostgreSQL")
    indicator = IndicatorFactory()
    services.target_set(indicator=indicator, period=period("2025/26 Q1"), value=D("100"), rationale="", by=None)
    services.outturn_record(indicator=indicator, period=period("2025/26 Q1"), value=D("10"), by=None)

    read = threading.Event()
    rate_indicator = ratings._rate_indicator

    def slow_rate_indicator(*args):
        # Runs after the batch has read the figures and before it writes the ratings.
        read.set()
        time.sleep(1.5)
        return rate_indicator(*args)

    monkeypatch.setattr(ratings, "_rate_indicator", slow_rate_indicator)

    def recalculate():
        try:
            ratings.ratings_recalculate()
        finally:
            connections.close_all()

    worker = threading.Thread(target=recalculate)
    worker.start()
    assert read.wait(10)
    monkeypatch.setattr(ratings, "_rate_indicator", rate_indicator)
    services.outturn_record(indicator=indicator, period=period("2025/26 Q1"), value=D("120"), by=None)
    worker.join(30)

    rating = Rating.objects.get(outturn__indicator=indicator)
    assert (rating.actual, rating.rag) == (D("120.0"), "green")
