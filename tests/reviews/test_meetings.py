"""PRT meetings: the pack on known data, publishing a frozen snapshot, the deadline, actions
carried forward, the overdue-action reminder and the pack as PDF and Excel."""

import datetime
import io
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook
from pypdf import PdfReader

from indicators.charts import sparkline
from indicators.models import Outturn
from outbox.models import Email
from plans.models import Plan, PlanStatus
from reviews import committee_report, packs, scorecards, services
from reviews.models import (
    Action,
    ActionStatus,
    BudgetLine,
    Feedback,
    FeedbackKind,
    GoodNewsStory,
    Meeting,
    MeetingKind,
    PackSnapshot,
)
from tests.reviews.builders import figure
from tests.reviews.world import World
from tests.shared_data import refreshed, shared

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 5, 20)


def meeting_world() -> World:
    """The review world with each portfolio covering its service, and owners with emails."""
    world = World()
    world.housing.services.add(world.homes)
    world.leisure.services.add(world.sport)
    world.people["officer"].email = "olive@example.org"
    world.people["officer"].save()
    world.people["manager"].email = "mo@example.org"
    world.people["manager"].save()
    return world


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker):
    with shared(django_db_blocker):
        yield meeting_world()


@pytest.fixture
def world(db, _world):
    return refreshed(_world)


def prt(world, date=datetime.date(2026, 6, 1), **fields) -> Meeting:
    fields.setdefault("portfolio", world.housing)
    return Meeting.objects.create(
        kind=fields.pop("kind", MeetingKind.PORTFOLIO_PRT),
        title=fields.pop("title", f"Housing PRT {date}"),
        date=date,
        period=fields.pop("period", world.quarter),
        chair=world.people["holder"],
        **fields,
    )


def act(world, meeting, description="Recruit two surveyors", due=datetime.date(2026, 7, 1), owner="officer", **kw):
    return services.action_raise(
        description=description,
        owner=world.people[owner],
        due=due,
        meeting=meeting,
        by=world.people["performance"],
        **kw,
    )


def test_pack_holds_the_portfolios_exceptions_budget_complaints_and_good_news(world):
    meeting = prt(world)
    BudgetLine.objects.create(
        service=world.homes,
        period=world.quarter,
        budget=D("100000"),
        forecast_outturn=D("101500"),
        savings_target=D("5000"),
        savings_delivered=D("3000"),
    )
    BudgetLine.objects.create(service=world.sport, period=world.quarter, budget=D("1"), forecast_outturn=D("9"))
    for received, sent in (
        (datetime.date(2025, 7, 1), datetime.date(2025, 7, 11)),
        (datetime.date(2025, 8, 1), datetime.date(2025, 8, 5)),
        (datetime.date(2025, 10, 1), None),
    ):  # the next quarter: not counted
        Feedback.objects.create(
            kind=FeedbackKind.COMPLAINT,
            service=world.homes,
            received=received,
            category="Repairs",
            response_due=datetime.date(2025, 7, 8),
            response_sent=sent,
        )
    Feedback.objects.create(
        kind=FeedbackKind.COMPLIMENT, service=world.homes, received=datetime.date(2025, 9, 1), category="Repairs"
    )
    GoodNewsStory.objects.create(
        title="Homes award", text="Won it", date=datetime.date(2025, 9, 9), indicator=world.red, is_published=True
    )
    # A draft waiting for approval stays out of the pack, and so does a story from after the pack was made.
    GoodNewsStory.objects.create(title="New homes", text="Draft", date=datetime.date(2025, 9, 10), indicator=world.red)
    GoodNewsStory.objects.create(
        title="Later news",
        text="Not yet",
        date=TODAY + datetime.timedelta(days=3),
        indicator=world.red,
        is_published=True,
    )
    remedial = act(world, None, "Red plan: new contractor", indicator=world.red)

    pack = packs.pack(meeting, today=TODAY)

    assert [(row["code"], row["status"]) for row in pack["exceptions"]] == [
        ("H1", "red"),
        ("H2", "amber"),
        ("H4", "overdue"),
    ]
    assert pack["exceptions"][0]["commentary"] == "The contractor went into administration."
    assert pack["exceptions"][0]["actions"] == [remedial.description]
    # Only the portfolio's services: Sport is in Leisure.
    [line] = pack["budget"]
    assert (line["service"], line["variance"], line["status"]) == ("Homes", "£1,500", "amber")
    assert line["savings_target"] == "£5,000" and line["savings_delivered"] == "£3,000"
    [complaints] = pack["feedback"]
    assert complaints == {
        "service": "Homes",
        "complaints": 2,
        "compliments": 1,
        "responded": 2,
        "late": 2,
        "average_days": "7.0",
    }
    assert [s["title"] for s in pack["good_news"]] == ["Homes award"]
    assert [p["title"] for p in pack["strategic"]] == ["Decent homes"]
    assert pack["portfolios"] == []


