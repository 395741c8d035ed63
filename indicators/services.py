"""Writes to the indicator register: periods, targets, outturns, tolerance policies, ratings.

Every write that changes what an outturn is rated against re-rates the affected outturns
in the same transaction, through indicators.ratings (ratings_refresh, ratings_recalculate),
which is also what the background recalculation after a tolerance policy change runs.
"""

from collections.abc import Iterable
from decimal import Decimal
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F, QuerySet
from django.utils import dateformat, timezone
from django.utils.translation import ngettext

from organisation.permissions import is_performance_team
from pmis.locking import ConflictError, check_version, save_as
from pmis.queue import enqueue_after_commit

from . import periods, rag
from .figures import places_check
from .models import (
    ADDITIVE_UNITS,
    BenchmarkValue,
    CollectionYear,
    Frequency,
    Indicator,
    Outturn,
    OutturnState,
    Period,
    Rag,
    Rating,
    SpcBaseline,
    Target,
    TargetStatus,
    ToleranceMode,
    TolerancePolicy,
)
from .notifications import (
    notify_outturn_returned,
    notify_outturn_validated,
    notify_outturns_validated,
    notify_target_awaiting_sign_off,
)
from .permissions import OWN_FIGURE, OWN_PROPOSAL, is_own_figure, is_own_proposal
from .ratings import lock_indicators, ratings_recalculate, ratings_refresh
from .year_to_date import entered_to_date


def periods_ensure_year(*, year: int) -> list[Period]:
    """Create (if missing) the twelve months, four quarters and the year of a financial year."""
    wanted = [(Frequency.YEAR, 1)]
    wanted += [(Frequency.QUARTER, n) for n in range(1, 5)]
    wanted += [(Frequency.MONTH, n) for n in range(1, 13)]
    existing = {(p.frequency, p.number) for p in Period.objects.filter(year=year)}
    new = []
    for frequency, number in wanted:
        if (frequency, number) in existing:
            continue
        start, end = periods.bounds(frequency, year, number)
        due = periods.add_working_days(end, settings.PMIS_RETURN_DUE_WORKING_DAYS)
        new.append(Period(frequency=frequency, year=year, number=number, start=start, end=end, due=due))
    Period.objects.bulk_create(new)
    return list(Period.objects.filter(year=year))


def collection_year_confirm(*, year: int, by) -> "CollectionYear":
    """Record that the performance team has checked the indicators to collect in a
    financial year (its periods must exist); confirming again records it again."""
    first = Period.objects.filter(year=year, frequency=Frequency.YEAR).first()
    if first is None:
        raise ValidationError(f"Create the periods of {periods.year_label(year)} first.")
    count = Indicator.objects.collected_during(first.start, first.end).count()
    confirmed = CollectionYear.objects.filter(year=year).first() or CollectionYear(year=year)
    confirmed.indicators, confirmed.confirmed_by, confirmed.confirmed_at = count, by, timezone.now()
    save_as(confirmed, by)
    return confirmed


def periods_ensure_spans(*, spans: list[Period]) -> None:
    """Save the unsaved spans of years (benchmarks published over several years, "2019-21")
    that are not recorded yet; each gets the primary key of its stored period."""
    if not spans:
        return
    Period.objects.bulk_create(spans, ignore_conflicts=True)
    stored = {
        (p.year, p.number): p.pk
        for p in Period.objects.filter(frequency=periods.YEARS, year__in={span.year for span in spans})
    }
    for span in spans:
        span.pk = stored[(span.year, span.number)]


# Tolerance policy


