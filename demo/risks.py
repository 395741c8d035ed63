"""The demo council's risk registers and recommendations tracker.

A corporate register of 15 risks (12 corporate, 3 escalated from directorates) and a
register for each directorate; a few risks sit above the council's appetite, a few rose at
their last review and a few reviews are overdue. One external audit of performance
management with 14 recommendations at various stages, modelled on the Audit Commission's
audit in seed 001. Everything is dated from `today`, so the same date gives the same council.
"""

import datetime

from indicators.models import Indicator
from organisation.models import Role
from plans.models import PlanKind, Priority
from reviews.models import Action
from reviews.services import action_raise
from risks.models import RiskStatus, SourceKind
from risks.services import categories_ensure, recommendation_save, risk_review, risk_save, source_save

# (register: None for corporate, else the directorate's code; title; cause; event;
#  consequence; owner: a directorate code (its director) or a service code (its head);
#  category; inherent (likelihood, impact); residual at the last review; residual now (a
#  rise when higher); target; service whose first indicator it relates to; state: "ok",
#  "overdue" (review overdue) or "escalated")
RISKS = [
    (None, "Medium-term budget gap not closed", "Rising demand and flat government funding",
     "the council cannot set a balanced budget for 2027/28", "unplanned cuts to front-line services",
     "RES", "Financial", (5, 5), (3, 4), (4, 4), 8, "FIN", "ok"),
    (None, "Cyber attack disables council systems", "Out-of-date software and phishing",
     "a ransomware attack takes core systems offline", "services cannot be delivered or paid for for weeks",
     "RES", "Operational", (4, 5), (3, 3), (3, 3), 8, "CUS", "ok"),
    (None, "Children's services judged inadequate", "High caseloads and agency social workers",
     "Ofsted judges children's services inadequate", "government intervention and harm to children",
     "CAS", "Compliance", (4, 5), (2, 5), (3, 5), 5, "CSC", "ok"),
    (None, "Adult social care market fails", "Care providers' rising costs",
     "a major home care provider leaves the market", "vulnerable adults go without care",
     "CAS", "Operational", (4, 5), (3, 3), (3, 3), 6, "ASC", "ok"),
    (None, "Corporate Plan priorities not delivered", "Too many priorities and weak programme management",
     "the Corporate Plan's outcomes slip", "residents see no improvement and trust falls",
     "CEX", "Strategic", (4, 4), (3, 3), (3, 3), 6, "POL", "overdue"),
    (None, "Workforce shortages in key professions", "A national shortage of planners and social workers",
     "vacancies stay unfilled", "statutory deadlines are missed",
     "CEX", "Operational", (4, 4), (3, 3), (3, 3), 6, "HRO", "ok"),
    (None, "Information governance breach", "Paper records and untrained staff",
     "personal data is disclosed", "fines from the regulator and harm to residents",
     "CEX", "Compliance", (3, 4), (2, 3), (2, 3), 4, "LDS", "ok"),
    (None, "Homelessness demand exceeds temporary accommodation", "Rising rents and evictions",
     "the council must use bed and breakfast for families", "cost overruns and breaches of the six-week limit",
     "COM", "Financial", (5, 4), (4, 3), (4, 3), 8, "HOP", "overdue"),
    (None, "Climate emergency commitments missed", "No funded plan for the council's own emissions",
     "the 2030 net zero target is missed", "reputational damage and higher energy costs",
     "ENV", "Strategic", (4, 3), (3, 3), (3, 3), 9, "ENV", "ok"),
    (None, "Major contractor fails", "Thin margins in the waste and highways contracts",
     "a major contractor becomes insolvent", "bins are not collected and roads not repaired",
     "ENV", "Operational", (3, 5), (2, 4), (2, 4), 6, "WST", "ok"),
    (None, "Emergency response not effective", "Plans not tested since 2022",
     "the council responds poorly to a flood or major incident", "harm to residents and loss of confidence",
     "CEX", "Operational", (3, 4), (2, 3), (2, 3), 6, "CSY", "ok"),
    (None, "Capital programme slippage", "Construction inflation and few bidders",
     "schemes are delivered late and over budget", "borrowing costs rise and benefits are delayed",
     "RES", "Financial", (4, 3), (3, 3), (3, 3), 6, "PRP", "ok"),
    ("CAS", "Special educational needs deficit grows", "Demand for education, health and care plans",
     "the high-needs budget deficit keeps growing", "the council's reserves are exhausted",
     "EDU", "Financial", (5, 4), (4, 3), (4, 4), 8, "EDU", "escalated"),
    ("COM", "Housing repairs backlog", "Damp and mould cases after wet winters",
     "repairs are not done within the timescales", "harm to tenants and action by the housing regulator",
     "HSG", "Compliance", (4, 4), (3, 3), (4, 3), 6, "HSG", "escalated"),
    ("ENV", "Highways maintenance backlog", "Years of under-investment in roads",
     "road condition worsens and claims rise", "injuries, claims and complaints",
     "SHW", "Operational", (4, 3), (3, 3), (3, 3), 6, "SHW", "escalated"),
    ("CEX", "Elections not run well", "New voter identification rules",
     "voters are turned away at polling stations", "legal challenge to the result",
     "LDS", "Compliance", (3, 4), (2, 2), (2, 2), 4, "LDS", "ok"),
    ("RES", "Benefits backlog grows", "The move to Universal Credit and staff turnover",
     "new claims take longer to process", "hardship for claimants and lost subsidy",
     "REV", "Operational", (4, 3), (3, 3), (3, 3), 6, "REV", "ok"),
    ("RES", "Council tax collection falls", "Cost of living pressures",
     "collection rates fall below target", "less income to fund services",
     "REV", "Financial", (3, 3), (2, 3), (2, 3), 6, "REV", "ok"),
    ("ENV", "Planning appeals lost", "Out-of-date local plan",
     "speculative housing is approved on appeal", "costs awarded and unplanned development",
     "PLN", "Strategic", (3, 4), (2, 3), (2, 3), 6, "PLN", "overdue"),
    ("ENV", "Food hygiene inspections fall behind", "Vacant environmental health posts",
     "high-risk premises go uninspected", "an outbreak of food poisoning",
     "EHL", "Compliance", (3, 4), (2, 3), (2, 3), 4, "EHL", "ok"),
    ("COM", "Leisure centre closes", "Energy costs at an old building",
     "the operator hands back the contract", "loss of swimming and fitness provision",
     "LEI", "Operational", (3, 3), (2, 3), (2, 3), 4, "LEI", "ok"),
    ("COM", "Anti-social behaviour rises", "Cuts to youth services",
     "anti-social behaviour rises in the town centre", "residents feel unsafe",
     "CSY", "Operational", (3, 3), (2, 2), (2, 2), 4, "CSY", "ok"),
    ("CAS", "Public health grant falls", "A real-terms cut in the grant",
     "prevention services are reduced", "long-term demand on health and care rises",
     "PHL", "Financial", (3, 3), (2, 3), (2, 3), 4, "PHL", "ok"),
    ("CAS", "Delayed discharges from hospital", "Too few home care packages",
     "people wait in hospital for care at home", "poorer outcomes and NHS pressure",
     "ASC", "Operational", (4, 3), (3, 3), (3, 3), 6, "ASC", "overdue"),
]  # fmt: skip

