"""In the browser, axe on every page: the performance team arranges a surgery straight from a
scrutiny referral; a large pack's PDF is made in the background and its page offers the
download; a risk's owner raises an action that lands in My actions and on their home page
with the plans they own; a note on a figure shows on the indicator's chart and table."""

import datetime
from decimal import Decimal as D

import pytest

from indicators import services as indicator_services
from organisation.models import Role
from reviews import scrutiny
from reviews import services as review_services
from reviews.models import Meeting, PdfJob, Referral
from risks.services import categories_ensure, risk_save
from tests.e2e.test_journeys import PASSWORD, latest_ended_quarter
from tests.indicators.factories import IndicatorFactory, period
from tests.organisation.factories import PortfolioFactory, ServiceFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_surgery_from_a_referral_background_pdf_risk_action_and_chart_note(visitor, settings):
    settings.PMIS_PDF_BACKGROUND_ROWS = 0
    team = UserFactory(username="pat.team", roles=[Role.PERFORMANCE_TEAM], first_name="Pat", password=PASSWORD)
    member = UserFactory(username="sue.scrutiny", roles=[Role.SCRUTINY_MEMBER])
    holder = UserFactory(username="hal.holder", roles=[Role.PORTFOLIO_HOLDER], first_name="Hal")
    owner = UserFactory(username="olive.owner", roles=[Role.OFFICER], first_name="Olive", password=PASSWORD)
    service = ServiceFactory(name="Housing repairs")
    portfolio = PortfolioFactory(name="Housing", holder=holder)
    portfolio.services.add(service)
    quarter = latest_ended_quarter()
    indicator = IndicatorFactory(
        title="Repairs completed on time", service=service, portfolio=portfolio, responsible_officer=owner
    )
    indicator_services.target_set(indicator=indicator, period=quarter, value=D("90"), rationale="Trend", by=owner)
    indicator_services.outturn_record(
        indicator=indicator, period=quarter, value=D("40"), commentary="Contractor failed.", by=owner
    )
    referral = scrutiny.referral_raise(indicator=indicator, kind="surgery", reason="Red again", by=member)
    page = visitor.page

    visitor.sign_in("pat.team", PASSWORD)
    visitor.go(f"/referrals/{referral.pk}/")
    page.get_by_role("link", name=f"Arrange a performance surgery on {indicator.code}").click()
    visitor.check()
    page.get_by_label("Date of the meeting").fill(
        (datetime.date.today() + datetime.timedelta(days=14)).strftime("%d/%m/%Y")
    )
    page.locator("#id_period").select_option(label=quarter.label)
    page.get_by_role("button", name="Arrange meeting").click()
    visitor.check()
    surgery = Meeting.objects.get()
    assert surgery.chair == holder and list(surgery.indicators.all()) == [indicator]
    assert Referral.objects.get().answer.startswith("A performance surgery is arranged")

    # A large pack's PDF is made in the background (at once here: no broker).
    page.get_by_role("link", name="Download the pack as PDF").click()
    visitor.check()
    job = PdfJob.objects.get()
    assert page.url.endswith(f"/pdfs/{job.pk}/") and "Your PDF is ready" in page.locator("main").inner_text()

    risk = risk_save(
        title="Contractor fails",
        cause="One contractor",
        event="It fails",
        consequence="Repairs stop",
        owner=owner,
        category=categories_ensure()["Operational"],
        directorate=service.directorate,
        inherent_likelihood=4,
        inherent_impact=4,
        residual_likelihood=3,
        residual_impact=4,
        target_score=4,
        review_due=datetime.date.today() + datetime.timedelta(days=30),
        by=team,
    )
    review_services.action_plan_record(
        indicator=indicator,
        description="Second contractor for urgent repairs",
        owner=owner,
        due=datetime.date.today() + datetime.timedelta(days=60),
        recover_by=period(quarter.label),
        steps=[("Sign the contract", datetime.date.today() + datetime.timedelta(days=20))],
        by=owner,
    )
    page.context.clear_cookies()
    visitor.sign_in("olive.owner", PASSWORD)
    visitor.go(f"/risks/{risk.pk}/")
    page.get_by_role("link", name="Raise an action to treat this risk").click()
    visitor.check()
    page.get_by_role("button", name="Raise the action").click()
    visitor.check()
    assert "Describe what is to be done." in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("What is to be done").fill("Keep a list of standby contractors")
    page.get_by_label("Owner").select_option(label="Olive " + owner.last_name)
    page.get_by_label("Due date").fill((datetime.date.today() + datetime.timedelta(days=30)).strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Raise the action").click()
    visitor.check()
    assert "Keep a list of standby contractors" in page.locator("main").inner_text()
    visitor.go("/")
    assert "Second contractor for urgent repairs" in page.locator("#my-plans").inner_text()

    visitor.go(f"/indicators/{indicator.pk}/")
    page.get_by_role("link", name="Add or change a note on the chart").click()
    visitor.check()
    page.get_by_label("Period").select_option(label=quarter.label)
    page.get_by_label("Note").fill("Contractor went into administration")
    page.get_by_role("button", name="Save the note").click()
    visitor.check()
    assert "Contractor went into administration" in page.locator("#figures").inner_text()
    assert page.locator("#chart .pmis-chart__note").count() == 1
