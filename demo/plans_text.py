"""The words of the demo council's plans: pure data, no behaviour.

The Corporate Plan has one priority per cabinet portfolio, each an outcome residents would
recognise, with milestones owned by the head of the service that delivers them. Two thematic
improvement plans cascade from it. Every service business plan has its own priorities,
each with milestones of its own, and the questions the Overview and Scrutiny Committee put
to it with the head of service's answers. A service priority's basket holds the service's
indicators whose titles contain one of its keywords; the rest go to its first priority.
"""

from dataclasses import dataclass

# Milestones: (title, month of the current financial year at whose end it is due, 1 = April).
# Corporate Plan milestones also name the service that delivers them.


@dataclass(frozen=True)
class CorporatePriority:
    title: str
    description: str
    milestones: list[tuple[str, int, str]]


@dataclass(frozen=True)
class ServicePriority:
    title: str
    description: str
    keywords: tuple[str, ...]
    milestones: list[tuple[str, int]]


@dataclass(frozen=True)
class ServicePlan:
    priorities: list[ServicePriority]
    # The committee's questions and the head of service's answers, in the order asked.
    scrutiny: list[tuple[str, str]]


CORPORATE_PRIORITIES: dict[str, CorporatePriority] = {
    "LEAD": CorporatePriority(
        "A council that listens and is run well",
        "Residents are asked before decisions are made, told what the council has done, and served by "
        "staff who are well led and stay.",
        [
            ("Publish the annual report on the Corporate Plan", 3, "POL"),
            ("Run the residents' survey and publish its results", 9, "POL"),
        ],
    ),
    "RESO": CorporatePriority(
        "Money spent wisely and services easy to reach",
        "A balanced budget every year, bills paid and collected on time, and most everyday business done "
        "online at any hour.",
        [
            ("Set a balanced budget for next year", 11, "FIN"),
            ("Move council tax accounts online", 6, "REV"),
        ],
    ),
    "ENVI": CorporatePriority(
        "Clean streets and less waste",
        "Less rubbish thrown away, more recycled, and streets, verges and roads kept clean, lit and safe.",
        [
            ("Start weekly food waste collections borough-wide", 6, "WST"),
            ("Replace 2,000 street lights with LEDs", 12, "SHW"),
        ],
    ),
    "PLAN": CorporatePriority(
        "Good jobs and the homes the borough needs",
        "Planning decisions made on time under an up-to-date Local Plan, and a town centre that brings in "
        "investment and work.",
        [
            ("Adopt the new Local Plan", 9, "PLN"),
            ("Open the town centre business hub", 12, "ECO"),
        ],
    ),
    "HOUS": CorporatePriority(
        "Everyone with a safe, decent home",
        "Council homes kept safe and dry, homelessness prevented wherever possible, and no family left in "
        "bed and breakfast.",
        [
            ("Open the new rough sleeper hub", 3, "HOP"),
            ("Finish the damp and mould survey of every council home", 8, "HSG"),
        ],
    ),
    "SAFE": CorporatePriority(
        "Safe neighbourhoods and active residents",
        "Less crime and anti-social behaviour, and more people using parks, libraries and leisure centres.",
        [
            ("Refresh the community safety plan with the police", 6, "CSY"),
            ("Reopen the refurbished Fernley Leisure Centre", 9, "LEI"),
        ],
    ),
    "CYP": CorporatePriority(
        "Every child with the best start in life",
        "Children kept safe in stable homes, ready for school, and learning in good schools close to home.",
        [
            ("Open two new family hubs", 6, "EDU"),
            ("Recruit 12 permanent children's social workers", 9, "CSC"),
        ],
    ),
    "ADUL": CorporatePriority(
        "People living independent, healthy lives for longer",
        "Older and disabled people supported at home, carers supported, and the gap in healthy life "
        "expectancy between our wards narrowed.",
        [
            ("Launch the carers' support service", 3, "ASC"),
            ("Open the Mill Lane extra care housing scheme", 12, "ASC"),
        ],
    ),
}