def tolerance_policy_create(
    *, tolerance: Decimal, reason: str, effective_from: Period, by, mode: str = ToleranceMode.RELATIVE
) -> TolerancePolicy:
    """Record a new corporate tolerance and re-rate every outturn from its period onwards.

    mode: relative (tolerance a fraction of the target, 0.05 for 5%) or absolute (points:
    an amount in each indicator's own unit).

    The re-rating runs in the background once the policy is committed; ratings of earlier
    periods are left as they were.
    """
    if not reason.strip():
        raise ValidationError({"reason": "Say why the council is setting this tolerance."})
    if mode not in ToleranceMode.values:
        raise ValidationError({"mode": "Choose a percentage of the target or points."})
    if tolerance < 0:
        raise ValidationError({"tolerance": "A tolerance cannot be less than 0."})
    if mode == ToleranceMode.RELATIVE and tolerance > 1:
        raise ValidationError({"tolerance": "A tolerance cannot be more than 100% of the target."})
    policy = TolerancePolicy(
        tolerance=tolerance, mode=mode, reason=reason.strip(), effective_from=effective_from, set_by=by
    )
    save_as(policy, by)
    # If Redis is down the policy is still recorded; the nightly ratings_check re-rates.
    enqueue_after_commit("indicators.tasks.recalculate_ratings_for_policy", policy.pk)
    return policy


# Ratings


@transaction.atomic
def figures_delete(*, figures: QuerySet) -> None:
    """Delete targets or outturns, and re-rate the outturns that depended on them."""
    removed = list(figures.select_related("period"))
    if not removed:
        return
    indicator_ids = {item.indicator_id for item in removed}
    lock_indicators(indicator_ids)
    figures.model.objects.filter(pk__in=[item.pk for item in removed]).delete()
    ratings_recalculate(since=min(item.period.start for item in removed), indicator_ids=indicator_ids)


# Targets


def _check_period(indicator: Indicator, period: Period, *, allow_year: bool = False) -> None:
    if period.frequency == indicator.frequency or (allow_year and period.frequency == Frequency.YEAR):
        return
    raise ValidationError(
        {
            "period": f"{indicator.code} is collected {indicator.get_frequency_display().lower()}; "
            f"{period} is not a {indicator.get_frequency_display().lower()} period."
        }
    )


def target_check(*, indicator: Indicator, period: Period, value: Decimal) -> None:
    """Raise ValidationError if value cannot be the indicator's target for period."""
    _check_period(indicator, period, allow_year=True)
    places_check(value, indicator)


@transaction.atomic
def target_set(
    *, indicator: Indicator, period: Period, value: Decimal, rationale: str, by, expected_version: int | None = None
) -> Target:
    """Set the target for an indicator and period (a year period for an annual target).

    Changing a target that has gone beyond draft (its value or its rationale) starts a new
    revision in draft, which needs sign-off again; the history keeps the earlier revision.
    With expected_version (the version the user's form was opened at), a target someone else
    has saved since is refused with pmis.locking.ConflictError.
    """
    target_check(indicator=indicator, period=period, value=value)
    lock_indicators([indicator.pk])
    target = Target.objects.select_for_update().filter(indicator=indicator, period=period).first()
    if target is None:
        target = Target(indicator=indicator, period=period)
    else:
        check_version(target, expected_version)
        changed = target.value != value or target.rationale != rationale
        if changed and target.status != TargetStatus.DRAFT:
            target.revision += 1
            target.status = TargetStatus.DRAFT
            target.quality_assured_by = target.quality_assured_at = None
            target.signed_off_by = target.signed_off_at = None
            target.proposed_by = target.proposed_at = None
    target.value, target.rationale = value, rationale
    save_as(target, by)
    ratings_refresh(indicator=indicator, period=period)
    return target


_TARGET_STEPS = {
    TargetStatus.PROPOSED: (TargetStatus.DRAFT, "proposed"),
    TargetStatus.QUALITY_ASSURED: (TargetStatus.PROPOSED, "quality_assured"),
    TargetStatus.SIGNED_OFF: (TargetStatus.QUALITY_ASSURED, "signed_off"),
}


