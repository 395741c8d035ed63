"""What officers write about the demo council's figures: pure data, no behaviour.

Commentary says what happened, why and what is being done. The why and the what-next
belong to the subject: each indicator has a story (its own theme, else its service's),
with reasons a figure got worse, reasons it got better and the actions a service takes.
The loader builds each comment from an opening for the rating, a reason and an action
from the indicator's story, and a closing line, so that no two services explain their
figures the same way. Placeholders: {value}, {target} and {period} only.
"""

# Reasons figures fell short, reasons they did well, and what the service is doing.
STORIES: dict[str, dict[str, list[str]]] = {
    "POL": {
        "worse": [
            "Fewer residents than usual returned the survey, and the responses lean towards areas that rate the "
            "council lower.",
            "Local coverage of the library consultation coloured how residents answered.",
            "Two services sent their returns after the deadline while their data officers were on leave.",
        ],
        "better": [
            "The 'You said, we did' updates in the residents' magazine have been well received.",
            "Every service now has a named deputy for its performance returns.",
        ],
        "action": [
            "The engagement team is running drop-in sessions in the wards with the lowest scores.",
            "The corporate performance team is sending reminders five working days before each deadline.",
            "Results are being broken down by ward so that cabinet members can see where views differ.",
        ],
    },
    "sickness": {
        "worse": [
            "Winter viruses and a rise in stress-related absence in frontline teams pushed the figure up.",
            "Long-term absence in waste collection and care teams, mostly musculoskeletal, accounts for most of "
            "the days lost.",
            "Stress, anxiety and depression remain the largest cause of days lost, at about a third of the total.",
        ],
        "better": [
            "Return-to-work interviews are now held within three days in almost every case.",
            "The physiotherapy fast track has shortened musculoskeletal absences.",
        ],
        "action": [
            "Managers of the five teams with the highest absence are getting monthly case reviews with HR.",
            "Occupational health referrals are now made at four weeks rather than eight.",
            "The flu vaccination offer has been extended to all staff, not only those in care roles.",
        ],
    },
    "recruitment": {
        "worse": [
            "Social work, planning and legal posts attracted few applicants, and several had to be readvertised.",
            "The national shortage of qualified staff in children's services kept agency numbers high.",
            "Pre-employment checks took longer while the new applicant tracking system bedded in.",
        ],
        "better": [
            "The refreshed careers website and the 'grow our own' trainee scheme are bringing in more applicants.",
            "Agency workers in three long-standing posts have moved to permanent contracts.",
        ],
        "action": [
            "HR is agreeing a market supplement for hard-to-fill posts with the Director of Resources.",
            "Every agency placement over twelve weeks now needs a director's sign-off.",
            "Apprenticeship levy funding is being used to train existing staff into shortage roles.",
        ],
    },
    "HRO": {
        "worse": [
            "Several services postponed appraisals during the restructure consultation.",
            "Managers report that the new online appraisal form takes longer to complete.",
        ],
        "better": [
            "Appraisal completion is now part of every manager's own objectives.",
            "The pay and grading review narrowed the gaps in the middle grades.",
        ],
        "action": [
            "HR business partners are following up with each service below the council average.",
            "The workforce board reviews the figure every quarter.",
            "Short guidance for managers has been published on the intranet.",
        ],
    },
    "LDS": {
        "worse": [
            "A run of complex requests about the leisure contract needed legal review before release.",
            "The democratic services team was one officer down during the committee cycle.",
            "Annual canvass responses dropped in wards with many rented flats, where residents move often.",
        ],
        "better": [
            "The new request-tracking system sends services automatic reminders before a deadline.",
            "Report authors now submit drafts earlier, following the revised committee timetable.",
        ],
        "action": [
            "Requests are now triaged on the day they arrive so the complex ones start early.",
            "Democratic services is holding report-writing sessions for officers in each directorate.",
            "Canvassers are making evening visits to the households that have not responded.",
        ],
    },
    "FIN": {
        "worse": [
            "Invoices for the new highways contract were sent to the wrong address and had to be redirected.",
            "Budget holders were slow to approve invoices during the year-end closedown.",
            "Two large care providers disputed their invoices, holding up payment and collection.",
        ],
        "better": [
            "Most invoices now arrive electronically and go straight to the budget holder for approval.",
            "The new reminder letters and direct debit offer have cut the number of old debts.",
        ],
        "action": [
            "The finance team publishes a weekly list of invoices awaiting approval to each director.",
            "Debts over 90 days old are reviewed monthly with the services that raised them.",
            "A 'no purchase order, no pay' rule starts for all new suppliers next quarter.",
        ],
    },
    "savings": {
        "worse": [
            "The adult social care savings from reviewing care packages are coming through later than planned.",
            "The office rationalisation saving slipped because the lease surrender is still being negotiated.",
        ],
        "better": [
            "The procurement savings from the new energy contract came in ahead of plan.",
            "Staffing savings from the customer services restructure were delivered in full.",
        ],
        "action": [
            "Each delayed saving has a named director and a revised delivery date, reviewed by the Chief Officer "
            "Group.",
            "One-off savings from vacancies are covering the gap this year, reported to Cabinet with the budget.",
            "Finance is checking that every saving counted has left the budget and is not simply deferred.",
        ],
    },
    "collection": {
        "worse": [
            "More residents than last year have asked to pay over twelve months rather than ten.",
            "Court hearings for unpaid bills were delayed by the magistrates' court listing backlog.",
            "Collection from households on low incomes has slowed as cost-of-living pressures continue.",
        ],
        "better": [
            "More residents now pay by direct debit following the sign-up campaign with the annual bills.",
            "Reminder texts sent three days before each instalment have reduced missed payments.",
        ],
        "action": [
            "The recovery team is phoning residents with a first missed instalment before a reminder is issued.",
            "Residents in difficulty are being referred to the council tax support scheme and debt advice.",
            "Enforcement agents are concentrating on the largest arrears cases first.",
        ],
    },
    "benefits": {
        "worse": [
            "A surge in changes of circumstances after the annual rent and benefit uprating built a backlog.",
            "Two experienced assessors left and their replacements are still being trained.",
            "Universal Credit notifications from the Department for Work and Pensions arrived in larger batches "
            "than usual.",
        ],
        "better": [
            "Automated processing of Universal Credit notifications now handles most simple changes.",
            "The online claim form asks for evidence at the start, so fewer claims wait for documents.",
        ],
        "action": [
            "Overtime has been agreed for six weeks to clear the oldest claims first.",
            "Senior assessors are checking a sample of the new assessors' decisions each week.",
            "Claimants waiting for evidence get a text reminder after five days.",
        ],
    },
    "REV": {
        "worse": [
            "Staff time went on the annual billing and the year-end reconciliation.",
            "A software upgrade to the revenues system took the team offline for two days.",
        ],
        "better": [
            "Quality checks have been built into daily work instead of a separate end-of-month exercise.",
            "The team is back to full strength after two posts were filled.",
        ],
        "action": [
            "The team leader reviews the error log weekly and shares lessons at team meetings.",
            "Recovery of overpayments from ongoing benefit has been made the first option in every case.",
            "The service is working with the Department for Work and Pensions on faster data matching.",
        ],
    },
    "calls": {
        "worse": [
            "Call volumes were about a fifth higher than usual after the annual council tax bills went out.",
            "Four contact centre advisers were off sick at the same time.",
            "The new telephone system's call routing sent some callers to the wrong queue for a fortnight.",
        ],
        "better": [
            "More residents are reporting missed bins and paying online, freeing advisers for complex calls.",
            "The call-back option means fewer people abandon calls in busy periods.",
        ],
        "action": [
            "Staff from the back office are covering the phones at peak times.",
            "The call routing has been corrected and is checked weekly against call recordings.",
            "A recorded message at busy times now points callers to the online forms.",
        ],
    },
    "CUS": {
        "worse": [
            "Complaints about bin collections peaked during the route changes, and services were slow to reply.",
            "A network fault took the main systems down for most of a working day.",
            "Some online forms were withdrawn while the website moved to its new platform.",
        ],
        "better": [
            "Services now see their open complaints on a shared dashboard updated daily.",
            "Twelve more services can now be requested and paid for online.",
        ],
        "action": [
            "The complaints team chases every reply due within two days.",
            "The IT team has added a second network link so one fault cannot stop the main systems.",
            "The digital team is rebuilding the withdrawn forms, the most used first.",
        ],
    },
    "PRP": {
        "worse": [
            "Two industrial units stood empty for most of the period after their tenants' leases ended.",
            "The contractor fell behind on fire risk assessment checks in the older community buildings.",
            "Heating the older depot and civic buildings used more gas than planned in a cold spell.",
        ],
        "better": [
            "New tenants have taken the vacant shop units in the market arcade.",
            "The LED lighting and heat pump projects at the civic centre are cutting energy use.",
        ],
        "action": [
            "The estates team is marketing the vacant units with a local agent.",
            "Weekly compliance meetings with the contractor continue until every check is up to date.",
            "Building managers have been asked to check heating timers in each building.",
        ],
    },
    "WST": {
        "worse": [
            "Contamination in the recycling bins rose, so more loads were rejected at the sorting plant.",
            "The new collection rounds caused missed bins in the first weeks while crews learned them.",
            "The dry summer cut the amount of garden waste composted.",
        ],
        "better": [
            "Food waste collections are now used by more than half of households.",
            "The new rounds have settled and crews are completing them on time.",
        ],
        "action": [
            "Crews are tagging contaminated bins and the waste team is writing to those households.",
            "Round supervisors are checking reported missed bins daily to find repeat addresses.",
            "A recycling campaign is running in the flats with the lowest recycling rates.",
        ],
    },
    "SHW": {
        "worse": [
            "Fly-tipping rose in the alleys behind terraced streets, where bulky waste builds up.",
            "The street cleansing team was short of drivers during the holiday period.",
            "Enforcement officers spent time on a large illegal waste site, delaying routine removals.",
        ],
        "better": [
            "Cameras at the worst fly-tipping spots led to fixed penalties and fewer repeat incidents.",
            "Cleansing rounds now follow the litter inspection results, not a fixed rota.",
        ],
        "action": [
            "The service is offering a low-cost bulky waste collection in the worst-affected streets.",
            "Two temporary drivers have been hired until the permanent posts are filled.",
            "Cases are shared with the police through the community safety partnership.",
        ],
    },
    "highways": {
        "worse": [
            "Freeze-thaw weather opened far more potholes than the crews could repair in the target time.",
            "The street lighting contractor was waiting for replacement parts from its supplier.",
            "More serious collisions were recorded on the rural A roads, several involving motorcyclists.",
        ],
        "better": [
            "The second repair gang funded this year has cleared the backlog of urgent defects.",
            "Replacing old lanterns with LED units has cut the number of faults.",
        ],
        "action": [
            "Urgent defects are now inspected and made safe the same day, with a permanent repair within 28 days.",
            "The contract manager has issued a performance notice to the lighting contractor.",
            "Road safety schemes are planned for the three routes with the most serious collisions.",
        ],
    },
    "EHL": {
        "worse": [
            "Two environmental health officers left and specialist officers are hard to recruit.",
            "A run of new food businesses opening needed first inspections before routine ones.",
            "An outbreak investigation took the team away from planned work for two weeks.",
        ],
        "better": [
            "Inspections are now planned by risk, so the highest-risk premises are seen first.",
            "Online licence applications have removed most of the re-keying.",
        ],
        "action": [
            "Contract inspectors are covering lower-risk food premises for the rest of the year.",
            "Applicants get a checklist with their form so fewer applications are incomplete.",
            "The team is targeting advice visits at the premises rated 0 to 2 for food hygiene.",
        ],
    },
    "PLN": {
        "worse": [
            "Several major applications needed amended plans after consultation, and applicants agreed longer "
            "timescales late.",
            "Two planning officer vacancies left large caseloads with the remaining officers.",
            "Legal agreements on developer contributions took longer to sign than expected.",
        ],
        "better": [
            "Pre-application advice means more applications arrive complete and can be decided quickly.",
            "Agency planners are clearing the older cases while permanent recruitment continues.",
        ],
        "action": [
            "Extensions of time are now agreed with applicants at validation, not near the deadline.",
            "Template legal agreements are being used to speed up developer contributions.",
            "The service is advertising jointly with neighbouring councils for planning officers.",
        ],
    },
    "building_control": {
        "worse": [
            "Approved inspectors took more of the larger commercial schemes on price.",
            "Surveyors were diverted to dangerous structures after the storms.",
        ],
        "better": [
            "Plans are now checked digitally, so surveyors can work on them from site.",
            "Local builders are returning to the council's service for its quicker site visits.",
        ],
        "action": [
            "The team is promoting its partner scheme with architects and local builders.",
            "A surveyor shared with a neighbouring council is covering plan checks.",
        ],
    },
    "ECO": {
        "worse": [
            "The closure of a distribution centre cost about 300 local jobs.",
            "Fewer people visited the town centre after two large stores closed.",
            "A bid to the levelling-up programme was not successful this round.",
        ],
        "better": [
            "The business support programme helped three manufacturers expand.",
            "Events in the market square brought more people into the town centre.",
        ],
        "action": [
            "The employment hub is working with Jobcentre Plus to place people affected by the closure.",
            "The town centre partnership is filling empty units with pop-up shops.",
            "The team is preparing bids for the next rounds of external funding.",
        ],
    },
    "HSG": {
        "worse": [
            "More tenants fell behind as the move to Universal Credit paid housing costs to them directly.",
            "The rent collection team carried a vacancy for most of the period.",
        ],
        "better": [
            "Tenancy sustainment officers are contacting tenants as soon as a payment is missed.",
            "More tenants pay by direct debit after the sign-up campaign.",
        ],
        "action": [
            "Tenants in arrears are offered a budgeting appointment before any legal action.",
            "Alternative payment arrangements are requested from the Department for Work and Pensions where rent "
            "is not being paid.",
            "The vacant rent officer post has been filled and starts next month.",
        ],
    },
    "repairs": {
        "worse": [
            "Damp and mould reports rose over the winter and took repairs capacity from routine jobs.",
            "The repairs contractor was short of gas engineers and plumbers.",
            "Access was refused at a number of homes, and each needed several appointments.",
        ],
        "better": [
            "The repairs contractor has added two gangs for damp and mould work.",
            "Appointments are now booked at the first call, so more jobs are done on the first visit.",
        ],
        "action": [
            "Homes where access is refused are followed up by the tenancy officer within a week.",
            "Monthly contract meetings track every job over target with the contractor.",
            "The stock condition survey is being used to plan repairs before they become urgent.",
        ],
    },
    "lettings": {
        "worse": [
            "Several empty homes needed major work, such as new kitchens and rewiring, before they could be let.",
            "Sheltered flats with shared facilities were hard to let.",
        ],
        "better": [
            "Empty homes are now advertised while the repairs are under way.",
            "The voids team and the contractor now inspect each home together on the day the keys come back.",
        ],
        "action": [
            "The hardest-to-let sheltered flats are being offered to a wider age group.",
            "Major void works have been given to a second contractor to spread the load.",
        ],
    },
    "HOP": {
        "worse": [
            "More families approached the council after private landlords ended tenancies to sell.",
            "Few private rented homes are available at Local Housing Allowance rates.",
            "Move-on from supported housing slowed because of a shortage of one-bedroom homes.",
        ],
        "better": [
            "The prevention fund helped more households stay in their homes by clearing rent arrears.",
            "New temporary flats leased by the council have replaced bed and breakfast for families.",
        ],
        "action": [
            "Housing options officers now meet every household at risk within two working days.",
            "The council is buying homes for use as temporary accommodation.",
            "An incentive scheme for private landlords who house homeless families has been launched.",
        ],
    },
    "private_housing": {
        "worse": [
            "Builders' prices rose, so fewer contractors bid for adaptation and renovation work.",
            "Owners of long-term empty homes were slow to respond to contact from the council.",
        ],
        "better": [
            "Occupational therapists now assess adaptations with the grants team in a single visit.",
            "Empty homes loans have helped owners bring more properties back into use.",
        ],
        "action": [
            "A framework of approved contractors for adaptations has been set up to cut tendering time.",
            "The council is using enforcement powers on the longest-empty properties.",
        ],
    },
    "CSY": {
        "worse": [
            "A series of burglaries and vehicle crimes was linked to one group, now charged.",
            "Anti-social behaviour rose in the town centre in the evenings over the summer.",
            "Referrals of high-risk domestic abuse cases rose after the awareness campaign.",
        ],
        "better": [
            "Joint patrols with the police in the town centre have reduced reports.",
            "Diversion work with young people through the youth justice service is keeping more out of court.",
        ],
        "action": [
            "The community safety partnership has agreed a hot-spot plan with the police for the worst-affected "
            "streets.",
            "Independent domestic violence advisers are following up every repeat case within 48 hours.",
            "Youth workers are running evening sessions in the parks where problems are reported.",
        ],
    },
    "LEI": {
        "worse": [
            "The main pool was closed for three weeks for repairs to its plant room.",
            "Wet weather kept visitors away from parks and outdoor events.",
            "Two library branches opened shorter hours while staff vacancies were filled.",
        ],
        "better": [
            "The refurbished gym and the new fitness classes brought in more members.",
            "The summer exhibition and school holiday activities drew more visitors than expected.",
        ],
        "action": [
            "The leisure operator is offering free sessions to win back members lost during the closure.",
            "Volunteers are helping to keep library branches open during staff absences.",
            "The events programme has been moved to the months with more reliable weather.",
        ],
    },
    "ASC": {
        "worse": [
            "Hospital discharges peaked over the winter, and the team prioritised people leaving hospital.",
            "Home care providers struggled to recruit, so some packages started late.",
            "The number of people waiting for an assessment rose after two social workers left.",
        ],
        "better": [
            "The reablement service is helping more people regain independence after a hospital stay.",
            "Waiting lists are now reviewed weekly so the most urgent cases are seen first.",
        ],
        "action": [
            "Agency social workers have been brought in to reduce the assessment waiting list.",
            "The council is working with home care providers on a recruitment campaign.",
            "Trusted assessors in the hospital now arrange simple discharges directly.",
        ],
    },
    "CSC": {
        "worse": [
            "Referrals rose after the start of the school term, and caseloads in the assessment team went up.",
            "High turnover of social workers meant some children had a change of worker.",
            "There were too few foster carers to offer placement choice, so some children moved more than once.",
        ],
        "better": [
            "The assessment team is fully staffed with permanent social workers for the first time in two years.",
            "The new fostering recruitment campaign has added carers, giving more choice of placement.",
        ],
        "action": [
            "Team managers are reviewing every assessment that goes past 35 working days.",
            "The recruitment and retention package for social workers has been extended.",
            "The fostering team is targeting carers for teenagers and sibling groups.",
        ],
    },
    "EDU": {
        "worse": [
            "Fewer young people were in education or training after the end of the college year.",
            "Take-up of funded early education places was lower in the wards with the fewest providers.",
            "Two schools were judged to require improvement at their latest inspections.",
        ],
        "better": [
            "Schools and colleges are sharing information on leavers earlier, so fewer young people are untracked.",
            "Children's centre staff are helping families apply for funded places.",
        ],
        "action": [
            "Advisers are contacting every young person whose destination is not known.",
            "School improvement advisers are supporting the schools judged to require improvement.",
            "New childminders are being recruited in the areas with the fewest places.",
        ],
    },
    "send": {
        "worse": [
            "Requests for needs assessments rose by about a quarter on last year.",
            "Educational psychologist advice was late because of vacancies in the service.",
        ],
        "better": [
            "Extra educational psychologists commissioned this year have cleared the backlog of advice.",
            "Plans are now drafted in a multi-agency meeting, saving several weeks.",
        ],
        "action": [
            "The SEND team is tracking each assessment weekly against the 20-week timescale.",
            "Health and care partners have agreed to return their advice within six weeks.",
        ],
    },
    "schools": {
        "worse": [
            "Results fell in the two secondary schools that lost experienced maths teachers.",
            "Persistent absence stayed high among pupils with special educational needs.",
        ],
        "better": [
            "The attendance support team's work with families has reduced persistent absence.",
            "The English and maths programme shared between secondary schools is raising results.",
        ],
        "action": [
            "School improvement advisers are working with the schools whose results fell.",
            "Attendance officers are meeting the families of every persistently absent pupil.",
        ],
    },
    "PHL": {
        "worse": [
            "The stop smoking service had fewer referrals from GP practices than planned.",
            "The health visiting service carried vacancies, so some visits were late.",
            "Alcohol-related hospital admissions rose over the festive period.",
        ],
        "better": [
            "The new community outreach has reached more residents in the most deprived wards.",
            "Health checks at workplaces and community venues are reaching people who do not see their GP.",
        ],
        "action": [
            "Public health is agreeing referral targets with each GP practice.",
            "The provider has a recovery plan with monthly reporting to the public health team.",
            "Alcohol liaison nurses at the hospital now refer patients straight to community treatment.",
        ],
    },
}