# The controls in place for each risk, and what its owner found at the last review.
CONTROLS: dict[str, tuple[str, str]] = {
    "Medium-term budget gap not closed": (
        "Medium-term financial plan refreshed twice a year; savings programme tracked monthly by Cabinet.",
        "Gap for 2027/28 narrowed to £3.1m after the fees and charges review.",
    ),
    "Cyber attack disables council systems": (
        "Multi-factor sign-in for all staff, tested offline backups and phishing training every year.",
        "Backups restored in a test in six hours; two servers still await an upgrade.",
    ),
    "Children's services judged inadequate": (
        "Monthly case file audits, an improvement board chaired by the chief executive and caseload caps.",
        "Audits show more plans rated good; agency staff still hold a quarter of cases.",
    ),
    "Adult social care market fails": (
        "Provider failure plan, quarterly financial checks on the largest providers and a fair cost of care rate.",
        "One provider on the watch list after late payroll; contingency packages identified.",
    ),
    "Corporate Plan priorities not delivered": (
        "Each priority has a lead director and milestones reported quarterly to Cabinet.",
        "Two milestones slipped this quarter; both have new dates agreed.",
    ),
    "Workforce shortages in key professions": (
        "Market supplements for planners and social workers, a grow-our-own scheme and exit interviews.",
        "Vacancies in planning fell after the apprenticeship intake; social work is unchanged.",
    ),
    "Information governance breach": (
        "Mandatory data protection training, a records scanning programme and a breach log reviewed monthly.",
        "Three minor breaches this quarter, none reportable to the regulator.",
    ),
    "Homelessness demand exceeds temporary accommodation": (
        "Prevention fund, a landlord incentive scheme and a programme to buy homes for temporary use.",
        "Families in bed and breakfast fell to six; approaches are still rising.",
    ),
    "Climate emergency commitments missed": (
        "Carbon budget for the council's own estate and a costed action plan reviewed by the climate board.",
        "Solar panels at the civic centre approved; fleet replacement is behind plan.",
    ),
    "Major contractor fails": (
        "Credit checks on major contractors every quarter and step-in plans for waste and highways.",
        "Waste contractor's accounts show a small profit; highways contractor under watch.",
    ),
    "Emergency response not effective": (
        "Emergency plan, on-call rota for senior officers and an exercise with the local resilience forum.",
        "Flood exercise held in October; the rest centre list has been updated.",
    ),
    "Capital programme slippage": (
        "Gateway reviews before each scheme starts and monthly reporting to the capital board.",
        "Leisure centre works three weeks late; the school expansion is on time.",
    ),
    "Special educational needs deficit grows": (
        "High-needs recovery plan agreed with the Department for Education and panel review of new plans.",
        "Deficit still growing, but more slowly since the new special school unit opened.",
    ),
    "Housing repairs backlog": (
        "Damp and mould taskforce, weekly backlog reporting and a second repairs contractor on call.",
        "Backlog down by a fifth; the oldest cases are waiting for roof replacements.",
    ),
    "Highways maintenance backlog": (
        "Road condition surveys each winter and a risk-based repair programme.",
        "Survey found more defects on estate roads; the programme has been reprioritised.",
    ),
    "Elections not run well": (
        "Polling station staff trained on voter identification and a count rehearsal before each poll.",
        "Lessons from May's poll built into the canvass letters.",
    ),
    "Benefits backlog grows": (
        "Daily work queue monitoring, overtime when the backlog passes two weeks and automated DWP changes.",
        "Backlog back under two weeks after the summer peak.",
    ),
    "Council tax collection falls": (
        "Early text reminders, 12 monthly instalments and a phone call before any summons.",
        "In-year collection on profile; arrears from last year being recovered.",
    ),
    "Planning appeals lost": (
        "Legal review of refusals against policy and member training on material considerations.",
        "Two appeals lost this quarter, both on housing supply.",
    ),
    "Food hygiene inspections fall behind": (
        "Risk-based inspection programme and contractors for lower-risk premises.",
        "Two officers recruited; high-risk inspections now up to date.",
    ),
    "Leisure centre closes": (
        "Monthly contract meetings with the operator and an energy cost-sharing clause.",
        "Operator reports income recovering since the pool reopened.",
    ),
    "Anti-social behaviour rises": (
        "Joint tasking with the police each week and the town centre public spaces protection order.",
        "Reports in the town centre fell; nearby streets now patrolled too.",
    ),
    "Public health grant falls": (
        "Contracts let with break clauses and prevention spending focused on the most deprived wards.",
        "Grant for next year confirmed at a cash-flat level.",
    ),
    "Delayed discharges from hospital": (
        "Daily discharge calls with the hospital and reablement at weekends.",
        "Delays fell after weekend reablement started; home care capacity remains tight.",
    ),
}