def _target_advance(target: Target, status: TargetStatus, by) -> Target:
    before, field = _TARGET_STEPS[status]
    with transaction.atomic():
        target = Target.objects.select_for_update().get(pk=target.pk)
        if target.status != before:
            raise ValidationError(
                f"The target is {target.get_status_display().lower()}; "
                f"only a {TargetStatus(before).label.lower()} target can be {status.label.lower()}."
            )
        if status == TargetStatus.SIGNED_OFF and is_own_proposal(by, target):
            raise ValidationError(OWN_PROPOSAL)
        target.status = status
        if status == TargetStatus.PROPOSED:
            target.return_comment = ""
        setattr(target, f"{field}_by", by)
        setattr(target, f"{field}_at", timezone.now())
        save_as(target, by)
    return target


def target_return(*, target: Target, by, comment: str) -> Target:
    """Send a proposed or quality-assured target back to draft, saying why."""
    if not comment.strip():
        raise ValidationError({"comment": "Say why the target is being sent back."})
    with transaction.atomic():
        target = Target.objects.select_for_update().get(pk=target.pk)
        if target.status not in (TargetStatus.PROPOSED, TargetStatus.QUALITY_ASSURED):
            raise ValidationError(f"The target is {target.get_status_display().lower()}; it cannot be sent back.")
        target.status = TargetStatus.DRAFT
        target.return_comment = comment.strip()
        target.proposed_by = target.proposed_at = target.quality_assured_by = target.quality_assured_at = None
        save_as(target, by)
    return target


def target_propose(*, target: Target, by) -> Target:
    return _target_advance(target, TargetStatus.PROPOSED, by)


def target_sign_off(*, target: Target, by) -> Target:
    """Sign off a quality-assured target; only the holder of the indicator's portfolio may."""
    portfolio = target.indicator.portfolio
    if portfolio is None or portfolio.holder_id != by.pk:
        raise ValidationError("Only the portfolio holder for this indicator's portfolio can sign off its target.")
    return _target_advance(target, TargetStatus.SIGNED_OFF, by)


@transaction.atomic
def target_quality_assure(*, target: Target, by) -> Target:
    target = _target_advance(target, TargetStatus.QUALITY_ASSURED, by)
    notify_target_awaiting_sign_off(target)
    return target


class TargetEntry(NamedTuple):
    """One target of a page of targets: its period, its value (None: leave it as it is)
    and the version the page showed (None: the page showed no target)."""

    period: Period
    value: Decimal | None
    expected_version: int | None


class TargetConflicts(Exception):
    """Someone saved some of the targets after the page was opened: conflicts maps the
    entries' keys to ConflictErrors, each holding the target as now saved."""

    def __init__(self, conflicts: dict[str, ConflictError]):
        super().__init__(conflicts)
        self.conflicts = conflicts


def targets_rationale(targets: Iterable[Target | None]) -> str:
    """The one rationale shown for several targets (an indicator's year): the first given."""
    return next((target.rationale for target in targets if target is not None and target.rationale), "")


@transaction.atomic
def targets_save(
    *, indicator: Indicator, entries: dict[str, TargetEntry], rationale: str, by, propose: bool = False
) -> tuple[int, int]:
    """Save a page of an indicator's targets with one rationale, all or nothing, and with
    propose, propose every draft among them. Returns how many were saved and proposed.

    A rationale left as targets_rationale() showed it keeps each target's own, so that
    untouched signed-off targets do not start new revisions. Raises TargetConflicts when
    any target was saved by someone after the page was opened, and ValidationError keyed
    as entries are when a target is refused; nothing is saved then.
    """
    rationale = rationale.strip()
    periods_ = [entry.period for entry in entries.values()]
    # Locked as target_set locks them, indicator first, so the versions read here hold until commit.
    lock_indicators([indicator.pk])
    current = {
        t.period_id: t for t in Target.objects.select_for_update().filter(indicator=indicator, period__in=periods_)
    }
    conflicts = {
        key: ConflictError(current[entry.period.pk])
        for key, entry in entries.items()
        if entry.period.pk in current and current[entry.period.pk].version != entry.expected_version
    }
    if conflicts:
        raise TargetConflicts(conflicts)
    rationale_changed = rationale != targets_rationale(current.get(period.pk) for period in periods_)
    errors, saved = {}, 0
    for key, entry in entries.items():
        if entry.value is None:
            continue
        target = current.get(entry.period.pk)
        new_rationale = rationale if target is None or rationale_changed else target.rationale
        if target is not None and target.value == entry.value and target.rationale == new_rationale:
            continue
        try:
            target_set(
                indicator=indicator,
                period=entry.period,
                value=entry.value,
                rationale=new_rationale,
                by=by,
                expected_version=entry.expected_version,
            )
        except ValidationError as error:
            errors[key] = error.messages
        else:
            saved += 1
    if errors:
        raise ValidationError(errors)
    proposed = 0
    if propose:
        for target in Target.objects.filter(indicator=indicator, period__in=periods_, status=TargetStatus.DRAFT):
            target_propose(target=target, by=by)
            proposed += 1
    return saved, proposed