# Indicators whose subject is not their service's main story.
STORY_OF: dict[str, str] = {
    "LPI 005": "sickness",
    "LPI 006": "recruitment",
    "LPI 008": "recruitment",
    "LPI 010": "recruitment",
    "LPI 019": "savings",
    "LPI 022": "collection",
    "LPI 023": "collection",
    "LPI 025": "collection",
    "LPI 024": "benefits",
    "LPI 101": "benefits",
    "LPI 026": "benefits",
    "LPI 028": "calls",
    "LPI 029": "calls",
    "LPI 030": "calls",
    "LPI 230": "calls",
    "LPI 045": "highways",
    "LPI 046": "highways",
    "NI 47": "highways",
    "LPI 053": "building_control",
    "LPI 054": "building_control",
    "LPI 062": "lettings",
    "LPI 066": "lettings",
    "LPI 063": "repairs",
    "LPI 064": "repairs",
    "LPI 065": "repairs",
    "LPI 205": "repairs",
    "LPI 069": "private_housing",
    "LPI 070": "private_housing",
    "NI 187": "private_housing",
    "LPI 090": "send",
    "LPI 224": "schools",
    "LPI 225": "schools",
    "LPI 226": "schools",
    "LPI 089": "schools",
}

# Openings: what happened, by rating.
OPENERS: dict[str, list[str]] = {
    "red": [
        "{value} against a target of {target} for {period}.",
        "Red for {period}: {value}, well short of the {target} target.",
        "At {value}, the figure misses the {target} target by more than the tolerance allows.",
    ],
    "amber": [
        "{value} for {period}, just outside the {target} target.",
        "Slightly short of target at {value} (target {target}).",
        "Amber: {value} against {target}, within the tolerance band.",
    ],
    "green": [
        "On target for {period} at {value} (target {target}).",
        "{value} against a target of {target}.",
        "Target met at {value} for {period}.",
    ],
}
# Closings for Red and Amber: when the service expects to recover, and who is watching.
RECOVERY = [
    "We expect to be back within tolerance by the end of next quarter.",
    "Progress will be reported to the next Performance Review Team.",
    "The head of service is reviewing the figure weekly until it recovers.",
    "If the figure has not improved next period, the service will ask for a performance surgery.",
]
# Closings for Green.
KEEP = [
    "",
    "The arrangements will stay in place.",
    "We will watch for the usual seasonal pressures.",
]

