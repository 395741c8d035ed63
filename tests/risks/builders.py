"""Risks for tests, saved through the services as the pages save them."""

import datetime

from risks.models import RiskCategory
from risks.services import categories_ensure, risk_save


def category(name="Operational") -> RiskCategory:
    """One of the default categories (recorded by migration risks/0002, gone after a flush)."""
    return categories_ensure()[name]


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
