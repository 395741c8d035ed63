"""Writes to indicator definitions: creating and changing an indicator (a change to how it
is rated re-rates its figures), the periods it is collected for, and service managers'
proposals that the performance team approves or declines. Like indicators.services, the
only code that writes them."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from organisation.permissions import is_performance_team
from pmis.locking import check_version, save_as

from . import periods
from .models import EntryBasis, Frequency, Indicator, IndicatorProposal, Period, ProposalStatus
from .ratings import lock_indicators, ratings_recalculate

# Changing any of these changes how the indicator's outturns are rated.
RATED_FIELDS = {"unit", "decimal_places", "polarity", "is_cumulative", "tolerance", "tolerance_mode"}


def indicator_frequency_check(*, indicator: Indicator, frequency: str) -> None:
    """Refuse a new frequency for an indicator with targets or figures: they belong to
    periods of the frequency it has (indicator as stored)."""
    if indicator.pk is None or frequency == indicator.frequency:
        return
    if indicator.outturns.exists() or indicator.targets.exists():
        raise ValidationError(
            {
                "frequency": "This indicator already has targets or figures for its periods, so its frequency "
                "cannot change. Create a new indicator for the new frequency."
            }
        )


def indicator_entry_basis_check(*, indicator: Indicator, entry_basis: str) -> None:
    """Refuse a new entry basis for an indicator with figures: they were entered as its
    basis says (each period's own figure, or the year to date), and would be read as the other."""
    if indicator.pk is None or entry_basis == indicator.entry_basis:
        return
    if indicator.outturns.exists():
        entered = EntryBasis(indicator.entry_basis).label[0].lower() + EntryBasis(indicator.entry_basis).label[1:]
        raise ValidationError(
            {
                "entry_basis": f"This indicator already has figures entered as {entered}, so what officers enter "
                "cannot change: its figures would be read the other way. Create a new indicator instead."
            }
        )


def _first_open_period(frequency: str, today) -> Period | None:
    """The first period of a frequency whose return is not yet overdue and which is not
    locked: where a new indicator starts being collected unless told otherwise."""
    return Period.objects.filter(frequency=frequency, due__gte=today, locked_at__isnull=True).order_by("start").first()


def indicator_collection_check(*, indicator: Indicator, collected_from, retired_after) -> None:
    """Refuse collected-from and retired-after periods (Period or None) that do not fit the
    indicator as it will be (its frequency) and as stored (its figures): of another
    frequency, retired before collected, leaving figures outside them, or changing which
    locked periods expect its figure (a locked period's count of expected returns stays
    as it was when it was locked)."""
    errors = {}
    for name, period in (("collected_from", collected_from), ("retired_after", retired_after)):
        if period is not None and period.frequency != indicator.frequency:
            errors[name] = f"Choose a {Frequency(indicator.frequency).label.lower()} period: {period} is not one."
    if errors:
        raise ValidationError(errors)
    if collected_from and retired_after and retired_after.end < collected_from.start:
        raise ValidationError(
            {
                "retired_after": f"The period it is retired after ({retired_after}) must not be before the period "
                f"it is collected from ({collected_from})."
            }
        )

    def collects(period, start, end) -> bool:
        return periods.collects(period.start, period.end, start, end)

    new = (collected_from.start if collected_from else None, retired_after.end if retired_after else None)
    if indicator.pk is None:
        old = None
    else:
        stored = Indicator.objects.select_related("collected_from", "retired_after").get(pk=indicator.pk)
        old = (
            stored.collected_from.start if stored.collected_from_id else None,
            stored.retired_after.end if stored.retired_after_id else None,
        )
        outside = [
            o.period
            for o in indicator.outturns.select_related("period").order_by("period__start")
            if not collects(o.period, *new)
        ]
        if outside:
            field = "collected_from" if collected_from and outside[0].start < collected_from.start else "retired_after"
            raise ValidationError(
                {field: f"It has a figure for {outside[0]}, outside the periods it would be collected for."}
            )
    for period in Period.objects.filter(frequency=indicator.frequency, locked_at__isnull=False).order_by("start"):
        before = old is not None and collects(period, *old)
        if collects(period, *new) != before:
            # The boundary that moved across the period: where the message goes.
            moved_from = old is None or collects(period, old[0], None) != collects(period, new[0], None)
            field = "collected_from" if moved_from else "retired_after"
            raise ValidationError(
                {
                    field: f"{period} is locked: this would change how many returns were expected for it. "
                    "Choose a period that is not locked."
                }
            )


def indicator_create(*, fields: dict, by, today=None) -> Indicator:
    """Add an indicator to the register; fields are its model fields by name.

    Without a collected-from period it is collected from the first period of its frequency
    that is neither overdue nor locked, so it owes no figure for periods already past.
    """
    fields = dict(fields)
    fields.pop("version", None)
    if fields.get("collected_from") is None:
        fields["collected_from"] = _first_open_period(
            fields.get("frequency", Frequency.QUARTER), today or timezone.localdate()
        )
    indicator = Indicator(**fields)
    indicator_collection_check(
        indicator=indicator, collected_from=indicator.collected_from, retired_after=indicator.retired_after
    )
    save_as(indicator, by)
    return indicator


@transaction.atomic
def indicator_update(*, indicator: Indicator, changes: dict, by, expected_version: int | None = None) -> Indicator:
    """Change an indicator's definition (changes: model fields by name) and, when a change
    alters how its outturns are rated, re-rate them. Returns the indicator as saved.

    A new frequency is refused (ValidationError) once the indicator has targets or figures,
    a new entry basis once it has figures;
    so are collected-from and retired-after periods indicator_collection_check refuses.
    With expected_version, a change to an indicator someone else saved since is refused
    (ConflictError).
    """
    indicator = lock_indicators([indicator.pk])[0]
    check_version(indicator, expected_version)
    changes = {name: value for name, value in changes.items() if name != "version"}
    if "frequency" in changes:
        indicator_frequency_check(indicator=indicator, frequency=changes["frequency"])
    if "entry_basis" in changes:
        indicator_entry_basis_check(indicator=indicator, entry_basis=changes["entry_basis"])
    changed = {name for name, value in changes.items() if getattr(indicator, name) != value}
    if not changed:
        return indicator
    if changed & {"frequency", "collected_from", "retired_after"}:
        after = Indicator(pk=indicator.pk, frequency=changes.get("frequency", indicator.frequency))
        indicator_collection_check(
            indicator=after,
            collected_from=changes.get("collected_from", indicator.collected_from),
            retired_after=changes.get("retired_after", indicator.retired_after),
        )
    for name in changed:
        setattr(indicator, name, changes[name])
    save_as(indicator, by)
    if changed & RATED_FIELDS:
        ratings_recalculate(indicator_ids=[indicator.pk])
    return indicator


def indicator_delete_refusal(indicator: Indicator) -> str:
    """Why an indicator cannot be deleted ("" if it can): only one never collected, made by
    mistake, goes; one with figures or targets is retired instead, keeping its history. Four
    queries at most."""
    if indicator.outturns.exists():
        return (
            f"{indicator.code} has figures, so it cannot be deleted: retire it instead (choose the period it is "
            "retired after), and it is kept with its history."
        )
    if indicator.targets.exists():
        return f"{indicator.code} has targets, so it cannot be deleted: retire it instead, keeping its history."
    if indicator.proxies.exists():
        return f"Local/proxy indicators stand in for {indicator.code}: link them to another first."
    if indicator.actions.exists() or indicator.referrals.exists():
        return f"{indicator.code} has actions or surgery referrals recorded against it, so it cannot be deleted."
    return ""


@transaction.atomic
def indicator_delete(*, indicator: Indicator, by, expected_version: int | None = None) -> None:
    """Delete an indicator made by mistake and never collected (indicator_delete_refusal
    says when not: ValidationError). It leaves the plan baskets, scorecards and watch lists
    it was in; its history keeps it, with who deleted it."""
    if not is_performance_team(by):
        raise ValidationError("Only the performance team deletes indicators.")
    indicator = lock_indicators([indicator.pk])[0]
    check_version(indicator, expected_version)
    refusal = indicator_delete_refusal(indicator)
    if refusal:
        raise ValidationError(refusal)
    indicator._history_user = by
    indicator.delete()


def indicator_propose(*, indicator: Indicator | None, service, title: str, data: dict, reason: str, by):
    """Record a service manager's proposal of a new indicator (indicator None) or of a
    change to one (data: the definition form's fields as typed). Nothing changes in the
    register until the performance team approves it."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why the service proposes this."})
    proposal = IndicatorProposal(
        indicator=indicator,
        service=service,
        title=title,
        data=data,
        reason=reason.strip(),
        proposed_by=by,
        proposed_at=timezone.now(),
    )
    save_as(proposal, by)
    return proposal


def _proposal_decide(proposal: IndicatorProposal, expected_version: int | None) -> IndicatorProposal:
    proposal = IndicatorProposal.objects.select_for_update().get(pk=proposal.pk)
    check_version(proposal, expected_version)
    if proposal.status != ProposalStatus.PENDING:
        raise ValidationError(f"This proposal was already {proposal.get_status_display().lower()}.")
    return proposal


@transaction.atomic
def indicator_proposal_approve(
    *, proposal: IndicatorProposal, fields: dict, by, expected_version: int | None = None
) -> Indicator:
    """Approve a proposal: its definition (fields: model fields by name, as the definition
    form read the proposal again) goes live, a new indicator created or the indicator
    changed (and re-rated when a rated field changes); the approval is recorded."""
    proposal = _proposal_decide(proposal, expected_version)
    if proposal.indicator_id:
        indicator = indicator_update(indicator=proposal.indicator, changes=fields, by=by)
    else:
        indicator = indicator_create(fields=fields, by=by)
    proposal.indicator = indicator
    proposal.status, proposal.decided_by, proposal.decided_at = ProposalStatus.APPROVED, by, timezone.now()
    save_as(proposal, by)
    return indicator


@transaction.atomic
def indicator_proposal_decline(
    *, proposal: IndicatorProposal, note: str, by, expected_version: int | None = None
) -> IndicatorProposal:
    """Decline a proposal, saying why: nothing in the register changes."""
    if not note.strip():
        raise ValidationError({"decision_note": "Say why the proposal is declined."})
    proposal = _proposal_decide(proposal, expected_version)
    proposal.status, proposal.decided_by, proposal.decided_at = ProposalStatus.DECLINED, by, timezone.now()
    proposal.decision_note = note.strip()
    save_as(proposal, by)
    return proposal