AUDIT_TITLE = "Audit of performance management"
# (number, recommendation, priority, response, reasons, owner: a directorate code (its
#  director) or "performance", months after the report it is due, status, evidence, action)
RECOMMENDATIONS = [
    (1, "Construct and communicate a high-level model that clearly and simply identifies how the Council intends "
     "to assess and measure its level of performance and rate of improvement.", "high", "accepted", "",
     "performance", 3, "implemented", "The performance management framework was approved by Cabinet and published "
     "on the intranet.", ""),
    (2, "Develop and implement a consistent strategic approach to embedding a performance management culture.",
     "high", "accepted", "", "CEX", 9, "in_progress", "", "Run performance management workshops for every "
     "management team"),
    (3, "Ensure that the respective roles and responsibilities of the Council's partnership team and the "
     "directorate performance management officers are clear.", "medium", "accepted", "", "CEX", 4,
     "implemented", "Role profiles agreed and issued to every directorate performance officer.", ""),
    (4, "Ensure that members, both at cabinet and overview and scrutiny level, are fully involved in, and "
     "integrated into, the Council's performance management arrangements.", "high", "accepted", "", "CEX", 6,
     "in_progress", "", "Agree a scrutiny work programme that reviews the Council Scorecard each quarter"),
    (5, "Decide on the extent to which the Council will integrate its own service planning, priorities and "
     "performance management arrangements with those of its key partners.", "medium", "partly",
     "Integration with partners' own systems is outside the council's control; shared priorities will be "
     "reported together instead.", "CEX", 12, "in_progress", "", ""),
    (6, "Develop a simpler, clearer set of priorities, each with a basket of indicators and measures designed "
     "to provide a high-level picture of progress.", "high", "accepted", "", "performance", 6, "implemented",
     "The Corporate Plan now has six priorities, each with its basket of indicators in PMIS.", ""),
    (7, "Ensure that the role, purpose and content of service plans clearly links to the high-level set of "
     "indicators and measures.", "medium", "accepted", "", "performance", 8, "in_progress", "",
     "Review every service business plan's links to the corporate priorities"),
    (8, "Produce regular high-level strategic assessments of performance trends, identifying barriers and "
     "levers to performance improvement.", "medium", "accepted", "", "performance", 5, "not_started", "", ""),
    (9, "Develop the current performance reporting process to provide a more consistent approach to reporting "
     "performance within directorates, and a clearer, higher-level report of progress against priorities.",
     "high", "accepted", "", "RES", 7, "in_progress", "", "Adopt the corporate exception report in every "
     "directorate management team"),
    (10, "Improve the way in which remedial action to address under-performance is presented, and progress "
     "against it reported, at corporate as well as directorate level.", "high", "accepted", "", "performance",
     4, "implemented", "Every Red indicator in the exception report now shows its actions and their progress.",
     ""),
    (11, "Ensure that there is better consistency and purpose in the reporting of performance to executive and "
     "non-executive members.", "medium", "accepted", "", "CEX", 10, "in_progress", "", ""),
    (12, "Improve the quality assessment of the staff review and development process so that individual targets "
     "are linked to service and corporate targets.", "medium", "not_accepted",
     "The council is replacing its appraisal scheme this year; the new scheme links objectives to targets "
     "from the start.", "", 0, "closed", "", ""),
    (13, "Ensure that there are clear links between the action points in directors' performance reviews and the "
     "issues discussed at directorate management teams.", "low", "accepted", "", "CAS", 14, "not_started", "",
     ""),
    (14, "Place more emphasis on the celebration and rewarding of success.", "low", "accepted", "",
     "performance", 6, "implemented", "Good news stories are published each quarter and the staff awards "
     "were held in June.", ""),
]  # fmt: skip