SERVICE_PLANS: dict[str, ServicePlan] = {
    "POL": ServicePlan(
        [
            ServicePriority(
                "Know what residents think and act on it",
                "A residents' survey every year, reported by ward, with the council's response published.",
                ("residents", "backgrounds"),
                [("Agree the survey questions with the residents' panel", 4), ("Publish ward results online", 10)],
            ),
            ServicePriority(
                "Performance reported on time, from one source",
                "Every directorate reports from PMIS, and the Corporate Plan report goes to Cabinet each quarter.",
                ("milestones", "returns"),
                [("Move the last two directorates' returns into PMIS", 5), ("Train every data officer", 8)],
            ),
        ],
        [
            (
                "The survey had 1,100 replies last year, mostly from older residents. How will younger people "
                "be heard?",
                "The survey now runs online and through the youth council, and the results are weighted by age.",
            ),
            (
                "When will the committee see milestones and indicators in the same report?",
                "From the second quarter: the Council Scorecard now shows each priority's milestones beside its "
                "measures.",
            ),
        ],
    ),
    "HRO": ServicePlan(
        [
            ServicePriority(
                "A healthy workforce with less sickness absence",
                "Earlier support for staff off sick, with musculoskeletal and stress-related absence tackled first.",
                ("sickness",),
                [("Start the physiotherapy fast-track for staff", 3), ("Train every manager in absence reviews", 7)],
            ),
            ServicePriority(
                "Fill hard-to-recruit posts without agency staff",
                "Grow our own planners, social workers and surveyors, and fill posts faster.",
                ("agency", "vacant", "apprentices", "appraisal", "gender"),
                [("Launch the council's own careers website", 6), ("Take on 20 new apprentices", 11)],
            ),
        ],
        [
            (
                "Agency spend rose last year. Which services account for most of it?",
                "Children's social care and planning account for about three quarters; both have recruitment "
                "campaigns this year.",
            ),
            (
                "Is the appraisal rate the same for staff who do not work at a desk?",
                "No: it is lower in waste and street cleansing crews. Supervisors now hold appraisals in work time "
                "at the depot.",
            ),
        ],
    ),
    "LDS": ServicePlan(
        [
            ServicePriority(
                "Open decision-making",
                "Agendas, reports and decisions published in full and on time, and requests for information "
                "answered within the law's time limits.",
                ("agendas", "freedom", "subject access"),
                [("Move committee papers to the new publishing system", 4), ("Publish the FOI disclosure log", 9)],
            ),
            ServicePriority(
                "Well-run elections",
                "A complete electoral register and a smooth poll under the voter identification rules.",
                ("canvass", "land charges"),
                [("Finish the annual canvass", 9), ("Review polling districts and places", 12)],
            ),
        ],
        [
            (
                "How many voters were turned away for lack of photo identification at the last election?",
                "Forty-one, of whom 29 came back with identification. The canvass letters now explain the free "
                "Voter Authority Certificate.",
            ),
            (
                "Freedom of information answers slipped in the summer. Why?",
                "Two long requests about the leisure contract took a month's work; a second officer is now trained "
                "to cover.",
            ),
        ],
    ),
    "FIN": ServicePlan(
        [
            ServicePriority(
                "A balanced budget over the medium term",
                "Savings agreed and delivered as planned, and reserves kept above the minimum the Section 151 "
                "officer sets.",
                ("savings", "debt"),
                [("Report the medium-term financial plan to Cabinet", 7), ("Close last year's accounts", 3)],
            ),
            ServicePriority(
                "Local suppliers paid promptly",
                "Invoices paid within 30 days, and local small businesses within 10.",
                ("invoices",),
                [("Switch on automatic invoice matching", 6), ("Run supplier sessions with the Chamber of Trade", 8)],
            ),
        ],
        [
            (
                "What happens if the savings from the waste contract are not delivered this year?",
                "The shortfall would be met from the budget contingency this year and built into next year's "
                "budget gap.",
            ),
            (
                "Why does so much sundry debt stay unpaid for more than 90 days?",
                "Most of it is adult care charges awaiting probate. Those cases are now tracked separately so the "
                "rest can be chased sooner.",
            ),
        ],
    ),
    "REV": ServicePlan(
        [
            ServicePriority(
                "Collect council tax and business rates fairly",
                "High collection with early help for residents who fall behind, before a summons.",
                ("council tax collected", "business rates", "overpayments"),
                [("Send reminders by text as well as by post", 5), ("Offer 12 monthly instalments to all", 1)],
            ),
            ServicePriority(
                "Benefit claims decided quickly and correctly",
                "New claims and changes decided within days, with the accuracy checked every month.",
                ("benefit", "claims", "assessments found correct"),
                [("Automate changes notified by the DWP", 8), ("Clear the backlog of changes in circumstances", 4)],
            ),
        ],
        [
            (
                "How many residents received a summons for council tax last year, and how many were on low incomes?",
                "About 4,200 summonses, of which around 900 went to households receiving Council Tax Support. They "
                "now get a phone call before any summons.",
            ),
            (
                "Claims took longer over the summer. Was that staff leave or more claims?",
                "Both: claims rose by a tenth when the new housing estate opened, during the main holiday weeks.",
            ),
            (
                "Will the committee see the effect of text reminders before next year's plan is agreed?",
                "",
            ),
        ],
    ),
    "CUS": ServicePlan(
        [
            ServicePriority(
                "Answer residents first time",
                "Calls answered quickly and most questions settled in the first call or visit.",
                ("calls", "call", "avoidable"),
                [("Put council tax and bins on one phone menu option", 4), ("Open the Saturday help desk", 7)],
            ),
            ServicePriority(
                "Everyday business online, with help for those who need it",
                "Online forms that work on a phone, and help in libraries for residents who are not online.",
                ("online", "computer", "complaints", "compliments"),
                [("Launch the new online account", 6), ("Train library staff as digital helpers", 9)],
            ),
        ],
        [
            (
                "What will happen to residents who cannot use the online account?",
                "The phone lines and the help desk stay open, and libraries offer help to get online.",
            ),
            (
                "Why do complaints take longer to answer in December?",
                "Complaints about missed bins rise over Christmas; the waste service now answers them directly.",
            ),
        ],
    ),
    "PRP": ServicePlan(
        [
            ServicePriority(
                "Safe council buildings",
                "Every statutory safety check done on time and the repairs backlog cut in the buildings we keep.",
                ("safety", "backlog"),
                [("Commission fire risk assessments for every building", 3), ("Close the Market Street offices", 10)],
            ),
            ServicePriority(
                "Make the council's property pay its way",
                "Commercial units let at market rent and the council's own carbon emissions cut.",
                ("rental", "co2"),
                [("Let the empty units at Riverside Court", 8), ("Fit solar panels to the civic centre", 12)],
            ),
        ],
        [
            (
                "How many council buildings still contain asbestos, and are they all surveyed?",
                "Thirty-four; every one has a current asbestos survey and a management plan.",
            ),
            (
                "Is closing Market Street a saving or just moving costs elsewhere?",
                "It saves £180,000 a year net of moving the staff to the civic centre.",
            ),
        ],
    ),
    "WST": ServicePlan(
        [
            ServicePriority(
                "Recycle more and throw away less",
                "Weekly food waste collection everywhere and clearer advice on what goes in each bin.",
                ("recycl", "residual", "land filled", "garden"),
                [("Deliver food caddies to every home", 5), ("Run the recycling campaign in the flats", 9)],
            ),
            ServicePriority(
                "Bins collected when we say they will be",
                "Fewer missed collections, and those missed put right by the end of the next working day.",
                ("missed", "cost of household waste"),
                [("Fit in-cab technology to every collection lorry", 4), ("Re-route the Thursday rounds", 7)],
            ),
        ],
        [
            (
                "Flats recycle far less than houses. What is being done about communal bins?",
                "Each block is being surveyed; bin stores are being relabelled and food waste bins added by December.",
            ),
            (
                "Will garden waste charges go up next year?",
                "Cabinet will decide in February; the plan assumes the charge rises with inflation only.",
            ),
        ],
    ),
    "SHW": ServicePlan(
        [
            ServicePriority(
                "Safer roads and footways",
                "Dangerous potholes fixed within a day, street lights repaired quickly and fewer serious casualties.",
                ("potholes", "street light", "killed"),
                [("Finish the winter road condition survey", 2), ("Resurface the A614 through Fernley Green", 6)],
            ),
            ServicePriority(
                "Clean streets",
                "Litter, graffiti and fly-tipping cleared quickly, and those who fly-tip prosecuted.",
                ("fly-tipping", "litter", "cleanliness", "abandoned"),
                [("Put cameras at the ten worst fly-tipping sites", 5), ("Agree cleansing standards per ward", 8)],
            ),
        ],
        [
            (
                "How many fly-tippers were prosecuted last year?",
                "Fourteen prosecutions and 210 fixed penalty notices; the cameras should add to both.",
            ),
            (
                "Why are potholes on estate roads repaired later than on main roads?",
                "Main roads carry more traffic, so their defects are graded higher; dangerous ones anywhere are "
                "made safe within 24 hours.",
            ),
        ],
    ),
    "EHL": ServicePlan(
        [
            ServicePriority(
                "Safe food and fair trading",
                "Every high-risk food business inspected when due and poor ratings followed up.",
                ("food",),
                [("Clear the inspections missed during the pandemic", 6), ("Recruit two food safety officers", 3)],
            ),
            ServicePriority(
                "Quick, helpful licensing and nuisance services",
                "Licences issued promptly and noise and pest complaints answered within days.",
                ("licen", "noise", "pest", "businesses satisfied", "co2"),
                [("Move taxi licence applications online", 7), ("Review the taxi licensing policy", 11)],
            ),
        ],
        [
            (
                "How many takeaways have a food hygiene rating of 0 or 1?",
                "Eleven at the end of the quarter; each has had a revisit and three are under formal notice.",
            ),
            (
                "Noise complaints at night are hard to witness. Is there an out-of-hours service?",
                "Officers are on call on Friday and Saturday nights, and residents can record noise on the app.",
            ),
        ],
    ),
    "PLN": ServicePlan(
        [
            ServicePriority(
                "Planning decisions on time and hard to overturn",
                "Applications decided within the statutory periods and decisions that stand up on appeal.",
                ("planning", "appeals"),
                [("Submit the Local Plan for examination", 5), ("Publish the design code for the town centre", 11)],
            ),
            ServicePriority(
                "Homes built where they are planned",
                "Enough new homes to meet the housing requirement, on the sites the Local Plan allocates.",
                ("homes", "building", "market share"),
                [("Agree the Northfield masterplan with the developers", 8), ("Report the five-year land supply", 6)],
            ),
        ],
        [
            (
                "How many major applications were decided only after the applicant agreed an extension of time?",
                "About half. The target counts agreed extensions as on time, as the government's measure does.",
            ),
            (
                "What happens to planning decisions if the Local Plan is found unsound?",
                "The current plan still applies, but without a five-year land supply more appeals could succeed.",
            ),
        ],
    ),
    "ECO": ServicePlan(
        [
            ServicePriority(
                "A busy, thriving town centre",
                "More people visiting the town centre and empty shops brought back into use.",
                ("footfall", "funding", "small businesses"),
                [("Open the covered market after refurbishment", 9), ("Start the shopfront grant scheme", 4)],
            ),
            ServicePriority(
                "Help residents into good work",
                "Employment support in the wards where most people are out of work.",
                ("jobs", "benefits", "unemployment"),
                [("Open the jobs club in Eastfield", 5), ("Sign the supported employment contract", 10)],
            ),
        ],
        [
            (
                "How is footfall counted, and does it include the market days?",
                "Three cameras on the High Street count people passing; market days are included.",
            ),
            (
                "How many of the jobs the council supported went to Fernley residents?",
                "About two thirds; the business hub will ask employers to report it from next year.",
            ),
        ],
    ),
    "HSG": ServicePlan(
        [
            ServicePriority(
                "Safe, dry council homes",
                "Repairs done on time, damp and mould dealt with quickly, and every home safety-checked.",
                ("repair", "gas", "decent"),
                [("Start the kitchen and bathroom programme", 6), ("Train every repairs operative on damp", 3)],
            ),
            ServicePriority(
                "Rent collected and homes re-let quickly",
                "Tenants supported to pay, and empty homes turned round and let within weeks.",
                ("rent", "re-let", "empty"),
                [("Bring the voids contractor in-house", 9), ("Offer every new tenant a money advice visit", 5)],
            ),
        ],
        [
            (
                "How many damp and mould cases are open, and how old is the oldest?",
                "Two hundred and twelve open cases; the oldest is seven weeks, waiting for a new roof.",
            ),
            (
                "Will bringing the voids contractor in-house cost more?",
                "Slightly more in the first year, then about £90,000 a year less as rent lost on empty homes falls.",
            ),
        ],
    ),
    "HOP": ServicePlan(
        [
            ServicePriority(
                "Prevent homelessness before the crisis",
                "Families helped to stay in their homes, and fewer placed in temporary accommodation.",
                ("homeless", "temporary", "bed and breakfast", "approaching"),
                [("Recruit the rough sleeper outreach team", 2), ("Agree a landlord incentive scheme", 6)],
            ),
            ServicePriority(
                "More affordable and adapted homes",
                "Affordable homes delivered with partners, empty homes reused and adaptations done quickly.",
                ("affordable", "empty private", "disabled facilities", "supported", "independently", "fuel"),
                [("Buy 20 homes for temporary accommodation", 10), ("Cut waiting times for adaptations", 12)],
            ),
        ],
        [
            (
                "How many families with children are in bed and breakfast today, and for how long?",
                "Six, none for more than four weeks; the new homes the council is buying will replace bed and "
                "breakfast.",
            ),
            (
                "Is the landlord incentive scheme value for money?",
                "Each tenancy costs about £2,500 in incentives, against about £9,000 a year in temporary "
                "accommodation.",
            ),
        ],
    ),
    "CSY": ServicePlan(
        [
            ServicePriority(
                "Fewer victims of crime and anti-social behaviour",
                "Hot spots tackled with the police, and repeat victims of domestic abuse supported.",
                ("anti-social", "crime", "domestic"),
                [("Extend the town centre public spaces protection order", 4), ("Open the domestic abuse hub", 8)],
            ),
            ServicePriority(
                "Young people kept out of the justice system",
                "Early help and diversion for young people at risk of offending.",
                ("youth", "first-time"),
                [("Start the summer diversion programme", 3), ("Train youth workers in trauma-informed practice", 9)],
            ),
        ],
        [
            (
                "Has the public spaces protection order moved anti-social behaviour to other streets?",
                "Reports in the streets around it rose slightly; patrols now cover them too.",
            ),
            (
                "How are victims of domestic abuse told about the new hub?",
                "Through the police, GPs and the hospital's emergency department, and on the council's website.",
            ),
        ],
    ),
    "LEI": ServicePlan(
        [
            ServicePriority(
                "More people active more often",
                "More visits to leisure centres and more people taking part in community activity.",
                ("leisure", "physical", "sport"),
                [("Reopen the pool after the roof repair", 5), ("Start the walking football league", 7)],
            ),
            ServicePriority(
                "Libraries, museum and parks people value",
                "Well-used libraries and museum, and parks looked after to Green Flag standard.",
                ("librar", "museum", "parks", "green flag", "wildlife"),
                [("Open the museum's new gallery", 10), ("Apply for a Green Flag for Victoria Park", 2)],
            ),
        ],
        [
            (
                "What will the refurbished leisure centre charge residents on low incomes?",
                "Half price for anyone receiving Council Tax Support, as now.",
            ),
            (
                "Museum visits fell. Is the new gallery expected to reverse that?",
                "Yes: the first exhibition is booked and school visits resume in the autumn term.",
            ),
            (
                "Could the committee see the results of the parks satisfaction survey by ward?",
                "",
            ),
        ],
    ),
    "ASC": ServicePlan(
        [
            ServicePriority(
                "Help people home from hospital and keep them there",
                "Reablement after a hospital stay, and care at home arranged quickly after assessment.",
                ("hospital", "care packages", "assessments", "admissions"),
                [("Extend reablement to weekends", 4), ("Agree the home care framework", 9)],
            ),
            ServicePriority(
                "Choice and control for people who use services",
                "Personal budgets for everyone who wants one, carers supported and adults safeguarded.",
                ("self-directed", "carers", "safeguarding", "learning disabilities", "cost"),
                [("Review every carer's assessment form with carers", 5), ("Publish the care market statement", 11)],
            ),
        ],
        [
            (
                "How many people are waiting for a care assessment, and for how long?",
                "About 140, the longest for 11 weeks; urgent cases are seen within 48 hours.",
            ),
            (
                "Home care providers say the hourly rate is too low. Is the market at risk?",
                "The rate rose 6% this year; two providers have asked to hand back packages and are being replaced.",
            ),
        ],
    ),
    "CSC": ServicePlan(
        [
            ServicePriority(
                "Children safe and in stable homes",
                "Timely assessments, plans that make a difference, and children in care settled in one home.",
                ("assessments", "placements", "placement", "plans", "reviews", "referrals"),
                [("Open the second children's home in Fernley", 10), ("Audit every child protection plan", 5)],
            ),
            ServicePriority(
                "A stable, permanent social work workforce",
                "Manageable caseloads and fewer agency social workers.",
                ("vacancy", "per 1,000"),
                [("Start the social work academy for newly qualified staff", 6), ("Offer key-worker housing", 8)],
            ),
        ],
        [
            (
                "What is the average caseload of a children's social worker, and what should it be?",
                "Nineteen children on average; the service aims for 16 by the end of the year.",
            ),
            (
                "How many children in care live more than 20 miles from Fernley?",
                "Thirty-eight; the second children's home will bring some of them closer to home.",
            ),
        ],
    ),
    "EDU": ServicePlan(
        [
            ServicePriority(
                "Good schools and a place for every child",
                "Schools judged good or better, first-choice places, and early education for two-year-olds.",
                ("schools", "school", "two-year-olds", "gcse", "attainment", "progress"),
                [("Expand St Mary's Primary by one class", 5), ("Publish the school place planning report", 8)],
            ),
            ServicePriority(
                "Children with special educational needs supported on time",
                "Education, health and care plans issued within 20 weeks and young people in education or work.",
                ("education, health and care", "not in education", "neet"),
                [("Open the new special school unit", 6), ("Clear the backlog of annual reviews", 10)],
            ),
        ],
        [
            (
                "How many children with an education, health and care plan are out of school?",
                "Twenty-three, each with a named caseworker; ten will start at the new unit.",
            ),
            (
                "Why were fewer families offered their first-preference primary school this year?",
                "Births peaked in 2020 in the town centre; the expansion of St Mary's adds 30 places.",
            ),
        ],
    ),
    "PHL": ServicePlan(
        [
            ServicePriority(
                "Fewer people smoking",
                "Stop smoking support for everyone who wants it, focused on the wards with most smokers.",
                ("smok", "quit"),
                [("Offer stop smoking support in every GP practice", 6), ("Run the smokefree pregnancy scheme", 9)],
            ),
            ServicePriority(
                "Health gaps between wards narrowed",
                "Health checks, alcohol support and sexual health services where need is greatest.",
                ("health check", "alcohol", "conception"),
                [("Commission the new alcohol service", 4), ("Take the health check van to Eastfield", 7)],
            ),
        ],
        [
            (
                "How many health checks are done in the three most deprived wards?",
                "About a fifth of the total, against a third of the eligible people; the van is meant to close "
                "that gap.",
            ),
            (
                "Is vaping counted as quitting smoking?",
                "Yes, if the person has not smoked a cigarette for four weeks, as the national guidance says.",
            ),
        ],
    ),
}