def test_budget_over_tolerance_is_red_and_within_budget_green(world, settings):
    settings.PMIS_BUDGET_TOLERANCE = D("0.01")
    line = BudgetLine.objects.create(
        service=world.homes, period=world.quarter, budget=D("100000"), forecast_outturn=D("101500")
    )
    assert packs.pack(prt(world), today=TODAY)["budget"][0]["status"] == "red"
    line.forecast_outturn = D("99000")
    line.save()
    assert packs.pack(prt(world, datetime.date(2026, 6, 2)), today=TODAY)["budget"][0]["status"] == "green"


def test_corporate_pack_summarises_every_portfolio(world):
    meeting = prt(world, kind=MeetingKind.CORPORATE_PRT, portfolio=None, title="Corporate PRT")
    pack = packs.pack(meeting, today=TODAY)
    summary = {p["name"]: (p["red"], p["amber"], p["overdue"]) for p in pack["portfolios"]}
    assert summary == {"Housing": (1, 1, 1), "Leisure": (1, 0, 0)}
    assert {row["code"] for row in pack["exceptions"]} == {"H1", "H2", "H4", "L1"}


def test_open_actions_carry_forward_until_closed(world):
    first = prt(world, datetime.date(2025, 11, 3))
    second = prt(world, datetime.date(2026, 2, 2))
    third = prt(world, datetime.date(2026, 5, 4))
    other_series = prt(world, datetime.date(2025, 11, 4), portfolio=world.leisure)
    act(world, first, "Still open")
    done_early = act(world, first, "Done before the second")
    act(world, other_series, "Leisure's own")
    raised_second = act(world, second, "Raised at the second")
    services.action_update(
        action=done_early,
        by=world.people["officer"],
        status=ActionStatus.DONE,
        text="Finished",
        today=datetime.date(2026, 1, 10),
    )

    def log(meeting):
        return [a.description for a in packs.action_log(meeting)]

    assert log(first) == ["Still open", "Done before the second"]
    # The second meeting reviews everything from the first, including what was done since.
    assert set(log(second)) == {"Still open", "Done before the second", "Raised at the second"}
    # The third: what was still open at the second, not what closed before it.
    assert set(log(third)) == {"Still open", "Raised at the second"}
    services.action_update(
        action=raised_second,
        by=world.people["officer"],
        status=ActionStatus.DROPPED,
        dropped_reason="Superseded",
        today=datetime.date(2026, 3, 1),
    )
    assert set(log(third)) == {"Still open", "Raised at the second"}
    assert third.previous() == second


def test_dropping_an_action_needs_a_reason(world):
    action = act(world, prt(world))
    with pytest.raises(Exception, match="Say why"):
        services.action_update(action=action, by=world.people["officer"], status=ActionStatus.DROPPED)
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN


def test_publishing_freezes_the_pack_and_tells_attendees(world, client, django_capture_on_commit_callbacks):
    meeting = prt(world)
    meeting.attendees.set([world.people["officer"], world.people["manager"]])
    with django_capture_on_commit_callbacks(execute=True):
        services.pack_publish(meeting=meeting, by=world.people["performance"])
    published = Email.objects.filter(subject__startswith="Papers published")
    assert sorted(published.values_list("to", flat=True)) == ["mo@example.org", "olive@example.org"]
    # The figure changes after publication: the published pack keeps the old one.
    outturn = Outturn.objects.get(indicator=world.red, period=world.quarter)
    figure(world.red, "2025/26 Q2", "150", commentary="Revised upwards.")
    assert Outturn.objects.get(pk=outturn.pk).value == D("150")
    client.force_login(world.people["chief"])
    body = client.get(reverse("reviews:meeting", args=[meeting.pk])).content.decode()
    assert "The contractor went into administration." in body
    assert "Revised upwards." not in body
    with pytest.raises(Exception, match="already been published"):
        services.pack_publish(meeting=meeting, by=world.people["performance"])
    assert PackSnapshot.objects.count() == 1


