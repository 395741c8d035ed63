"""Risks and recommendations as sections of reviews' packs and exception reports
(reviews.pack_sections): registered when the app starts (risks/apps.py), so that the pack
layer below never imports risks. The rows are plain data, frozen with a published pack."""

from reviews.pack_sections import Scope, Section, register

from . import register as risk_register
from .permissions import can_read_all
from .recommendations import overdue_recommendations


def risk_rows(scope: Scope) -> list[dict]:
    """The scope's live risks above appetite or rising (one query)."""
    within = {scope.kind: scope.pk} if scope.kind in ("portfolio", "directorate", "service") and scope.pk else {}
    return [
        {
            "pk": risk.pk,
            "reference": risk.reference,
            "title": risk.title,
            "register": risk.register_name,
            "owner": risk.owner.get_full_name() or risk.owner.username,
            "residual_score": risk.residual_score,
            "appetite": risk.category.appetite,
            "above_appetite": risk.above_appetite,
            "rising": risk.rising,
            "previous_residual_score": risk.previous_residual_score,
            "why": "; ".join(
                words
                for words, applies in (
                    ("Above appetite", risk.above_appetite),
                    (f"Rising from {risk.previous_residual_score}", risk.rising),
                )
                if applies
            ),
        }
        for risk in risk_register.risk_exceptions(**within)
    ]


def recommendation_rows(scope: Scope) -> list[dict]:
    """For the whole council, the recommendations of audits, inspections and reviews that are
    overdue (one query); none for a narrower scope."""
    if scope.kind != "council":
        return []
    return [
        {
            "pk": r.pk,
            "source": r.source.title,
            "number": r.number,
            "due": r.due.isoformat(),
            "owner": (r.owner.get_full_name() or r.owner.username) if r.owner else "No owner",
            "status": r.get_status_display(),
        }
        for r in overdue_recommendations(scope.today)
    ]


def register_sections() -> None:
    register(
        Section(
            key="risks",
            heading="Risks above appetite or rising",
            columns=(
                ("Reference", "reference", 1),
                ("Risk", "title", 4),
                ("Register", "register", 2),
                ("Owner", "owner", 2),
                ("Residual score", "residual_score", 1),
                ("Appetite", "appetite", 1),
                ("Why", "why", 2),
            ),
            rows=risk_rows,
            may_read=can_read_all,
            template="risks/_scope_exceptions.html",
        )
    )
    register(
        Section(
            key="recommendations",
            heading="Recommendations overdue",
            columns=(
                ("Source", "source", 3),
                ("Recommendation", "number", 1),
                ("Due", "due", 1),
                ("Owner", "owner", 2),
                ("Status", "status", 1),
            ),
            rows=recommendation_rows,
            may_read=can_read_all,
            template="risks/_overdue_recommendations.html",
        )
    )
