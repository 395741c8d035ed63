"""Writes for risks, their categories, the scoring matrix, and the sources of recommendations and
the recommendations. Views check who may (risks/permissions.py)."""

import calendar
import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from outbox.services import absolute, email_queue
from pmis.locking import check_version, save_as, save_with_m2m
from reviews import services as reviews_services
from reviews.models import Action

from .models import (
    REVIEW_MONTHS,
    Recommendation,
    RecommendationStatus,
    Response,
    Risk,
    RiskCategory,
    RiskMatrix,
    RiskReview,
    RiskStatus,
    Source,
)

MATRIX_SIZES = range(3, 11)
# The categories a council starts with and its appetite for each on the 5 by 5 matrix, as
# migration risks/0002 records them; the performance team changes them on the categories page.
DEFAULT_CATEGORIES = [("Strategic", 12), ("Operational", 10), ("Financial", 8), ("Compliance", 6)]


def categories_ensure() -> dict[str, RiskCategory]:
    """The default categories, added if missing (after a database flush, say), by name."""
    for name, appetite in DEFAULT_CATEGORIES:
        RiskCategory.objects.get_or_create(name=name, defaults={"appetite": appetite})
    return {category.name: category for category in RiskCategory.objects.all()}


def months_after(day: datetime.date, months: int) -> datetime.date:
    """The same day of the month, months later (the month's last day if it is shorter)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


@transaction.atomic
def matrix_save(*, likelihood_words: list[str], impact_words: list[str], by, expected_version: int | None = None):
    """Record the words of the scoring matrix's two scales, lowest first; their number is its size."""
    matrix = RiskMatrix.objects.select_for_update().first() or RiskMatrix()
    check_version(matrix, expected_version)
    errors = {}
    for field, words, scale in (
        ("likelihood_words", likelihood_words, "likelihood"),
        ("impact_words", impact_words, "impact"),
    ):
        if len(words) not in MATRIX_SIZES:
            errors[field] = f"Give the {scale} scale from 3 to 10 steps, one a line; it has {len(words)}."
        elif len({w.lower() for w in words}) != len(words):
            errors[field] = f"Give each step of the {scale} scale a different word."
    if not errors:
        live = Risk.objects.live()
        if (
            live.filter(inherent_likelihood__gt=len(likelihood_words)).exists()
            or live.filter(residual_likelihood__gt=len(likelihood_words)).exists()
        ):
            errors["likelihood_words"] = (
                "Some open risks are scored above this many steps of likelihood: rescore them first."
            )
        if (
            live.filter(inherent_impact__gt=len(impact_words)).exists()
            or live.filter(residual_impact__gt=len(impact_words)).exists()
        ):
            errors["impact_words"] = "Some open risks are scored above this many steps of impact: rescore them first."
    if errors:
        raise ValidationError(errors)
    matrix.likelihood_words, matrix.impact_words = "\n".join(likelihood_words), "\n".join(impact_words)
    save_as(matrix, by)
    return matrix


@transaction.atomic
def category_save(
    *, name: str, appetite: int, by, category: RiskCategory | None = None, expected_version: int | None = None
) -> RiskCategory:
    """Add a category of risk, or change one's name or the council's appetite for it."""
    if category is not None:
        category = RiskCategory.objects.select_for_update().get(pk=category.pk)
        check_version(category, expected_version)
    else:
        category = RiskCategory()
    name = name.strip()
    highest = RiskMatrix.current().highest
    if not 1 <= appetite <= highest:
        raise ValidationError({"appetite": f"Enter an appetite from 1 to {highest}, the highest score on the matrix."})
    if RiskCategory.objects.filter(name__iexact=name).exclude(pk=category.pk).exists():
        raise ValidationError({"name": f"There is already a category called {name}."})
    category.name, category.appetite = name, appetite
    save_as(category, by)
    return category


def _scores_check(matrix: RiskMatrix, **scores) -> dict:
    errors = {}
    for field, value in scores.items():
        scale = matrix.likelihoods if "likelihood" in field else matrix.impacts
        if value is not None and not 1 <= value <= len(scale):
            errors[field] = f"Choose a score from 1 to {len(scale)}."
    return errors


