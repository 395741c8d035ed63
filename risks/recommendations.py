"""Read models of the recommendations tracker, each in a fixed number of queries.

For other apps' pages (home pages, packs): overdue_recommendations_for(user, today), the
outstanding recommendations the user owns past their due date; overdue_recommendations(today),
all of them (the exception report shows them).
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q

from reviews.models import Action

from .models import OUTSTANDING, Recommendation, RecommendationStatus, Response, Source


def sources(today: datetime.date) -> list[Source]:
    """Every source with its recommendations counted: total, outstanding, overdue, implemented (one query)."""
    return list(
        Source.objects.annotate(
            total=Count("recommendations"),
            outstanding=Count("recommendations", filter=Q(recommendations__status__in=OUTSTANDING)),
            overdue=Count(
                "recommendations",
                filter=Q(recommendations__status__in=OUTSTANDING, recommendations__due__lt=today),
            ),
            implemented=Count("recommendations", filter=Q(recommendations__status=RecommendationStatus.IMPLEMENTED)),
        ).order_by("-date", "title")
    )


@dataclass
class SourceReport:
    source: Source
    recommendations: list[Recommendation]
    overdue: list[Recommendation]
    by_status: list[tuple[str, int]]
    by_response: list[tuple[str, int]]


def source_report(source: Source, today: datetime.date) -> SourceReport:
    """A source's report for the audit committee or scrutiny: each recommendation with its
    response, owner, actions and status; those overdue; counts by status and response (two queries)."""
    recommendations = list(
        source.recommendations.select_related("owner").prefetch_related(
            Prefetch("actions", queryset=Action.objects.select_related("owner").order_by("due", "pk"))
        )
    )
    for recommendation in recommendations:
        recommendation.overdue = recommendation.is_overdue(today)
    return SourceReport(
        source=source,
        recommendations=recommendations,
        overdue=[r for r in recommendations if r.overdue],
        by_status=[
            (label, sum(1 for r in recommendations if r.status == value))
            for value, label in RecommendationStatus.choices
        ],
        by_response=[
            (label, sum(1 for r in recommendations if r.response == value)) for value, label in Response.choices
        ],
    )


def overdue_recommendations(today: datetime.date) -> list[Recommendation]:
    return list(Recommendation.objects.overdue(today).select_related("source", "owner").order_by("due", "pk"))


def overdue_recommendations_for(user, today: datetime.date) -> list[Recommendation]:
    return list(Recommendation.objects.overdue(today).filter(owner=user).select_related("source").order_by("due", "pk"))
