"""Scrutiny: watch lists (a member's own and each board's) and referrals of a measure to a
surgery or a scrutiny review, answered by the performance team."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from organisation.models import Role
from organisation.permissions import has_role, is_performance_team
from pmis.locking import check_version, save_as

from . import services
from .models import Meeting, MeetingKind, Referral, ScrutinyBoard, WatchedMeasure


def can_watch(user, board: ScrutinyBoard | None) -> bool:
    """Scrutiny members keep their own list; a board's list is kept by its chair and members
    (and the performance team)."""
    if board is None:
        return has_role(user, Role.SCRUTINY_MEMBER) or is_performance_team(user)
    return is_performance_team(user) or board.chair_id == user.pk or board.members.filter(pk=user.pk).exists()


def can_refer(user) -> bool:
    return has_role(user, Role.SCRUTINY_MEMBER)


@transaction.atomic
def watch_add(*, indicator, by, board: ScrutinyBoard | None = None) -> WatchedMeasure:
    """Add a measure to the user's own watch list, or to the board's."""
    if not can_watch(by, board):
        raise ValidationError("Only the board's chair and members keep its watch list.")
    item = WatchedMeasure(indicator=indicator, person=None if board else by, board=board, added_at=timezone.now())
    item.added_by = by
    try:
        with transaction.atomic():
            save_as(item, by)
    except IntegrityError:
        raise ValidationError({"indicator": f"{indicator.code} is already on this watch list."}) from None
    return item


def watch_remove(*, item: WatchedMeasure, by) -> None:
    if not (item.person_id == by.pk or (item.board_id and can_watch(by, item.board))):
        raise ValidationError("You can take measures off your own watch list or your board's.")
    item._history_user = by
    item.delete()


@transaction.atomic
def board_create(*, name: str, chair, members, by) -> ScrutinyBoard:
    """The performance team records a scrutiny board, its chair and members."""
    if not is_performance_team(by):
        raise ValidationError("Only the performance team records scrutiny boards.")
    if ScrutinyBoard.objects.filter(name__iexact=name.strip()).exists():
        raise ValidationError({"name": f"There is already a board called {name.strip()}."})
    board = ScrutinyBoard.objects.create(name=name.strip(), chair=chair)
    board.members.set(members)
    return board


def referral_raise(*, indicator, kind: str, reason: str, by, board: ScrutinyBoard | None = None) -> Referral:
    if not can_refer(by):
        raise ValidationError("Only scrutiny members refer measures.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the measure should be examined."})
    referral = Referral(
        indicator=indicator, kind=kind, board=board, reason=reason.strip(), raised_by=by, raised_at=timezone.now()
    )
    save_as(referral, by)
    return referral


@transaction.atomic
def referral_answer(*, referral: Referral, answer: str, by, expected_version: int | None = None) -> Referral:
    """The performance team's answer to a referral (a surgery arranged, or why not)."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    check_version(referral, expected_version)
    if not answer.strip():
        raise ValidationError({"answer": "Enter the answer to the referral."})
    referral.answer, referral.answered_by, referral.answered_at = answer.strip(), by, timezone.now()
    save_as(referral, by)
    return referral


@transaction.atomic
def referral_surgery_arrange(*, referral: Referral, by, **meeting_fields) -> Meeting:
    """Arrange a performance surgery straight from a referral (services.meeting_arrange, so
    the referring board's chair is invited) and answer the referral with it, unless it was
    answered already."""
    if meeting_fields.get("kind") != MeetingKind.SURGERY:
        raise ValidationError({"kind": "A referral is answered with a performance surgery: choose that kind."})
    meeting = services.meeting_arrange(by=by, **meeting_fields)
    if not referral.answer:
        referral_answer(
            referral=referral,
            answer=f"A performance surgery is arranged: {meeting.title} on {meeting.date:%-d %B %Y}.",
            by=by,
        )
    return meeting


def surgery_initial(referral: Referral) -> dict:
    """The arrange page's first answers for a surgery on a referred measure: chaired by the
    holder of the measure's portfolio, examining that measure."""
    indicator = referral.indicator
    holder = indicator.portfolio.holder_id if indicator.portfolio_id else None
    return {
        "kind": MeetingKind.SURGERY,
        "title": f"Performance surgery: {indicator.code} {indicator.title}"[:300],
        "portfolio": indicator.portfolio_id,
        "chair": holder,
        "indicators": [str(indicator.pk)],
    }
