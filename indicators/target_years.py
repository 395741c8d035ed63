"""Writes to a year's targets as one decision (TargetYear): saving and proposing the year,
quality-assuring and signing off many years at once, sending one back, and the in-year
revision that needs sign-off again (docs/domain.md, "Indicators": targets).

The period targets (Target rows, which ratings read) are written by
indicators.services.targets_save and follow their year's status in the same transaction.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import ngettext
from simple_history.utils import bulk_update_with_history

from pmis.locking import check_version, save_as

from . import periods
from .models import Frequency, Indicator, Period, Profile, Target, TargetStatus, TargetYear
from .notifications import notify_target_years_awaiting_sign_off
from .permissions import OWN_PROPOSAL, is_own_proposal
from .ratings import lock_indicators
from .services import TargetEntry, targets_save

# What a year's status change copies onto each of its period targets (the fields a year
# and its targets share).
MIRRORED = [
    "status",
    "return_comment",
    "proposed_by",
    "proposed_at",
    "quality_assured_by",
    "quality_assured_at",
    "signed_off_by",
    "signed_off_at",
]


def year_periods(indicator: Indicator, year: int):
    """The year period and the indicator's periods of the year: where its targets go."""
    return Period.objects.filter(year=year, frequency__in={Frequency.YEAR, indicator.frequency})


def _mirror(target_year: TargetYear, by) -> None:
    """Give every period target of the year the year's status and who moved it (one
    update, with history)."""
    targets = list(
        Target.objects.select_for_update().filter(
            indicator_id=target_year.indicator_id,
            period__in=year_periods(target_year.indicator, target_year.year),
        )
    )
    for target in targets:
        for name in MIRRORED:
            setattr(target, name, getattr(target_year, name))
        target.version += 1
    if targets:
        bulk_update_with_history(targets, Target, [*MIRRORED, "version"], default_user=by)


def _reset(target_year: TargetYear) -> None:
    target_year.status = TargetStatus.DRAFT
    target_year.proposed_by = target_year.proposed_at = None
    target_year.quality_assured_by = target_year.quality_assured_at = None
    target_year.signed_off_by = target_year.signed_off_at = None


@transaction.atomic
def target_year_save(
    *,
    indicator: Indicator,
    year: int,
    entries: dict[str, TargetEntry],
    profile: str,
    rationale: str,
    reason: str = "",
    by,
    propose: bool = False,
    expected_version: int | None = None,
) -> tuple[TargetYear, int]:
    """Save an indicator's targets for a year (the annual target and each period's, all or
    nothing) with its profile and rationale, and with propose, propose the year to the
    performance team. Returns the year and how many period targets changed.

    Changing a year that has gone beyond draft starts again from draft; changing a signed-off
    year is a new revision, which needs a reason (in the history) and sign-off again.
    Proposing needs a rationale and every target of the year. A year someone else saved
    since the page was opened is refused with pmis.locking.ConflictError.
    """
    rationale, reason = rationale.strip(), reason.strip()
    if profile not in Profile.values:
        raise ValidationError({"profile": "Choose how the annual target is spread over the year."})
    lock_indicators([indicator.pk])
    target_year = TargetYear.objects.select_for_update().filter(indicator=indicator, year=year).first()
    if target_year is None:
        target_year = TargetYear(indicator=indicator, year=year)
    else:
        check_version(target_year, expected_version)
    saved, _ = targets_save(indicator=indicator, entries=entries, rationale=rationale, by=by)
    changed = saved > 0 or target_year.profile != profile or target_year.rationale != rationale
    new_revision = changed and target_year.status == TargetStatus.SIGNED_OFF
    if new_revision:
        target_year.revision += 1
    if changed and target_year.status != TargetStatus.DRAFT:
        _reset(target_year)
    if (new_revision or (target_year.revision > 1 and target_year.status == TargetStatus.DRAFT)) and not reason:
        raise ValidationError(
            {
                "change_reason": f"These targets were signed off, so this is revision {target_year.revision}: "
                "say why they are changing."
            }
        )
    if target_year.revision > 1 and reason:
        target_year.change_reason = reason
    target_year.profile, target_year.rationale = profile, rationale
    if propose:
        if target_year.status != TargetStatus.DRAFT:
            raise ValidationError(
                f"The targets for {periods.year_label(year)} are {target_year.get_status_display().lower()} "
                "already and nothing has changed, so there is nothing to propose."
            )
        if not rationale:
            raise ValidationError(
                {
                    "rationale": "Give the rationale before you propose the targets: why these levels "
                    "(trend, benchmark, resources, ambition)."
                }
            )
        needed = {period.pk for period in year_periods(indicator, year)}
        present = set(Target.objects.filter(indicator=indicator, period__in=needed).values_list("period", flat=True))
        if missing := len(needed - present):
            raise ValidationError(
                ngettext(
                    "%(count)d target of the year is not set: propose the annual target and every period's target "
                    "together.",
                    "%(count)d targets of the year are not set: propose the annual target and every period's target "
                    "together.",
                    missing,
                )
                % {"count": missing}
            )
        target_year.status = TargetStatus.PROPOSED
        target_year.proposed_by, target_year.proposed_at = by, timezone.now()
        target_year.return_comment = ""
    save_as(target_year, by)
    _mirror(target_year, by)
    return target_year, saved