@pytest.mark.parametrize(
    ("meeting_date", "published", "state"),
    [
        # Today is Wednesday 20 May 2026; Monday 25 May is a bank holiday.
        (datetime.date(2026, 6, 3), None, "open"),  # deadline Tuesday 26 May
        (datetime.date(2026, 5, 28), None, "near"),  # deadline today, Wednesday 20 May
        (datetime.date(2026, 5, 27), None, "missed"),  # deadline Tuesday 19 May
        (datetime.date(2026, 5, 28), datetime.date(2026, 5, 20), "met"),
        (datetime.date(2026, 5, 28), datetime.date(2026, 5, 21), "missed"),
    ],
)
def test_deadline_is_five_working_days_before_and_warned(world, meeting_date, published, state):
    meeting = prt(world, meeting_date)
    assert meeting.deadline_state(TODAY, published) == state


def test_meeting_page_shows_the_deadline_and_warns_when_near(world, client):
    meeting = prt(world, datetime.date(2026, 5, 28))
    client.force_login(world.people["chief"])
    body = client.get(reverse("reviews:meeting", args=[meeting.pk])).content.decode()
    assert "Wednesday 20 May 2026" in body
    assert "2 working days or fewer away" in body


def test_overdue_reminder_sends_one_email_per_owner_once_a_day(world, django_capture_on_commit_callbacks):
    meeting = prt(world)
    act(world, meeting, "Late one", due=datetime.date(2026, 5, 1))
    act(world, meeting, "Late two", due=datetime.date(2026, 5, 19))
    act(world, meeting, "Not yet due", due=datetime.date(2026, 6, 19))
    done = act(world, meeting, "Done late", due=datetime.date(2026, 5, 1))
    services.action_update(action=done, by=world.people["officer"], status=ActionStatus.DONE)
    act(world, meeting, "Manager's", due=datetime.date(2026, 5, 1), owner="manager")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.overdue_actions_remind(today=TODAY) == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert services.overdue_actions_remind(today=TODAY) == 0
    chased = Email.objects.filter(key__startswith="actions-overdue:")
    assert chased.count() == 2
    olive = chased.get(to="olive@example.org")
    assert "Late one" in olive.body and "Late two" in olive.body
    assert "Not yet due" not in olive.body and "Done late" not in olive.body
    # The next day chases again.
    assert services.overdue_actions_remind(today=TODAY + datetime.timedelta(days=1)) == 2


