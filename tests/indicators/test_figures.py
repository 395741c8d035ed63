"""Reading figures and amounts: every page and importer goes through these (no database)."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from indicators.figures import MISSING_HINT, parse_figure, parse_money, places_check
from indicators.models import Indicator, Unit


def indicator(unit=Unit.NUMBER, places=0, code="LPI 1"):
    return Indicator(code=code, title="A measure", unit=unit, decimal_places=places)


def message(call) -> str:
    with pytest.raises(ValidationError) as raised:
        call()
    return " ".join(raised.value.messages)


class TestParseFigure:
    @pytest.mark.parametrize(
        ("unit", "text", "value"),
        [
            (Unit.NUMBER, "1,234", D("1234")),
            (Unit.NUMBER, "1,234,567.5", D("1234567.5")),
            (Unit.NUMBER, " 12 ", D("12")),
            (Unit.NUMBER, "1\u00a0234", D("1234")),  # a no-break space copied from a web page
            (Unit.NUMBER, "1\u202f234", D("1234")),
            (Unit.NUMBER, "-3", D("-3")),
            (Unit.NUMBER, "0", D("0")),
            (Unit.PERCENTAGE, "95%", D("95")),
            (Unit.PERCENTAGE, "95.0", D("95.0")),
            (Unit.CURRENCY, "£1,234.50", D("1234.50")),
            (Unit.CURRENCY, "-£250", D("-250")),
            (Unit.NUMBER, "99999999999999", D("99999999999999")),  # the largest stored
            (Unit.NUMBER, "-99999999999999", D("-99999999999999")),
        ],
    )
    def test_reads_what_people_type(self, unit, text, value):
        assert parse_figure(text, indicator(unit)) == value

    @pytest.mark.parametrize("text", ["", "   ", "\u00a0"])
    def test_an_empty_entry_is_no_figure(self, text):
        assert parse_figure(text, indicator()) is None

    @pytest.mark.parametrize(
        ("unit", "text"),
        [
            (Unit.NUMBER, "n/a"),
            (Unit.NUMBER, "1,23"),  # commas group thousands only
            (Unit.NUMBER, "1,2345"),
            (Unit.NUMBER, "1.2.3"),
            (Unit.NUMBER, "1e3"),
            (Unit.NUMBER, "1_000"),
            (Unit.NUMBER, "+5"),
            (Unit.NUMBER, ".5"),
            (Unit.NUMBER, "NaN"),
            (Unit.NUMBER, "Infinity"),
            (Unit.NUMBER, "95%"),  # a percent sign on a number that is not a percentage
            (Unit.NUMBER, "£5"),
            (Unit.PERCENTAGE, "%95"),
            (Unit.CURRENCY, "££5"),
        ],
    )
    def test_refuses_what_is_not_a_number(self, unit, text):
        text_of = message(lambda: parse_figure(text, indicator(unit), "The value"))
        assert text_of.startswith("The value must be a number, like ")

    def test_the_example_is_in_the_indicators_unit(self):
        assert "like £1,234.50." in message(lambda: parse_figure("lots", indicator(Unit.CURRENCY, 2)))
        assert "like 1,234.5%." in message(lambda: parse_figure("lots", indicator(Unit.PERCENTAGE, 1)))

    def test_the_hint_about_a_missing_figure_only_where_a_reason_can_be_given(self):
        outturn = message(lambda: parse_figure("dna", indicator(), may_be_missing=True))
        target = message(lambda: parse_figure("dna", indicator(), "The target"))
        assert (
            outturn
            == "The figure must be a number, like 1,234; if there is no figure, say why it is not available instead."
        )
        assert target == "The target must be a number, like 1,234."
        assert MISSING_HINT in outturn and MISSING_HINT not in target

    @pytest.mark.parametrize("text", ["100000000000000", "-100000000000000", "1" + "0" * 40])
    def test_refuses_a_figure_too_large_to_store(self, text):
        assert message(lambda: parse_figure(text, indicator(), "The target")) == "The target is too large."

    @pytest.mark.parametrize("unit", [Unit.DAYS, Unit.RATE_PER_1000, Unit.RATIO])
    def test_refuses_negative_figures_where_the_unit_cannot_be(self, unit):
        unit_name = indicator(unit).get_unit_display().lower()
        assert message(lambda: parse_figure("-1", indicator(unit))) == (
            f"The figure cannot be negative for a measure in {unit_name}."
        )
        assert parse_figure("0", indicator(unit)) == 0

    def test_negative_days_where_the_indicator_allows_them(self):
        behind = Indicator(code="P1", title="Days behind schedule", unit=Unit.DAYS, allows_negative=True)
        assert parse_figure("-3", behind) == D("-3")

    @pytest.mark.parametrize("unit", [Unit.NUMBER, Unit.PERCENTAGE, Unit.CURRENCY])
    def test_negative_figures_where_the_unit_can_be(self, unit):
        assert parse_figure("-1", indicator(unit)) == D("-1")


class TestPlacesCheck:
    def test_up_to_the_indicators_places(self):
        places_check(D("95.5"), indicator(places=1))
        places_check(D("95"), indicator(places=1))
        places_check(None, indicator(places=0))

    def test_refuses_more_places_for_the_field_named(self):
        with pytest.raises(ValidationError) as raised:
            places_check(D("95.55"), indicator(places=1, code="LPI 010"), "annual")
        assert raised.value.message_dict == {"annual": ["LPI 010 is reported to 1 decimal place; 95.55 has more."]}

    def test_trailing_zeros_count_as_places(self):
        with pytest.raises(ValidationError):
            places_check(D("95.50"), indicator(places=1))


class TestParseMoney:
    @pytest.mark.parametrize(
        ("text", "value"),
        [
            ("£1,234.50", D("1234.50")),
            ("1234.5", D("1234.5")),
            ("1,234", D("1234")),
            ("-250", D("-250")),
            ("-£250.00", D("-250")),
            ("£ 1 234", D("1234")),
            ("0", D("0")),
            ("999999999999.99", D("999999999999.99")),  # the largest stored
            ("1.500", D("1.5")),  # pence, written with a trailing zero
        ],
    )
    def test_reads_pounds_and_pence(self, text, value):
        assert parse_money(text) == value

    def test_an_empty_entry_is_no_amount(self):
        assert parse_money("  ") is None

    @pytest.mark.parametrize("text", ["ten", "1,2,3", "12%", "1e3", "1_000", "NaN", "$5"])
    def test_refuses_what_is_not_an_amount(self, text):
        assert (
            message(lambda: parse_money(text, "The budget"))
            == "The budget must be an amount in pounds, like £1,234.50."
        )

    def test_refuses_fractions_of_a_penny(self):
        assert message(lambda: parse_money("1.005", "The budget")) == (
            "The budget must be in pounds and pence: no more than 2 decimal places."
        )

    @pytest.mark.parametrize("text", ["1000000000000", "-1000000000000", "1" + "0" * 40 + ".001"])
    def test_refuses_an_amount_too_large_to_store(self, text):
        assert message(lambda: parse_money(text)) == "The amount is too large."