# Outturns


def outturn_check(
    *,
    indicator: Indicator,
    period: Period,
    value: Decimal | None,
    numerator: Decimal | None,
    denominator: Decimal | None,
    not_available_reason: str,
) -> Decimal | None:
    """Check a figure before it is recorded; returns the value, worked out from the
    numerator and denominator when they are given. Raises ValidationError saying what is wrong.
    """
    _check_period(indicator, period)
    if not indicator.collects(period):
        if indicator.collected_from_id and period.start < indicator.collected_from.start:
            why = f"it is collected from {indicator.collected_from}"
        else:
            why = f"it was retired after {indicator.retired_after}"
        raise ValidationError({"period": f"{indicator.code} has no figure for {period}: {why}."})
    reason = not_available_reason.strip()
    if (numerator is None) != (denominator is None):
        raise ValidationError("Give both the numerator and the denominator, or neither.")
    if denominator is not None:
        if denominator <= 0:
            raise ValidationError({"denominator": "The denominator must be more than zero."})
        value = indicator.quantize(numerator / denominator * indicator.scale)
    if value is None and not reason:
        raise ValidationError({"value": "Enter a figure, or say why it is not available."})
    # Entered per period, a cumulative percentage or rate is added up from its numerators and
    # denominators; entered year to date it is rated as it is (indicators.year_to_date).
    if (
        indicator.is_cumulative
        and not entered_to_date(indicator)
        and indicator.unit not in ADDITIVE_UNITS
        and value is not None
        and denominator is None
    ):
        raise ValidationError(
            {
                "numerator": f"{indicator.code} is cumulative: give the numerator and denominator, "
                "so that the year to date can be worked out from them."
            }
        )
    if value is not None and reason:
        raise ValidationError({"not_available_reason": "Leave the reason empty when you enter a figure."})
    places_check(value, indicator)
    return value


