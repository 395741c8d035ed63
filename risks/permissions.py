"""Who may see and change risks and recommendations. Nothing here is public.

The performance team and the people given the risk and audit responsibility keep the
registers, the categories, the scoring matrix and the sources of recommendations; chief
officers, portfolio holders and scrutiny members read them all; a risk's owner (and the owner
of one of its actions) reads it, and its owner reviews it; a recommendation's owner records
its progress.
"""

from organisation.models import Role
from organisation.permissions import has_role

KEEPERS = (Role.PERFORMANCE_TEAM, Role.RISK_AND_AUDIT)
READERS = (*KEEPERS, Role.CHIEF_OFFICER, Role.PORTFOLIO_HOLDER, Role.SCRUTINY_MEMBER)


def can_keep(user) -> bool:
    """May add and change risks, categories, the matrix, sources and recommendations."""
    return has_role(user, *KEEPERS)


def can_read_all(user) -> bool:
    """May read every register, the heat map and every source's report."""
    return has_role(user, *READERS)


def can_read_risk(user, risk) -> bool:
    """Readers; the risk's owner; the owner of one of its actions (risk.actions prefetched or not)."""
    if can_read_all(user) or risk.owner_id == user.pk:
        return True
    return user.is_authenticated and any(action.owner_id == user.pk for action in risk.actions.all())


def can_review(user, risk) -> bool:
    """The risk's owner, or its keepers."""
    return risk.owner_id == user.pk or can_keep(user)


def can_read_recommendation(user, recommendation) -> bool:
    return can_read_all(user) or recommendation.owner_id == user.pk


def can_update_recommendation(user, recommendation) -> bool:
    """Its owner records progress and evidence; the keepers too."""
    return recommendation.owner_id == user.pk or can_keep(user)
