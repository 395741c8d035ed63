"""Watch lists read for a page: each list's measures with their latest figures, from one
scorecard of every measure watched (a fixed number of queries however many lists)."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from indicators.models import Frequency, Indicator, Outturn, Period, quarter_to_report

from . import scorecards
from .models import ScrutinyBoard, WatchedMeasure


@dataclass
class WatchList:
    name: str
    board: ScrutinyBoard | None
    # (the WatchedMeasure, its scorecard row for the period)
    rows: list[tuple[WatchedMeasure, scorecards.Row]] = field(default_factory=list)


@dataclass
class WatchLists:
    period: Period | None
    lists: list[WatchList]


def watch_list_for(user, *, today: datetime.date | None = None) -> WatchLists:
    """The user's own watch list and each of their boards', with each measure's figure for the
    latest ended quarter holding a figure of one of them: for the watch list page, and for a
    scrutiny member's home page. Six queries or so, however many lists and measures."""
    today = today or timezone.localdate()
    boards = list(ScrutinyBoard.objects.filter(Q(chair=user) | Q(members=user)).distinct().order_by("name"))
    items = list(WatchedMeasure.objects.filter(Q(person=user) | Q(board__in=boards)).order_by("indicator__code", "pk"))
    lists = [WatchList("My watch list", None), *(WatchList(board.name, board) for board in boards)]
    watched = {item.indicator_id for item in items}
    quarters = list(Period.objects.ended_on(today).filter(frequency=Frequency.QUARTER))
    # The latest quarter holding a figure of a watched measure (a scorecard's default).
    period = quarter_to_report(quarters, Outturn.objects.filter(indicator__in=watched)) if watched else None
    if period is None:
        return WatchLists(period, lists)
    report = scorecards.scorecard(Indicator.objects.filter(pk__in=watched).order_by("code"), period, today=today)
    row_of = {row.indicator.pk: row for row in report.rows}
    by_board = {watch.board.pk if watch.board else None: watch for watch in lists}
    for item in items:
        if item.indicator_id in row_of:
            by_board[item.board_id].rows.append((item, row_of[item.indicator_id]))
    return WatchLists(period, lists)