@transaction.atomic
def outturn_record(
    *,
    indicator: Indicator,
    period: Period,
    by,
    value: Decimal | None = None,
    numerator: Decimal | None = None,
    denominator: Decimal | None = None,
    not_available_reason: str = "",
    commentary: str = "",
    commentary_is_public: bool | None = None,
    amendment_reason: str = "",
    expected_version: int | None = None,
) -> Outturn:
    """Enter or correct the figure for an indicator and period, and rate it.

    With a numerator and denominator the value is worked out from them. Correcting a
    submitted or validated figure sends it back to draft; the history keeps what it was.
    In a locked period only the performance team may amend a figure, giving a reason; the
    amendment keeps the figure validated. With expected_version (the version the user's
    form was opened at), a figure someone else has saved since is refused with pmis.locking.ConflictError.
    commentary_is_public marks the commentary for the public pages (None keeps the mark as it was).
    """
    if period.is_locked:
        if not is_performance_team(by):
            raise ValidationError(f"{period} is locked: only the performance team can amend its figures.")
        if not amendment_reason.strip():
            raise ValidationError({"amendment_reason": f"{period} is locked: say why the figure is being amended."})
    value = outturn_check(
        indicator=indicator,
        period=period,
        value=value,
        numerator=numerator,
        denominator=denominator,
        not_available_reason=not_available_reason,
    )
    reason = not_available_reason.strip()
    lock_indicators([indicator.pk])
    outturn = Outturn.objects.select_for_update().filter(indicator=indicator, period=period).first()
    if outturn is None:
        outturn = Outturn(indicator=indicator, period=period)
    check_version(outturn, expected_version)
    outturn.value, outturn.numerator, outturn.denominator = value, numerator, denominator
    outturn.not_available_reason = reason
    outturn.commentary = commentary.strip()
    if commentary_is_public is not None:
        outturn.commentary_is_public = commentary_is_public
    if period.is_locked:
        outturn.entered_by, outturn.entered_at = by, timezone.now()
        outturn.amendment_reason = amendment_reason.strip()
    else:
        _entered(outturn, by, timezone.now())
    save_as(outturn, by)
    ratings_refresh(indicator=indicator, period=period)
    return outturn


class FiguresRefused(Exception):
    """Some of several figures were refused: errors maps their keys to ValidationErrors
    (ConflictError when someone saved the figure after the form was opened)."""

    def __init__(self, errors: dict):
        super().__init__(errors)
        self.errors = errors


def outturns_record(*, period: Period, figures: dict, by, dry_run: bool = False) -> int:
    """Enter several figures for a period, each as outturn_record() does, all or nothing.

    figures maps the caller's keys to outturn_record()'s other arguments. Every figure is
    tried, so that FiguresRefused names each one refused; nothing is saved then, nor with
    dry_run. Returns how many figures were (or would be) saved.
    """
    errors, saved = {}, 0
    with transaction.atomic():
        for key, arguments in figures.items():
            try:
                outturn_record(period=period, by=by, **arguments)
            except ValidationError as error:
                errors[key] = error
            else:
                saved += 1
        if errors or dry_run:
            transaction.set_rollback(True)
    if errors:
        raise FiguresRefused(errors)
    return saved


def _entered(outturn: Outturn, by, at) -> None:
    """What entering or correcting a figure in an open period does: it is a draft again,
    by whoever entered it, and its submission and validation are cleared."""
    outturn.entered_by, outturn.entered_at = by, at
    outturn.state = OutturnState.DRAFT
    outturn.submitted_by = outturn.submitted_at = outturn.validated_by = outturn.validated_at = None


# The fields outturns_import() writes.
ENTRY_FIELDS = [
    "value",
    "numerator",
    "denominator",
    "not_available_reason",
    "commentary",
    "amendment_reason",
    "state",
    "version",
    "entered_by",
    "entered_at",
    "submitted_by",
    "submitted_at",
    "validated_by",
    "validated_at",
]


@transaction.atomic
def outturns_import(*, outturns: list[Outturn], by, submit: list[Outturn] = ()) -> None:
    """Record many figures in open periods at once (an import), each as outturn_record()
    records one, in set-based writes with their history, then re-rate them.

    outturns are unsaved, each with its indicator, period and figures, and with the pk and
    version of the saved figure it replaces, if any. The caller has checked them
    (outturn_check) and their versions under the indicators' locks (ratings.lock_indicators).
    Those also in submit are submitted by the importer at once (the caller has checked
    that none needs commentary, as outturn_submit does).
    """
    if not outturns:
        return
    locked = {str(o.period) for o in outturns if o.period.is_locked}
    if locked:
        raise ValidationError(
            f"Figures for locked periods ({', '.join(sorted(locked))}) are amended one at a time, giving a reason."
        )
    now = timezone.now()
    creates, updates = [], []
    submit = {id(outturn) for outturn in submit}
    for outturn in outturns:
        _entered(outturn, by, now)
        if id(outturn) in submit:
            outturn.state, outturn.submitted_by, outturn.submitted_at = OutturnState.SUBMITTED, by, now
        if outturn.pk is None:
            creates.append(outturn)
        else:
            outturn.version += 1
            updates.append(outturn)
    # One upsert for new and changed figures (Django's bulk_update builds a CASE per row
    # and field in Python, twenty times slower), then their history rows in bulk. The
    # indicators' locks and the versions checked stand in for per-row locking.
    Outturn.objects.bulk_create(
        creates + updates,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["indicator", "period"],
        update_fields=ENTRY_FIELDS,
    )
    Outturn.history.bulk_history_create(creates, batch_size=1000, default_user=by, default_date=now)
    Outturn.history.bulk_history_create(updates, batch_size=1000, update=True, default_user=by, default_date=now)
    ratings_recalculate(
        since=min(outturn.period.start for outturn in outturns),
        indicator_ids={outturn.indicator_id for outturn in outturns},
    )