# Context measures are not rated: their commentary explains the figure and what it is used for.
CONTEXT = [
    "This is a context measure and is not rated. The figure for {period} is {value}, broadly in line with the "
    "same period last year.",
    "Reported for information only. At {value}, the figure follows the usual seasonal pattern for this time of year.",
    "{value} in {period}. No target is set for this measure.",
    "Context measure, not rated: {value} for {period}.",
    "For information: {value} at the end of {period}. The longer-term trend is shown in the chart.",
]
CONTEXT_USE = [
    "It is used in the service's forecasts of demand.",
    "The figure is shared with partners to plan services.",
    "A rise would be an early sign of more demand on frontline services.",
    "The data provider revised earlier figures; the revised figures are shown.",
    "",
]

# Why a figure is not available, by where it comes from (a word in the indicator's data
# source), else the reasons any return can miss a deadline.
NOT_AVAILABLE_BY_SOURCE: dict[str, list[str]] = {
    "survey": ["Survey fieldwork was postponed this year, so there is no figure for {period}."],
    "Department for Work and Pensions": [
        "Data from the Department for Work and Pensions has not been received for this period."
    ],
    "police": [
        "The police data-sharing agreement is being renewed and recorded crime data for {period} has not yet been "
        "released to the partnership."
    ],
    "NHS": ["Hospital data from NHS England has not yet been published for this period."],
    "contractor": [
        "The contractor has not yet supplied its monthly return. It has been chased and is expected before the "
        "next reporting deadline."
    ],
}
NOT_AVAILABLE_ANY = [
    "The figure is not available because the case management system was being migrated during {period}. The "
    "reports are being rebuilt and the figure will be added once validated.",
    "The figure is awaiting validation by the performance team after errors were found in the extract; it will "
    "be reported at the next meeting.",
    "A fault in the reporting module of the supplier's system meant the figure could not be produced for "
    "{period}. The supplier is working on a fix.",
]
