"""The demo council's good news stories, written from its own figures.

Each story claims something about an indicator's figures: a best-ever figure, a round number
passed, or a year's target met. The loader looks for the figure that makes the claim true and
dates the story a few working days after that figure was validated, so a story never claims
more than the data showed on its date. A claim the figures do not bear out is left out.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from indicators import periods, rag
from indicators.models import Frequency, Indicator, OutturnState, Period, Rag, Rating
from reviews.models import GoodNewsStory

# A story goes out this many working days after the figure it claims was validated.
AFTER_WORKING_DAYS = 4


@dataclass(frozen=True)
class Story:
    # "record": the best figure so far; "threshold": a round number passed for the first
    # time; "target": a financial year's figure met its target (and, with better_than_last,
    # beat the year before's).
    claim: str
    code: str
    title: str
    text: str
    better_than_last: bool = False


STORIES = [
    Story(
        "record",
        "NI 192",
        "Recycling rate at its highest yet",
        "{actual} of household waste was reused, recycled or composted in {period}, the best figure the council "
        "has recorded, after the weekly food waste collection reached every street in the borough.",
    ),
    Story(
        "target",
        "LPI 022",
        "Council tax collection beats target",
        "The council collected {actual} of the council tax due in {year}, against a target of {target}, helped "
        "by more residents paying by direct debit.",
    ),
    Story(
        "target",
        "LPI 005",
        "Fewer days lost to sickness",
        "Staff took {actual} off sick per full-time employee in {year}, down from {last} the year before and "
        "better than the target of {target}, after the council's wellbeing programme.",
        better_than_last=True,
    ),
    Story(
        "threshold",
        "LPI 040",
        "Garden waste subscriptions pass {threshold}",
        "{actual} households had signed up for the garden waste collection by the end of {period}, more than "
        "ever before.",
    ),
    Story(
        "record",
        "LPI 089",
        "More schools judged good or outstanding",
        "{actual} of Fernley's schools were judged good or outstanding by Ofsted at the end of {period}, the "
        "highest share the council has recorded.",
    ),
    Story(
        "target",
        "LPI 207",
        "Affordable homes target met",
        "{actual} affordable homes were completed in {year} with the council's housing association partners, "
        "against a target of {target}.",
    ),
]

# Written and awaiting the communications team's approval: not on the public pages or in packs.
DRAFT = (
    "Fernley Leisure Centre reopens after its refurbishment",
    "The pool, gym and sports hall reopen with a new learner pool and changing rooms, after a year's work "
    "paid for by the council and Sport England.",
)


@dataclass
class Figure:
    rating: Rating
    period: Period
    reported: datetime.date


def good_news_load(today: datetime.date) -> None:
    """The stories whose claims the figures bear out, dated after the figure; and one draft."""
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=[s.code for s in STORIES], is_published=True)}
    for story in STORIES:
        indicator = indicators.get(story.code)
        if indicator is None:
            continue
        figures = _figures(indicator)
        made = {"record": _record, "threshold": _threshold, "target": _target}[story.claim](story, indicator, figures)
        if made is None:
            continue
        title, text, figure = made
        date = periods.add_working_days(figure.reported, AFTER_WORKING_DAYS)
        if date >= today:
            continue
        GoodNewsStory.objects.create(title=title, text=text, date=date, indicator=indicator, is_published=True)
    title, text = DRAFT
    GoodNewsStory.objects.create(
        title=title, text=text, date=periods.working_days_before(today, 2), indicator=None, is_published=False
    )


def _figures(indicator: Indicator) -> list[Figure]:
    """The indicator's validated, rated figures in period order, with the day each was validated."""
    ratings = (
        Rating.objects.filter(outturn__indicator=indicator, outturn__state=OutturnState.VALIDATED, actual__isnull=False)
        .select_related("outturn__period")
        .order_by("outturn__period__end")
    )
    return [
        Figure(rating, rating.outturn.period, (rating.outturn.validated_at or rating.outturn.submitted_at).date())
        for rating in ratings
    ]


def _better(indicator: Indicator, one: Decimal, other: Decimal) -> bool:
    return one < other if indicator.polarity == rag.LOWER else one > other


def _record(story, indicator, figures):
    """The latest figure better than every one before it (not the first: that is no record)."""
    if indicator.is_cumulative:
        return None
    found = None
    for n, figure in enumerate(figures[1:], start=1):
        if all(_better(indicator, figure.rating.actual, earlier.rating.actual) for earlier in figures[:n]):
            found = figure
    if found is None:
        return None
    words = {"actual": indicator.format_value(found.rating.actual), "period": found.period.label}
    return story.title, story.text.format(**words), found


def _threshold(story, indicator, figures):
    """The latest figure to pass a round number no earlier figure had reached."""
    if indicator.is_cumulative or indicator.polarity != rag.HIGHER or not figures:
        return None
    largest = max(figure.rating.actual for figure in figures)
    step = Decimal(10) ** (len(str(int(largest))) - 2) if largest >= 100 else Decimal(10)
    found = None
    for n, figure in enumerate(figures[1:], start=1):
        mark = (figure.rating.actual // step) * step
        if mark > max(earlier.rating.actual for earlier in figures[:n]):
            found = (figure, mark)
    if found is None:
        return None
    figure, mark = found
    words = {
        "actual": indicator.format_value(figure.rating.actual),
        "period": figure.period.label,
        "threshold": f"{int(mark):,}",
    }
    return story.title.format(**words), story.text.format(**words), figure


def _target(story, indicator, figures):
    """The latest financial year whose figure (its last period's, year to date for a
    cumulative measure) met its target."""
    year_end = {
        figure.period.year: figure
        for figure in figures
        if figure.period.end == periods.bounds(Frequency.YEAR, figure.period.year, 1)[1]
    }
    for year in sorted(year_end, reverse=True):
        figure = year_end[year]
        if figure.rating.rag != Rag.GREEN:
            continue
        last = year_end.get(year - 1)
        if story.better_than_last and (
            last is None or not _better(indicator, figure.rating.actual, last.rating.actual)
        ):
            continue
        words = {
            "actual": indicator.format_value(figure.rating.actual),
            "target": indicator.format_value(figure.rating.target),
            "year": periods.year_label(year),
            "last": indicator.format_value(last.rating.actual) if last else "",
        }
        return story.title, story.text.format(**words), figure
    return None