def outturn_submit(*, outturn: Outturn, by) -> Outturn:
    """Submit a draft figure; Red and Amber figures need commentary saying what is being done."""
    with transaction.atomic():
        outturn = Outturn.objects.select_for_update(of=("self",)).select_related("rating").get(pk=outturn.pk)
        if not outturn.is_submittable:
            raise ValidationError(f"This figure is already {outturn.get_state_display().lower()}.")
        if rag.needs_commentary(outturn.rating.rag, outturn.commentary):
            raise ValidationError(
                {
                    "commentary": f"The figure is rated {outturn.rating.get_rag_display()}: "
                    "say what went wrong and what is being done about it."
                }
            )
        outturn.state = OutturnState.SUBMITTED
        outturn.submitted_by, outturn.submitted_at = by, timezone.now()
        save_as(outturn, by)
    return outturn


def outturns_submit(*, outturns, by) -> tuple[list[Outturn], dict[Outturn, ValidationError]]:
    """Submit several figures, each as outturn_submit() does and in its own transaction:
    (those submitted, those refused mapped to why: a Red or Amber figure without commentary
    stays a draft)."""
    submitted, refused = [], {}
    for outturn in outturns:
        try:
            submitted.append(outturn_submit(outturn=outturn, by=by))
        except ValidationError as error:
            refused[outturn] = error
    return submitted, refused


def outturn_return(*, outturn: Outturn, by, comment: str) -> Outturn:
    """Send a submitted figure back to the officer, saying what needs changing."""
    if not comment.strip():
        raise ValidationError({"comment": "Say what the officer needs to change."})
    with transaction.atomic():
        outturn = Outturn.objects.select_for_update().get(pk=outturn.pk)
        if outturn.state != OutturnState.SUBMITTED:
            raise ValidationError("Only a submitted figure can be sent back.")
        outturn.state = OutturnState.RETURNED
        outturn.return_comment = comment.strip()
        save_as(outturn, by)
        notify_outturn_returned(outturn)
    return outturn


def outturn_validate(*, outturn: Outturn, by, commentary_is_public: bool | None = None) -> Outturn:
    """Validate a submitted figure; commentary_is_public, when given, sets whether its
    commentary is shown on the public pages."""
    with transaction.atomic():
        outturn = Outturn.objects.select_for_update().get(pk=outturn.pk)
        if outturn.state != OutturnState.SUBMITTED:
            raise ValidationError("Only a submitted figure can be validated.")
        if is_own_figure(by, outturn):
            raise ValidationError(OWN_FIGURE)
        if commentary_is_public is not None:
            outturn.commentary_is_public = commentary_is_public
        outturn.state = OutturnState.VALIDATED
        outturn.validated_by, outturn.validated_at = by, timezone.now()
        outturn.return_comment = ""
        save_as(outturn, by)
        notify_outturn_validated(outturn)
    return outturn