def test_pack_downloads_as_a_readable_pdf_and_as_excel(world, client):
    meeting = prt(world)
    client.force_login(world.people["scrutiny"])
    response = client.get(reverse("reviews:meeting-pdf", args=[meeting.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    for title in ("Title H1", "Title H2", "Title H4"):
        assert title in text
    assert "Title L1" not in text
    response = client.get(reverse("reviews:meeting-xlsx", args=[meeting.pk]))
    book = load_workbook(io.BytesIO(response.content))
    exceptions = book["Exceptions"]
    assert [row[1] for row in exceptions.iter_rows(min_row=3, values_only=True)] == ["Title H1", "Title H2", "Title H4"]


def test_the_pack_pdf_is_tagged_and_keeps_welsh_and_polish_letters(world, client):
    """Councils publish accessible documents: the PDF is tagged (PDF/UA-1) with a title and a
    language, its text is Unicode and its links are absolute addresses."""
    world.red.title = "Tai Gŵyr a Dyffryn ŷd, Łódź twinning"
    world.red.save(update_fields=["title"])
    meeting = prt(world, title="Pwyllgor Craffu: Gŵyr ŷ Ł")
    client.force_login(world.people["scrutiny"])
    response = client.get(reverse("reviews:meeting-pdf", args=[meeting.pk]))
    assert response["Content-Type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert "Pwyllgor Craffu: Gŵyr ŷ Ł" in text and "Tai Gŵyr a Dyffryn ŷd, Łódź twinning" in text
    catalog = pdf.trailer["/Root"]
    assert "/StructTreeRoot" in catalog and catalog["/MarkInfo"]["/Marked"]
    assert catalog["/Lang"] == "en-GB"
    assert pdf.metadata.title.startswith("Pwyllgor Craffu: Gŵyr ŷ Ł")
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"]
    links = [
        annotation.get_object()["/A"]["/URI"]
        for page in pdf.pages
        for annotation in page.get("/Annots", [])
        if "/URI" in annotation.get_object().get("/A", {})
    ]
    assert links and all(link.startswith("http://testserver/") for link in links)


def test_the_committee_report_is_a_word_document_with_headings_and_every_exception(world, client):
    Plan.objects.filter(pk=world.plan.pk).update(status=PlanStatus.APPROVED)
    meeting = prt(world)
    Action.objects.create(
        description="Re-tender the repairs contract",
        owner=world.people["officer"],
        due=datetime.date(2026, 7, 1),
        indicator=world.red,
        raised_by=world.people["performance"],
        raised_at=timezone.now(),
    )
    client.force_login(world.people["holder"])
    response = client.get(reverse("reviews:meeting-docx", args=[meeting.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    document = Document(io.BytesIO(response.content))
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert headings[0] == ("Title", f"{meeting.title}: performance report, {world.quarter.label}")
    assert ("Heading 1", "Summary") in headings and ("Heading 1", "Decent homes") in headings
    # Every exception of the portfolio (Red H1, Amber H2, overdue H4), each under its own heading.
    exceptions = [text for style, text in headings if style == "Heading 2"]
    assert exceptions == ["H1 Title H1", "H2 Title H2", "H4 Title H4"]
    text = "\n".join(p.text for p in document.paragraphs)
    assert "The contractor went into administration." in text and "Re-tender the repairs contract" in text
    assert "Composite status: Red" in text
    # The summary table counts the statuses.
    summary = document.tables[0]
    assert [cell.text for cell in summary.rows[0].cells][:2] == ["Status", "Indicators"]
    assert [cell.text for cell in summary.rows[3].cells][:2] == ["Red", "1"]


def test_the_committee_report_draws_each_exceptions_trend_chart_with_alt_text(world, client):
    """Each exception with a trend carries the chart the exception report page draws, as a
    picture (Word takes no SVG) whose alt text reads out its title and figures."""
    meeting = prt(world)
    client.force_login(world.people["holder"])
    document = Document(io.BytesIO(client.get(reverse("reviews:meeting-docx", args=[meeting.pk])).content))
    pictures = {}
    heading = None
    for paragraph in document.paragraphs:
        if paragraph.style.name == "Heading 2":
            heading = paragraph.text
        for properties in paragraph._p.iter(qn("wp:docPr")):
            pictures.setdefault(heading, []).append(properties.get("descr"))
    assert len(document.inline_shapes) == sum(len(found) for found in pictures.values())
    indicators = packs.scope_indicators(meeting).order_by("code")
    report = scorecards.scorecard(indicators, meeting.period, today=timezone.localdate())
    charted = {
        f"{row.indicator.code} {row.indicator.title}": row
        for row in report.rows
        if row.status in committee_report.EXCEPTIONS and row.sparkline
    }
    assert charted, "the world has an exception with a trend to draw"
    # One picture per exception with a trend, none elsewhere.
    assert set(pictures) == set(charted)
    for heading, descriptions in pictures.items():
        row = charted[heading]
        assert len(descriptions) == 1
        label, figure = next((label, figure) for label, figure in reversed(row.trend) if figure is not None)
        assert descriptions[0].startswith(f"{row.indicator.code}: recent figures to ")
        assert f"{label}: {figure}" in descriptions[0]


def test_a_chart_becomes_a_png_with_its_title_and_figures_as_words():
    svg = sparkline(["2025/26 Q1", "2025/26 Q2", "2025/26 Q3"], ["10.0", None, "12.5"], title="H1: <recent> & more")
    png, words = committee_report.chart_png(svg)
    # Drawn four times its on-screen 100 by 24 pixels, so it prints sharply.
    assert png.startswith(b"\x89PNG") and png[16:24] == (400).to_bytes(4) + (96).to_bytes(4)
    assert words == "H1: <recent> & more. 2025/26 Q1: 10.0; 2025/26 Q3: 12.5"
