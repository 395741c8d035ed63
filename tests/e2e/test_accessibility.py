"""Every page of the application, as someone allowed to see it, checked with axe-core on a
1,280 px screen, and measured on a 375 px phone, where none may scroll sideways."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from indicators import services
from tests.indicators.factories import IndicatorFactory, period
from tests.test_access import World

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "correct-horse-battery-staple"
SCREEN = {"width": 1280, "height": 900}
# The elements that reach past the window's right edge while their parent does not.
OVERFLOWING = """() => {
  const edge = document.documentElement.clientWidth + 1;
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
    + (typeof el.className === "string" ? el.className.trim().split(/\\s+/).map((c) => c && "." + c).join("") : "");
  return [...document.querySelectorAll("body *")]
    .filter((el) => el.getBoundingClientRect().right > edge && el.parentElement.getBoundingClientRect().right <= edge)
    .slice(0, 3).map(name);
}"""


def statistics_world(world):
    """An indicator with a special cause and a fixed baseline, and a cumulative one likely to
    miss its annual target, so that the XmR chart, its table and the forecast are checked."""
    team = world.people["performance"]
    varied = IndicatorFactory(unit="number", decimal_places=1, polarity="higher", service=world.indicator.service)
    quarters = [f"{year}/{str(year + 1)[2:]} Q{q}" for year in range(2021, 2025) for q in range(1, 5)]
    for label, value in zip(quarters, [*["12", "10"] * 6, "40"], strict=False):
        services.outturn_record(indicator=varied, period=period(label), by=team, value=D(value))
    services.spc_baseline_set(
        indicator=varied, first_period=period(quarters[0]), last_period=period(quarters[11]), reason="New", by=team
    )
    cumulative = IndicatorFactory(unit="number", decimal_places=0, polarity="higher", is_cumulative=True)
    services.target_set(indicator=cumulative, period=period("2025/26"), value=D(100), rationale="", by=team)
    services.outturn_record(indicator=cumulative, period=period("2025/26 Q1"), by=team, value=D(10))
    world.scorecard.indicators.add(varied)
    return varied, cumulative


def pages(world):
    indicator, quarter = world.indicator, world.quarter
    varied, cumulative = statistics_world(world)
    return {
        "officer": [
            reverse("indicators:home"),
            reverse("indicators:my-returns"),
            reverse("indicators:outturn-entry", args=[indicator.pk, quarter.pk]),
            reverse("indicators:bulk-entry", args=[indicator.service_id, quarter.pk]),
            reverse("indicators:targets"),
            reverse("indicators:target-edit", args=[indicator.pk, 2025]),
            reverse("indicators:indicator-history", args=[indicator.pk]),
            reverse("indicators:indicator-detail", args=[indicator.pk]),
            reverse("password_change"),
            reverse("two-factor"),
            reverse("two-factor-setup"),
            reverse("imports:returns"),
            reverse("imports:returns") + "?period=&scope=mine",
            reverse("imports:formats"),
            reverse("imports:run", args=[world.import_run().pk]),
            reverse("imports:run", args=[world.import_run("n/a").pk]),
            reverse("reviews:my-actions"),
            reverse("reviews:action", args=[world.action().pk]),
        ],
        "performance": [
            reverse("indicators:validation"),
            reverse("indicators:periods"),
            reverse("indicators:targets"),
            reverse("indicators:quality-assurance"),
            reverse("indicators:quality-assurance-done"),
            reverse("indicators:outturn-entry", args=[indicator.pk, world.submitted.period_id]),
            reverse("two-factor"),
            reverse("indicators:indicator-detail", args=[varied.pk]),
            reverse("indicators:indicator-detail", args=[cumulative.pk]),
            reverse("indicators:spc-baseline", args=[varied.pk]),
            reverse("indicators:method"),
            reverse("imports:framework"),
            reverse("imports:benchmarks"),
            reverse("imports:budget"),
            reverse("plans:plan", args=[world.assured_plan.pk]),
            reverse("reviews:meetings"),
            reverse("reviews:meeting-add"),
            reverse("reviews:meeting", args=[world.meeting().pk]),
            reverse("reviews:meeting", args=[world.meeting(surgery=True).pk]),
            reverse("reviews:surgery-record", args=[world.meeting(surgery=True).pk]),
            reverse("reviews:action-add", args=[world.meeting().pk]),
            reverse("reviews:action", args=[world.action().pk]),
            reverse("reviews:budget"),
            reverse("reviews:feedback"),
            reverse("reviews:referral-surgery", args=[world.referral().pk]),
            reverse("reviews:pdf-job", args=[world.pdf_job().pk]),
            reverse("indicators:chart-note", args=[indicator.pk]),
            reverse("risks:risk-action-add", args=[world.risk().pk]),
        ],
        "holder": [
            reverse("indicators:sign-off"),
            reverse("indicators:sign-off-done"),
            reverse("plans:prt-selection", args=[world.review_plan.pk]),
        ],
        "chief": [
            reverse("reviews:scorecards"),
            reverse("reviews:scorecard", args=[world.scorecard.slug]),
            reverse("reviews:scope-scorecard", args=["portfolio", indicator.portfolio_id]),
            reverse("reviews:exception-report"),
            reverse("reviews:exception-report") + f"?likely_to_miss=1&period={period('2025/26 Q1').pk}",
            reverse("reviews:scorecard", args=[world.scorecard.slug]) + "?sort=variation",
            # The Council Scorecard as the public sees it (issue 19).
            reverse("reviews:scorecard", args=[world.scorecard.slug]) + "?view=public",
        ],
        "scrutiny": [
            reverse("indicators:home"),
            reverse("indicators:my-returns"),
            "/no-such-page/",
            reverse("plans:plan", args=[world.review_plan.pk]),
        ],
        "manager": [
            reverse("plans:plan", args=[world.review_plan.pk]),
            reverse("plans:service-objectives", args=[indicator.service_id]),
            reverse("plans:milestone-update", args=[world.milestone.pk]),
            reverse("plans:priority-basket", args=[world.draft_priority.pk]),
            reverse("plans:milestone-add", args=[world.draft_priority.pk]),
            reverse("plans:priority", args=[world.draft_priority.pk]),
        ],
        "other_holder": [
            reverse("plans:plans"),
            reverse("plans:priority", args=[world.priority.pk]),
            reverse("plans:plan", args=[world.draft_plan.pk]),
        ],
        None: [
            reverse("login"),
            reverse("password_reset"),
            reverse("password_reset_done"),
            # The public pages, as an anonymous resident (tests/e2e/test_public.py checks them
            # with fuller data, without JavaScript and at 400% zoom).
            reverse("public:home"),
            reverse("public:scorecard"),
            reverse("public:indicator", args=[world.published.code]),
            reverse("public:annual-report", args=[2025]),
            reverse("public:glossary"),
            reverse("public:accessibility"),
            reverse("public:ratings"),
            reverse("public:open-data"),
        ],
    }


def test_every_page_has_no_wcag_22_aa_violations(visitor, capsys):
    world = World()
    too_wide = []
    visitor.page.set_viewport_size(SCREEN)
    for who, paths in pages(world).items():
        visitor.page.context.clear_cookies()
        if who:
            user = world.people[who]
            user.set_password(PASSWORD)
            user.save()
            visitor.sign_in(user.username, PASSWORD)
        for path in paths:
            visitor.go(path)
            # The same page on a phone: resized in place, it must not scroll sideways.
            visitor.page.set_viewport_size({"width": 375, "height": 900})
            wide = visitor.page.evaluate("document.documentElement.scrollWidth")
            if wide > 375:
                culprits = ", ".join(visitor.page.evaluate(OVERFLOWING))
                too_wide.append(f"{path} as {who or 'a visitor'}: {wide} px ({culprits})")
            visitor.page.set_viewport_size(SCREEN)
    assert not too_wide, "wider than a 375 px phone:\n" + "\n".join(too_wide)
    with capsys.disabled():
        print("\naxe-core WCAG 2.2 A/AA, pages checked with no violations (rules passed):")
        for path, passes in sorted(visitor.checked.items()):
            print(f"  {path}: {passes}")
