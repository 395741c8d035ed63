from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()


@register.simple_tag
def risk_flags(risk, today):
    """What needs attention about a risk, as tags with words (never colour alone)."""
    flags = []
    if risk.above_appetite:
        flags.append(("govuk-tag--red", "Above appetite"))
    if risk.rising:
        flags.append(("govuk-tag--orange", f"Rising from {risk.previous_residual_score}"))
    if risk.is_review_overdue(today):
        flags.append(("govuk-tag--yellow", "Review overdue"))
    if risk.status == "escalated":
        flags.append(("govuk-tag--purple", "Escalated"))
    elif risk.status == "closed":
        flags.append(("govuk-tag--grey", "Closed"))
    return format_html_join(" ", '<strong class="govuk-tag {}">{}</strong>', flags)


@register.simple_tag
def score_words(matrix, likelihood, impact):
    """ "12: likelihood Likely (4) times impact Moderate (3)", in the council's words."""
    words_l, words_i = matrix.likelihoods, matrix.impacts
    word_l = words_l[likelihood - 1] if 0 < likelihood <= len(words_l) else "?"
    word_i = words_i[impact - 1] if 0 < impact <= len(words_i) else "?"
    return format_html(
        "<strong>{}</strong>: likelihood {} ({}) times impact {} ({})",
        likelihood * impact,
        word_l,
        likelihood,
        word_i,
        impact,
    )


@register.filter
def as_strings(values) -> set[str]:
    """A multiple choice's chosen values as text, to compare with its options' values."""
    return {str(value) for value in values or ()}


def _reader(context) -> bool:
    from risks.permissions import can_read_all

    request = context.get("request")
    return request is not None and can_read_all(request.user)


@register.inclusion_tag("risks/_related.html", takes_context=True)
def related_risks(context, thing, kind: str):
    """The open risks about a priority or an indicator (one query), for those who read risks;
    nothing for anyone else."""
    if not _reader(context):
        return {"shown": False}
    risks = list(thing.risks.live().select_related("category", "owner", "directorate").order_by("-residual_score"))
    return {"shown": True, "risks": risks, "kind": kind}


@register.inclusion_tag("risks/_home.html", takes_context=True)
def risk_work(context):
    """The home page's part: the user's risks whose review is overdue and their overdue
    recommendations; for the registers' keepers, how many risks are above appetite or
    overdue for review across the registers (four queries)."""
    from django.utils import timezone

    from risks import register as risk_register
    from risks.models import Risk
    from risks.permissions import can_keep
    from risks.recommendations import overdue_recommendations_for

    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return {"shown": False}
    user, today = request.user, timezone.localdate()
    reviews = risk_register.overdue_reviews_for(user, today)
    recommendations = overdue_recommendations_for(user, today)
    keeper = can_keep(user)
    part = {"reviews": reviews, "recommendations": recommendations, "keeper": keeper}
    if keeper:
        part["above_appetite"] = Risk.objects.above_appetite().count()
        part["overdue_reviews"] = Risk.objects.review_overdue(today).count()
    return {"shown": bool(reviews or recommendations or keeper), **part}