@transaction.atomic
def outturns_validate(*, outturns: Iterable[int], by, commentary_is_public: bool | None = None) -> int:
    """Validate several submitted figures at once (outturns: their ids), all or none, as
    outturn_validate() validates one: set-based, one update and the history rows in bulk,
    one email to each officer. Nothing is re-rated: validating changes no figure.

    commentary_is_public: None keeps each officer's choice; True shows the commentary of
    the published indicators among them; False keeps it all internal. Refused
    (ValidationError, nothing validated) when any is no longer submitted, or was entered
    or submitted by the person validating (separation of duties, is_own_figure). Returns how many.
    """
    ids = set(outturns)
    if not ids:
        raise ValidationError("Select the returns to validate.")
    rows = list(
        Outturn.objects.select_for_update(of=("self",))
        .filter(pk__in=ids)
        .select_related("indicator", "period", "entered_by")
        .order_by("pk")
    )
    not_submitted = sorted(str(o) for o in rows if o.state != OutturnState.SUBMITTED)
    if not_submitted or len(rows) < len(ids):
        raise ValidationError(
            "Some returns are no longer awaiting validation"
            + (f" ({', '.join(not_submitted)})" if not_submitted else "")
            + ": someone has validated, sent back or changed them since. Select again."
        )
    own = sorted(str(o) for o in rows if is_own_figure(by, o))
    if own:
        raise ValidationError(
            f"You entered or submitted {', '.join(own)}: someone else in the performance team must validate "
            "what you entered or submitted."
        )
    now = timezone.now()
    changes = {"state": OutturnState.VALIDATED, "validated_by": by, "validated_at": now, "return_comment": ""}
    Outturn.objects.filter(pk__in=ids).update(version=F("version") + 1, **changes)
    marked = set()
    if commentary_is_public is not None:
        # Only a published indicator's commentary is made public; any may be kept internal.
        marked = {o.pk for o in rows if o.indicator.is_published or not commentary_is_public}
        Outturn.objects.filter(pk__in=marked).update(commentary_is_public=commentary_is_public)
    for outturn in rows:
        for name, value in changes.items():
            setattr(outturn, name, value)
        outturn.version += 1
        if outturn.pk in marked:
            outturn.commentary_is_public = commentary_is_public
    Outturn.history.bulk_history_create(rows, batch_size=1000, update=True, default_user=by, default_date=now)
    notify_outturns_validated(rows)
    return len(rows)


# Periods and ratings: the performance team's controls


def period_lock(*, period: Period, by) -> Period:
    """Lock a period past its due date once its returns are validated: only the performance
    team amends it after."""
    today = timezone.localdate()
    if not period.is_overdue(today):
        raise ValidationError(
            f"{period} cannot be locked before its returns are due: they are due by "
            f"{dateformat.format(period.due, 'j F Y')}."
        )
    unvalidated = period.outturns.exclude(state=OutturnState.VALIDATED).count()
    if unvalidated:
        raise ValidationError(
            ngettext(
                "%(period)s cannot be locked: %(count)d return is not validated yet. Validate it first.",
                "%(period)s cannot be locked: %(count)d returns are not validated yet. Validate them first.",
                unvalidated,
            )
            % {"count": unvalidated, "period": period}
        )
    period.locked_at, period.locked_by = timezone.now(), by
    period.save(update_fields=["locked_at", "locked_by"])
    return period


def period_unlock(*, period: Period, by) -> Period:
    period.locked_at = period.locked_by = None
    period.save(update_fields=["locked_at", "locked_by"])
    return period


def rating_override(*, outturn: Outturn, rag: str, reason: str, by) -> Rating:
    """Override an outturn's computed rating with a recorded reason; rag "" removes the override."""
    if rag and rag not in Rag.values:
        raise ValidationError({"rag": "Choose a rating."})
    if rag and not reason.strip():
        raise ValidationError({"reason": "Say why the computed rating is being overridden."})
    with transaction.atomic():
        rating = Rating.objects.select_for_update().get(outturn=outturn)
        rating.override_rag = rag
        rating.override_reason = reason.strip() if rag else ""
        rating.overridden_by, rating.overridden_at = (by, timezone.now()) if rag else (None, None)
        rating.save(update_fields=["override_rag", "override_reason", "overridden_by", "overridden_at"])
    return rating


