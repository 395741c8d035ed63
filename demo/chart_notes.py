"""Notes on the demo council's charts: what a reader should know about a figure (issue 20),
written by the performance team on the first indicators with three years of figures."""

import datetime

from indicators.chart_notes import chart_note_save
from indicators.models import Frequency, Indicator, Outturn

NOTES = [
    "New case management system went live: figures from here are counted from it",
    "Staff vacancies covered by agency officers through the quarter",
]


def chart_notes_load(*, by, today: datetime.date) -> None:
    quarterly = Indicator.objects.collected().filter(frequency=Frequency.QUARTER).order_by("code")
    for indicator, text in zip(quarterly[: len(NOTES)], NOTES, strict=False):
        periods = [
            o.period
            for o in Outturn.objects.filter(indicator=indicator, period__end__lt=today)
            .select_related("period")
            .order_by("period__start")
        ]
        if len(periods) > 4:
            chart_note_save(indicator=indicator, period=periods[len(periods) // 2], text=text, by=by)