def risk_check(
    *,
    matrix: RiskMatrix,
    inherent_likelihood: int,
    inherent_impact: int,
    residual_likelihood: int,
    residual_impact: int,
    target_score: int,
    status: str,
    directorate,
    **_,
) -> None:
    """Raise ValidationError, by field, if a risk's scores or status cannot be recorded (the
    pages and the import check with it)."""
    errors = _scores_check(
        matrix,
        inherent_likelihood=inherent_likelihood,
        inherent_impact=inherent_impact,
        residual_likelihood=residual_likelihood,
        residual_impact=residual_impact,
    )
    if not 1 <= target_score <= matrix.highest:
        errors["target_score"] = f"Enter a target score from 1 to {matrix.highest}, the highest score on the matrix."
    if status == RiskStatus.ESCALATED and directorate is None:
        errors["status"] = (
            "Only a directorate's risk is escalated: a corporate risk is on the corporate register already."
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def risk_save(
    *,
    by,
    title: str,
    cause: str,
    event: str,
    consequence: str,
    owner,
    category: RiskCategory,
    directorate=None,
    inherent_likelihood: int,
    inherent_impact: int,
    residual_likelihood: int,
    residual_impact: int,
    controls: str = "",
    target_score: int,
    review_due: datetime.date,
    status: str = RiskStatus.OPEN,
    priorities=(),
    plans=(),
    indicators=(),
    actions=(),
    risk: Risk | None = None,
    expected_version: int | None = None,
) -> Risk:
    """Add a risk to a register, or change one: every change is kept in its history."""
    if risk is not None:
        risk = Risk.objects.select_for_update().get(pk=risk.pk)
        check_version(risk, expected_version)
    else:
        risk = Risk()
    risk_check(
        matrix=RiskMatrix.current(),
        inherent_likelihood=inherent_likelihood,
        inherent_impact=inherent_impact,
        residual_likelihood=residual_likelihood,
        residual_impact=residual_impact,
        target_score=target_score,
        status=status,
        directorate=directorate,
    )
    residual = residual_likelihood * residual_impact
    if risk.pk and risk.residual_score != residual:
        risk.previous_residual_score = risk.residual_score
    risk.title, risk.cause, risk.event = title.strip(), cause.strip(), event.strip()
    risk.consequence = consequence.strip()
    risk.owner, risk.category, risk.directorate = owner, category, directorate
    risk.inherent_likelihood, risk.inherent_impact = inherent_likelihood, inherent_impact
    risk.residual_likelihood, risk.residual_impact = residual_likelihood, residual_impact
    risk.inherent_score, risk.residual_score = inherent_likelihood * inherent_impact, residual
    risk.controls, risk.target_score, risk.review_due, risk.status = controls.strip(), target_score, review_due, status
    save_as(risk, by)
    risk.priorities.set(priorities)
    risk.plans.set(plans)
    risk.indicators.set(indicators)
    risk.actions.set(actions)
    return risk


@transaction.atomic
def risk_review(
    *,
    risk: Risk,
    residual_likelihood: int,
    residual_impact: int,
    controls: str,
    comment: str = "",
    by,
    expected_version: int | None = None,
    today: datetime.date | None = None,
) -> Risk:
    """The owner's quarterly review: the residual scores and controls as they stand today.
    The next review falls due REVIEW_MONTHS later; the score before is kept, so a rise shows."""
    today = today or timezone.localdate()
    risk = Risk.objects.select_for_update().get(pk=risk.pk)
    check_version(risk, expected_version)
    if not risk.is_live:
        raise ValidationError("This risk is closed: it is no longer reviewed.")
    matrix = RiskMatrix.current()
    errors = _scores_check(matrix, residual_likelihood=residual_likelihood, residual_impact=residual_impact)
    if not controls.strip():
        errors["controls"] = "Say what controls are in place, even if they have not changed."
    if errors:
        raise ValidationError(errors)
    risk.previous_residual_score = risk.residual_score
    risk.residual_likelihood, risk.residual_impact = residual_likelihood, residual_impact
    risk.residual_score = residual_likelihood * residual_impact
    risk.controls = controls.strip()
    risk.last_reviewed = today
    risk.review_due = months_after(today, REVIEW_MONTHS)
    save_as(risk, by)
    RiskReview.objects.create(
        risk=risk,
        date=today,
        by=by,
        residual_likelihood=residual_likelihood,
        residual_impact=residual_impact,
        residual_score=risk.residual_score,
        controls=risk.controls,
        comment=comment.strip(),
    )
    return risk


def overdue_reviews_remind(*, today: datetime.date | None = None) -> int:
    """Email each owner of risks whose quarterly review is overdue one list of them, once a
    week (the email's key names the owner and the week, so a re-run sends nothing more).
    Returns the number of emails queued."""
    today = today or timezone.localdate()
    by_owner: dict = {}
    overdue = Risk.objects.review_overdue(today).select_related("owner").order_by("owner", "review_due", "pk")
    for risk in overdue:
        by_owner.setdefault(risk.owner, []).append(risk)
    year, week, _ = today.isocalendar()
    sent = 0
    for owner, risks in by_owner.items():
        if not owner.email or not owner.is_active:
            continue
        lines = "\n".join(
            f"- {risk.reference} {risk.title}: review due {risk.review_due:%-d %B %Y}\n"
            f"  {absolute(reverse('risks:risk-review', args=[risk.pk]))}"
            for risk in risks
        )
        with transaction.atomic():
            if email_queue(
                to=owner.email,
                subject=f"{len(risks)} risk review{'s' if len(risks) != 1 else ''} overdue",
                body=f"These risks you own are past their quarterly review date. Review each one's scores and "
                f"controls:\n\n{lines}\n",
                key=f"risk-reviews-overdue:{owner.pk}:{year}-W{week:02d}",
            ):
                sent += 1
    return sent


# The recommendations tracker


@transaction.atomic
def source_save(
    *, kind: str, title: str, author: str, date: datetime.date, report: str = "", by, source=None, expected_version=None
) -> Source:
    """Record a report whose recommendations are tracked, or change one."""
    if source is not None:
        source = Source.objects.select_for_update().get(pk=source.pk)
        check_version(source, expected_version)
    else:
        source = Source()
    title = title.strip()
    if Source.objects.filter(title__iexact=title).exclude(pk=source.pk).exists():
        raise ValidationError({"title": f"There is already a source called {title}: give this one a different title."})
    source.kind, source.title, source.author, source.date, source.report = (
        kind,
        title,
        author.strip(),
        date,
        report.strip(),
    )
    save_as(source, by)
    return source


def recommendation_check(
    *,
    source: Source,
    number: int,
    response: str,
    reasons: str,
    owner,
    due,
    status: str,
    evidence: str,
    recommendation: Recommendation | None = None,
    **_,
) -> None:
    """Raise ValidationError, by field, if the recommendation cannot be recorded as given (the
    pages and the import check with it)."""
    errors = {}
    taken = Recommendation.objects.filter(source=source, number=number)
    if recommendation is not None:
        taken = taken.exclude(pk=recommendation.pk)
    if number < 1:
        errors["number"] = "Give the recommendation's number in the report, 1 or more."
    elif taken.exists():
        errors["number"] = f"Recommendation {number} of this report is already recorded."
    if response in (Response.PARTLY, Response.NOT_ACCEPTED) and not reasons.strip():
        errors["reasons"] = "Say why the council does not accept all of the recommendation."
    if response in (Response.ACCEPTED, Response.PARTLY):
        if owner is None:
            errors["owner"] = "Choose who owns the recommendation: it is accepted, so someone must implement it."
        if due is None:
            errors["due"] = "Enter the date it is due by: it is accepted, so it needs a due date."
    if status == RecommendationStatus.IMPLEMENTED and not evidence.strip():
        errors["evidence"] = "Describe the evidence that the recommendation is implemented."
    if status in (RecommendationStatus.IN_PROGRESS, RecommendationStatus.IMPLEMENTED) and response not in (
        Response.ACCEPTED,
        Response.PARTLY,
    ):
        errors["status"] = "Only an accepted (or partly accepted) recommendation is in progress or implemented."
    if errors:
        raise ValidationError(errors)


def _completed(recommendation: Recommendation, status: str, today: datetime.date) -> None:
    if status == RecommendationStatus.IMPLEMENTED:
        recommendation.completed_on = recommendation.completed_on or today
    else:
        recommendation.completed_on = None


@transaction.atomic
def recommendation_save(
    *,
    source: Source,
    number: int,
    text: str,
    priority: str,
    response: str,
    reasons: str = "",
    owner=None,
    due: datetime.date | None = None,
    status: str = RecommendationStatus.NOT_STARTED,
    evidence: str = "",
    actions=(),
    by,
    recommendation: Recommendation | None = None,
    expected_version: int | None = None,
    today: datetime.date | None = None,
) -> Recommendation:
    """Record a recommendation of a source with the council's response, or change one."""
    today = today or timezone.localdate()
    if recommendation is not None:
        recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
        check_version(recommendation, expected_version)
    recommendation_check(
        source=source,
        number=number,
        response=response,
        reasons=reasons,
        owner=owner,
        due=due,
        status=status,
        evidence=evidence,
        recommendation=recommendation,
    )
    recommendation = recommendation or Recommendation(source=source)
    recommendation.number, recommendation.text, recommendation.priority = number, text.strip(), priority
    recommendation.response, recommendation.reasons = response, reasons.strip()
    recommendation.owner, recommendation.due = owner, due
    recommendation.evidence = evidence.strip()
    _completed(recommendation, status, today)
    recommendation.status = status
    save_as(recommendation, by)
    recommendation.actions.set(actions)
    return recommendation


@transaction.atomic
def recommendation_progress(
    *,
    recommendation: Recommendation,
    status: str,
    evidence: str,
    by,
    expected_version: int | None = None,
    today: datetime.date | None = None,
) -> Recommendation:
    """The owner records how implementing the recommendation stands, and the evidence when done."""
    today = today or timezone.localdate()
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    check_version(recommendation, expected_version)
    recommendation_check(
        source=recommendation.source,
        number=recommendation.number,
        response=recommendation.response,
        reasons=recommendation.reasons,
        owner=recommendation.owner,
        due=recommendation.due,
        status=status,
        evidence=evidence,
        recommendation=recommendation,
    )
    recommendation.evidence = evidence.strip()
    _completed(recommendation, status, today)
    recommendation.status = status
    save_as(recommendation, by)
    return recommendation


def _action_check(*, description: str, owner, due: datetime.date | None) -> None:
    errors = {}
    if not description.strip():
        errors["description"] = "Describe what is to be done."
    if owner is None:
        errors["owner"] = "Choose who owns the action."
    if due is None:
        errors["due"] = "Enter the due date."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def risk_action_raise(*, risk: Risk, description: str, owner, due: datetime.date, by) -> Action:
    """Raise an action to treat a risk: the same action as everywhere else (its owner finds it
    in My actions and updates it there), linked to the risk in the risk's history."""
    _action_check(description=description, owner=owner, due=due)
    risk = Risk.objects.select_for_update().get(pk=risk.pk)
    if not risk.is_live:
        raise ValidationError("This risk is closed: no new action is raised for it.")
    action = reviews_services.action_raise(description=description.strip(), owner=owner, due=due, by=by, linked=True)
    risk._change_reason = "Action raised"
    save_with_m2m(risk, by, actions=[*risk.actions.all(), action])
    return action


@transaction.atomic
def recommendation_action_raise(
    *, recommendation: Recommendation, description: str, owner, due: datetime.date, by
) -> Action:
    """Raise an action agreed to implement a recommendation, linked to it in its history."""
    _action_check(description=description, owner=owner, due=due)
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    action = reviews_services.action_raise(description=description.strip(), owner=owner, due=due, by=by, linked=True)
    recommendation._change_reason = "Action raised"
    save_with_m2m(recommendation, by, actions=[*recommendation.actions.all(), action])
    return action