# Statistical process control: the performance team's baseline


@transaction.atomic
def spc_baseline_set(
    *, indicator: Indicator, first_period: Period, last_period: Period, reason: str, by
) -> SpcBaseline:
    """Fix the periods whose figures set the indicator's process limits, and re-rate its
    outturns (their variation and assurance depend on the limits)."""
    errors = {}
    for field_name, chosen in (("first_period", first_period), ("last_period", last_period)):
        if chosen.frequency != indicator.frequency:
            errors[field_name] = (
                f"{indicator.code} is collected {indicator.get_frequency_display().lower()}; "
                f"{chosen} is not a {indicator.get_frequency_display().lower()} period."
            )
    if not errors and first_period.start > last_period.start:
        errors["last_period"] = "The last period of the baseline must not be before its first period."
    if not reason.strip():
        errors["reason"] = "Say why the limits are fixed on these periods (for example, a change in the service)."
    if errors:
        raise ValidationError(errors)
    lock_indicators([indicator.pk])
    figures = Outturn.objects.filter(
        indicator=indicator,
        value__isnull=False,
        period__frequency=indicator.frequency,
        period__start__gte=first_period.start,
        period__start__lte=last_period.start,
    ).count()
    if figures < settings.PMIS_SPC_MIN_POINTS:
        raise ValidationError(
            {
                "last_period": f"The baseline has {figures} figure{'s' if figures != 1 else ''}: "
                f"choose periods holding at least {settings.PMIS_SPC_MIN_POINTS}."
            }
        )
    baseline = SpcBaseline.objects.filter(indicator=indicator).first() or SpcBaseline(indicator=indicator)
    baseline.first_period, baseline.last_period = first_period, last_period
    baseline.reason, baseline.set_by, baseline.set_at = reason.strip(), by, timezone.now()
    save_as(baseline, by)
    ratings_recalculate(indicator_ids=[indicator.pk])
    return baseline


@transaction.atomic
def spc_baseline_reset(*, indicator: Indicator, by) -> None:
    """Go back to limits from every figure; the history keeps the baseline that was fixed."""
    lock_indicators([indicator.pk])
    baseline = SpcBaseline.objects.filter(indicator=indicator).first()
    if baseline is None:
        return
    baseline._history_user = by
    baseline.delete()
    ratings_recalculate(indicator_ids=[indicator.pk])


# Benchmarks


def benchmark_values_set(*, values: list[tuple], by) -> None:
    """Record other councils' figures (checked), each (indicator id, period id, group,
    council, value), replacing any recorded for the same indicator, period, group and
    council. Benchmarks are not rated, so nothing is re-rated.

    A hand-written INSERT ... ON CONFLICT, one statement per thousand: Django's
    bulk_create(update_conflicts=True) prepares each value through its field and a model
    instance, which took most of a 50,000-value import (bench/import_benchmarks.py)."""
    if not values:
        return
    opts = BenchmarkValue._meta
    quote = connection.ops.quote_name
    keys = [opts.get_field(name).column for name in ("indicator", "period", "group", "council")]
    columns = [*keys, opts.get_field("value").column]
    placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
    size = min(1000, (connection.features.max_query_params or 65535) // len(columns))
    with connection.cursor() as cursor:
        for offset in range(0, len(values), size):
            chunk = values[offset : offset + size]
            cursor.execute(
                f"INSERT INTO {quote(opts.db_table)} ({', '.join(quote(c) for c in columns)}) "
                f"VALUES {', '.join([placeholders] * len(chunk))} "
                f"ON CONFLICT ({', '.join(quote(c) for c in keys)}) DO UPDATE SET "
                f"{quote('value')} = EXCLUDED.{quote('value')}",
                [item for row in chunk for item in row],
            )