def _locked(years: Iterable[TargetYear]) -> list[TargetYear]:
    pks = [year.pk for year in years]
    return list(
        TargetYear.objects.select_for_update(of=("self",))
        .filter(pk__in=pks)
        .select_related("indicator__portfolio__holder")
        .order_by("indicator__code")
    )


def _refuse_unless(years: list[TargetYear], status: str, doing: str) -> None:
    wrong = [year for year in years if year.status != status]
    if wrong:
        raise ValidationError(
            [
                f"{year.indicator.code}: the targets for {year.year_label} are "
                f"{year.get_status_display().lower()}, so they cannot be {doing}."
                for year in wrong
            ]
        )


@transaction.atomic
def target_years_quality_assure(*, years: Iterable[TargetYear], by) -> list[TargetYear]:
    """Quality-assure proposed years, all or none; each portfolio holder gets one email
    listing those now awaiting their sign-off."""
    years = _locked(years)
    _refuse_unless(years, TargetStatus.PROPOSED, "quality assured")
    now = timezone.now()
    for target_year in years:
        target_year.status = TargetStatus.QUALITY_ASSURED
        target_year.quality_assured_by, target_year.quality_assured_at = by, now
        save_as(target_year, by)
        _mirror(target_year, by)
    annual = {
        (indicator_id, year): value
        for indicator_id, year, value in Target.objects.filter(
            indicator_id__in=[y.indicator_id for y in years], period__frequency=Frequency.YEAR
        ).values_list("indicator_id", "period__year", "value")
    }
    for target_year in years:
        target_year.annual = annual.get((target_year.indicator_id, target_year.year))
    notify_target_years_awaiting_sign_off(years)
    return years


@transaction.atomic
def target_years_sign_off(*, years: Iterable[TargetYear], by) -> list[TargetYear]:
    """Sign off quality-assured years, all or none: only the holder of each one's portfolio,
    and (separation of duties) not a year they proposed."""
    years = _locked(years)
    _refuse_unless(years, TargetStatus.QUALITY_ASSURED, "signed off")
    refusals = []
    for target_year in years:
        portfolio = target_year.indicator.portfolio
        if portfolio is None or portfolio.holder_id != by.pk:
            refusals.append(f"{target_year.indicator.code}: only the holder of its portfolio can sign off its targets.")
        elif is_own_proposal(by, target_year):
            refusals.append(f"{target_year.indicator.code}: {OWN_PROPOSAL}")
    if refusals:
        raise ValidationError(refusals)
    now = timezone.now()
    for target_year in years:
        target_year.status = TargetStatus.SIGNED_OFF
        target_year.signed_off_by, target_year.signed_off_at = by, now
        if target_year.first_signed_off_at is None:
            target_year.first_signed_off_at = now
        save_as(target_year, by)
        _mirror(target_year, by)
    return years


@transaction.atomic
def target_year_return(*, target_year: TargetYear, by, comment: str) -> TargetYear:
    """Send a proposed or quality-assured year back to draft, saying why."""
    if not comment.strip():
        raise ValidationError({"comment": f"Say why the {target_year.indicator.code} targets are being sent back."})
    (target_year,) = _locked([target_year])
    if target_year.status not in (TargetStatus.PROPOSED, TargetStatus.QUALITY_ASSURED):
        raise ValidationError(
            f"{target_year.indicator.code}: the targets for {target_year.year_label} are "
            f"{target_year.get_status_display().lower()}, so they cannot be sent back."
        )
    _reset(target_year)
    target_year.return_comment = comment.strip()
    save_as(target_year, by)
    _mirror(target_year, by)
    return target_year


@transaction.atomic
def target_years_decide(*, send_back: dict[int, str], rest: Iterable[TargetYear], stage: str, by) -> tuple[int, int]:
    """One page's decisions, all or none: send back the years in send_back (pk: comment) and
    quality-assure (stage "quality_assure") or sign off (stage "sign_off") the rest.
    Returns how many were sent back and how many moved on."""
    by_pk = {year.pk: year for year in _locked([TargetYear(pk=pk) for pk in send_back])}
    errors = []
    for pk, comment in send_back.items():
        try:
            target_year_return(target_year=by_pk[pk], by=by, comment=comment)
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError(errors)
    rest = [year for year in rest if year.pk not in send_back]
    if stage == "quality_assure":
        target_years_quality_assure(years=rest, by=by)
    else:
        target_years_sign_off(years=rest, by=by)
    return len(send_back), len(rest)