# Progress comments on milestones, by status; one is chosen for each update.
MILESTONE_COMMENTS: dict[str, list[str]] = {
    "complete": [
        "Delivered on time.",
        "Done and signed off by the head of service.",
        "Finished a week early; the lessons are written up for the next phase.",
        "Delivered; the portfolio holder was briefed at the check-in.",
    ],
    "on_track": [
        "Work is going to plan.",
        "On schedule: the project board met this month and agreed the next stage.",
        "Procurement finished and the contractor has started.",
        "Staff briefed and the first stage done.",
        "Design agreed with the people who will use it; delivery starts next month.",
    ],
    "at_risk": [
        "A supplier is running late; the team is working on a recovery plan.",
        "The lead officer left in the summer; cover has been agreed but the date is tight.",
        "Costs came in above budget; options go to the portfolio holder this month.",
        "Waiting for a decision from a partner; escalated to the director.",
    ],
    "off_track": [
        "Not delivered by the due date because of staff shortages; a new date is being agreed.",
        "Missed: the contractor went into administration and the work is being re-let.",
        "Delayed by a legal challenge; the new date depends on the court.",
    ],
}

# Two thematic improvement plans cascade from the Corporate Plan, each owned by a
# directorate: (directorate, title, [(priority, its services, its milestone, month due)]).
# Each priority is measured by its services' rated indicators. Each service business plan
# cascades from its directorate's thematic plan, else from the Corporate Plan.
THEMATIC_PLANS: list[tuple[str, str, list[tuple[str, list[str], str, int]]]] = [
    (
        "ENV",
        "Cleaner, Greener Fernley",
        [
            ("Less waste, more recycling", ["WST"], "Agree the waste strategy with residents' groups", 7),
            (
                "Streets and public spaces people are proud of",
                ["SHW", "EHL"],
                "Adopt the street scene enforcement policy",
                5,
            ),
            ("Homes and jobs for local people", ["PLN", "ECO"], "Publish the town centre investment prospectus", 9),
        ],
    ),
    (
        "CAS",
        "Best Start, Healthy Lives",
        [
            (
                "Children safe, learning and achieving",
                ["CSC", "EDU"],
                "Agree the early help strategy with schools and health visitors",
                6,
            ),
            ("Adults living independently for longer", ["ASC"], "Sign the joint commissioning plan with the NHS", 8),
            ("Healthier lives and narrower health gaps", ["PHL"], "Publish the ward health profiles", 4),
        ],
    ),
]

# Where this year's service business plans are in their lifecycle (the rest are approved
# by 30 April). Customer Services' plan is a draft for the performance team to take to
# approval; Revenues' is under scrutiny review with a comment waiting for an answer.
PLAN_STAGES: dict[str, str] = {
    "CUS": "draft",
    "HOP": "draft",
    "PLN": "quality_assured",
    "ASC": "quality_assured",
    "REV": "scrutiny_review",
    "LEI": "scrutiny_review",
}
# Approved, but after the sign-off deadline.
APPROVED_LATE: set[str] = {"SHW", "EDU"}
