"""Risks for tests, saved through the services as the pages save them."""

import datetime
import importlib

from risks.models import RiskCategory
from risks.services import risk_save


def category(name="Operational") -> RiskCategory:
    """One of the categories migration risks/0002 records, recorded again if a transactional
    test's flush removed it."""
    appetite = dict(importlib.import_module("risks.migrations.0002_risk_categories").CATEGORIES)
    return RiskCategory.objects.get_or_create(name=name, defaults={"appetite": appetite[name]})[0]


def risk(*, by, owner, residual=(3, 3), review_due=datetime.date(2026, 3, 31), **fields):
    values = {
        "title": "Crossings fade",
        "cause": "Paint wears",
        "event": "A crossing is not seen",
        "consequence": "An accident",
        "category": category(),
        "inherent_likelihood": 4,
        "inherent_impact": 4,
        "target_score": 4,
    }
    values.update(fields)
    return risk_save(
        by=by,
        owner=owner,
        residual_likelihood=residual[0],
        residual_impact=residual[1],
        review_due=review_due,
        **values,
    )
