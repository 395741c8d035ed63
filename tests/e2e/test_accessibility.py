"""Every page of the application, as someone allowed to see it, checked with axe-core."""

import pytest
from django.urls import reverse

from tests.test_access import World

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "correct-horse-battery-staple"


def pages(world):
    indicator, quarter = world.indicator, world.quarter
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
        ],
        "performance": [
            reverse("indicators:validation"),
            reverse("indicators:periods"),
            reverse("indicators:targets"),
            reverse("indicators:outturn-entry", args=[indicator.pk, world.submitted.period_id]),
        ],
        "holder": [reverse("indicators:sign-off")],
        "chief": [
            reverse("reviews:scorecards"),
            reverse("reviews:scorecard", args=[world.scorecard.slug]),
            reverse("reviews:scope-scorecard", args=["portfolio", indicator.portfolio_id]),
            reverse("reviews:exception-report"),
        ],
        "scrutiny": [reverse("indicators:home"), reverse("indicators:my-returns"), "/no-such-page/"],
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
    for who, paths in pages(world).items():
        visitor.page.context.clear_cookies()
        if who:
            user = world.people[who]
            user.set_password(PASSWORD)
            user.save()
            visitor.sign_in(user.username, PASSWORD)
        for path in paths:
            visitor.go(path)
    with capsys.disabled():
        print("\naxe-core WCAG 2.2 A/AA, pages checked with no violations (rules passed):")
        for path, passes in sorted(visitor.checked.items()):
            print(f"  {path}: {passes}")