def _months_before(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 - months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, 28))


def risks_load(*, people, directorates, today: datetime.date) -> None:
    """The demo registers and the audit's recommendations, as their owners left them by today."""
    keeper = next(iter(people[Role.RISK_AND_AUDIT].values()))
    categories = categories_ensure()
    first_indicator = {}
    for indicator in Indicator.objects.collected().select_related("service").order_by("code"):
        if indicator.service:
            first_indicator.setdefault(indicator.service.code, indicator)
    corporate_priorities = list(Priority.objects.filter(plan__kind=PlanKind.CORPORATE).order_by("position", "pk"))

    def owner(code):
        return people[Role.CHIEF_OFFICER].get(code) or people[Role.SERVICE_MANAGER][code]

    for n, row in enumerate(RISKS):
        register, title, cause, event, consequence, who, category, inherent, reviewed, now, target, service, state = row
        added = today - datetime.timedelta(days=200 + n)
        fields = {
            "title": title,
            "cause": f"{cause}.",
            "event": f"Because of this, {event}.",
            "consequence": f"This would lead to {consequence}.",
            "owner": owner(who),
            "category": categories[category],
            "directorate": directorates[register] if register else None,
            "inherent_likelihood": inherent[0],
            "inherent_impact": inherent[1],
            "residual_likelihood": reviewed[0],
            "residual_impact": reviewed[1],
            "controls": CONTROLS[title][0],
            "target_score": target,
            "review_due": added + datetime.timedelta(days=90),
            "status": RiskStatus.ESCALATED if state == "escalated" else RiskStatus.OPEN,
            "indicators": [first_indicator[service]] if service in first_indicator else [],
            "priorities": corporate_priorities[n % len(corporate_priorities) : n % len(corporate_priorities) + 1]
            if register is None and corporate_priorities
            else [],
            "actions": list(
                Action.objects.still_open().filter(indicator__service__code=service).order_by("due", "pk")[:1]
            ),
        }
        risk = risk_save(by=keeper, **fields)
        if state == "overdue":
            # Never reviewed since it was added: the review fell due three weeks ago.
            risk.review_due = today - datetime.timedelta(days=21 + n)
            risk.save(update_fields=["review_due"])
            continue
        risk_review(
            risk=risk,
            residual_likelihood=now[0],
            residual_impact=now[1],
            controls=fields["controls"],
            comment=CONTROLS[title][1],
            by=fields["owner"],
            today=today - datetime.timedelta(days=30 + n % 20),
        )
    _recommendations(people, corporate_priorities, keeper, today)


def _recommendations(people, priorities, keeper, today: datetime.date) -> None:
    reported = _months_before(today, 11)
    source = source_save(
        kind=SourceKind.EXTERNAL_AUDIT,
        title=AUDIT_TITLE,
        author="External auditor",
        date=reported,
        report="Managing performance management: audit report to the Audit Committee",
        by=keeper,
    )
    performance = next(iter(people[Role.PERFORMANCE_TEAM].values()))
    for number, text, priority, response, reasons, who, months, status, evidence, action in RECOMMENDATIONS:
        owner = performance if who == "performance" else people[Role.CHIEF_OFFICER][who] if who else None
        due = (reported + datetime.timedelta(days=30 * months)) if months else None
        actions = []
        if action and priorities:
            actions = [action_raise(description=action, owner=owner, due=due, priority=priorities[0], by=keeper)]
        recommendation_save(
            source=source,
            number=number,
            text=text,
            priority=priority,
            response=response,
            reasons=reasons,
            owner=owner,
            due=due,
            status=status,
            evidence=evidence,
            actions=actions,
            by=keeper,
            today=min(today, due) if due else today,
        )
