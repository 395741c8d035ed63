"""Reading figures and amounts as people type them or files hold them: no database access.

Every entry page, the bulk entry page and every importer read figures through
parse_figure, and budget amounts through parse_money, so "95%", "£1,234.50" and
"1,234" mean the same wherever they are written. Both raise ValidationError with a
message for the person who wrote the figure.
"""

import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import ngettext

from .models import RATE_WORDS, Indicator, Unit

# Digits, optionally grouped in thousands with commas, and an optional fraction.
NUMBER = re.compile(r"-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?")
NON_NEGATIVE_UNITS = {Unit.DAYS, *RATE_WORDS, Unit.RATIO}
# What the entry pages show after a figure's box, by unit (a currency's £ goes before it).
SUFFIX = {Unit.PERCENTAGE: "%", Unit.DAYS: "days", **RATE_WORDS}
# The figures are stored with up to 14 digits before the decimal point.
LARGEST = Decimal("99999999999999")
# Budget amounts are stored in pounds and pence with up to 12 digits before the point.
LARGEST_AMOUNT = Decimal("999999999999.99")
# What a figure that may be missing adds to "must be a number": the entry's alternative.
MISSING_HINT = "; if there is no figure, say why it is not available instead"


def _cleaned(text: str) -> str:
    # Spaces anywhere, including the no-break spaces of figures copied from web pages.
    return text.strip().replace(" ", "").replace("\u00a0", "").replace("\u202f", "")


def parse_figure(
    text: str, indicator: Indicator, what: str = "The figure", *, may_be_missing: bool = False
) -> Decimal | None:
    """A figure typed in the indicator's unit: "95%", "95.0", "£1,234.50", "1,234".

    Returns None for an empty entry; raises ValidationError saying what is wrong. With
    may_be_missing (an outturn, which can instead be given a reason for having no figure),
    the message for something that is not a number says so.
    """
    text = _cleaned(text)
    if not text:
        return None
    if indicator.unit == Unit.PERCENTAGE and text.endswith("%"):
        text = text[:-1]
    if indicator.unit == Unit.CURRENCY and text.startswith(("£", "-£")):
        text = text.replace("£", "", 1)
    if not NUMBER.fullmatch(text):
        hint = MISSING_HINT if may_be_missing else ""
        raise ValidationError(
            f"{what} must be a number, like {indicator.format_value(Decimal('1234.5'))}{hint}.", code="invalid"
        )
    value = Decimal(text.replace(",", ""))
    if abs(value) > LARGEST:
        raise ValidationError(f"{what} is too large.", code="max_value")
    if value < 0 and indicator.unit in NON_NEGATIVE_UNITS and not indicator.allows_negative:
        # Days ahead of or behind schedule may be negative: the indicator then says so (allows_negative).
        raise ValidationError(
            f"{what} cannot be negative for a measure in {indicator.get_unit_display().lower()}.", code="min_value"
        )
    return value


def places_check(value: Decimal | None, indicator: Indicator, field: str = "value") -> None:
    """Raise ValidationError (for field) if value has more decimal places than the indicator reports."""
    if value is not None and -value.as_tuple().exponent > indicator.decimal_places:
        places = indicator.decimal_places
        message = ngettext(
            "%(code)s is reported to %(places)d decimal place; %(value)s has more.",
            "%(code)s is reported to %(places)d decimal places; %(value)s has more.",
            places,
        )
        raise ValidationError({field: message % {"code": indicator.code, "places": places, "value": value}})


def parse_money(text: str, what: str = "The amount") -> Decimal | None:
    """An amount in pounds and pence: "£1,234.50", "1234.5", "-250".

    Returns None for an empty entry; raises ValidationError saying what is wrong.
    """
    text = _cleaned(text)
    if not text:
        return None
    if text.startswith(("£", "-£")):
        text = text.replace("£", "", 1)
    if not NUMBER.fullmatch(text):
        raise ValidationError(f"{what} must be an amount in pounds, like £1,234.50.", code="invalid")
    value = Decimal(text.replace(",", ""))
    if abs(value) > LARGEST_AMOUNT:
        raise ValidationError(f"{what} is too large.", code="max_value")
    if value != value.quantize(Decimal("0.01")):
        raise ValidationError(f"{what} must be in pounds and pence: no more than 2 decimal places.", code="invalid")
    return value


def affixes(unit: str) -> tuple[str, str]:
    """What the entry pages show before and after the box a figure of the unit is typed in."""
    return ("£" if unit == Unit.CURRENCY else ""), SUFFIX.get(unit, "")
