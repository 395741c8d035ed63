"""Files and a small council for the import tests."""

import io
from decimal import Decimal as D

from openpyxl import Workbook

from indicators import services
from indicators.models import Polarity, Unit
from organisation.models import Role
from tests.indicators.factories import IndicatorFactory, period
from tests.organisation.factories import ServiceFactory, UserFactory

HEADINGS = ["indicator_code", "period", "value", "not_available_reason", "commentary"]


def csv_bytes(rows, headings=HEADINGS, bom=False) -> bytes:
    """A CSV file: rows are lists of cells; cells with commas, quotes or line breaks are quoted."""
    import csv

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headings)
    writer.writerows(rows)
    return (b"\xef\xbb\xbf" if bom else b"") + out.getvalue().encode()


def xlsx_bytes(rows, headings=HEADINGS, title_rows=(), formats=None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in title_rows:
        sheet.append(list(row))
    sheet.append(headings)
    for row in rows:
        sheet.append(list(row))
    for ref, fmt in (formats or {}).items():
        sheet[ref].number_format = fmt
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


class Council:
    """An officer in a service with three indicators (one with a target), another service's
    indicator, and the 2025/26 quarters."""

    def __init__(self):
        self.service = ServiceFactory(code="waste", name="Waste")
        self.officer = UserFactory(username="olly.officer", service=self.service, roles=[Role.OFFICER])
        self.team = UserFactory(username="pat.performance", roles=[Role.PERFORMANCE_TEAM])
        self.q1, self.q2, self.q3 = period("2025/26 Q1"), period("2025/26 Q2"), period("2025/26 Q3")
        self.recycling = IndicatorFactory(
            code="ENV1a", title="Household waste recycled", unit=Unit.PERCENTAGE, decimal_places=1,
            polarity=Polarity.HIGHER, service=self.service,
        )  # fmt: skip
        self.cost = IndicatorFactory(
            code="ENV2", title="Cost of collection", unit=Unit.CURRENCY, decimal_places=2,
            polarity=Polarity.LOWER, service=self.service,
        )  # fmt: skip
        self.count = IndicatorFactory(
            code="ENV3", title="Fly-tips", unit=Unit.NUMBER, decimal_places=0, polarity=Polarity.NONE,
            service=self.service,
        )  # fmt: skip
        self.other = IndicatorFactory(code="HOU1", title="Homes built", unit=Unit.NUMBER, decimal_places=0)
        services.target_set(indicator=self.recycling, period=self.q2, value=D("50"), rationale="Trend", by=self.team)
