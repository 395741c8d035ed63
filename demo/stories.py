"""What officers write about the demo council's figures: pure data, no behaviour.

Commentary says what happened, why and what is being done. The why and the what-next
belong to the subject: each indicator has a story (its own theme, else its service's),
with reasons a figure got worse, reasons it got better and the actions a service takes.
The loader builds each comment from an opening for the rating, a reason and an action
from the indicator's story that fit it (lines_for), and a closing line, so that no two
subjects explain their figures the same way. Placeholders: {value}, {target} and {period} only.
"""

# Reasons figures fell short, reasons they did well, and what the service is doing. A line
# is either for any indicator of the story, or a pair (codes, line) for those indicators only
# (codes separated by commas), so that a reason is never given for a figure it cannot explain.
Line = str | tuple[str, str]

STORIES: dict[str, dict[str, list[Line]]] = {
    "POL": {
        "worse": [
            (
                "NI 1,LPI 001,LPI 231",
                "Fewer residents than usual returned the survey, and the responses lean "
                "towards areas that rate the council lower.",
            ),
            ("LPI 001,LPI 231", "Local coverage of the library consultation coloured how residents answered."),
            ("LPI 003", "Two services sent their returns after the deadline while their data officers were on leave."),
        ],
        "better": [
            (
                "NI 1,LPI 001,LPI 231",
                "The 'You said, we did' updates in the residents' magazine have been well received.",
            ),
            ("LPI 003", "Every service now has a named deputy for its performance returns."),
        ],
        "action": [
            (
                "NI 1,LPI 001,LPI 231",
                "The engagement team is running drop-in sessions in the wards with the lowest scores.",
            ),
            ("LPI 003", "The corporate performance team is sending reminders five working days before each deadline."),
            (
                "NI 1,LPI 001,LPI 231",
                "Results are being broken down by ward so that cabinet members can see where views differ.",
            ),
        ],
    },
    "sickness": {
        "worse": [
            "Short-term viral illness and a rise in stress-related absence in frontline teams pushed the figure up.",
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
            (
                "LPI 006,LPI 008",
                "Social work, planning and legal posts attracted few applicants, and several had to be readvertised.",
            ),
            ("LPI 008", "The national shortage of qualified staff in children's services kept agency numbers high."),
            ("LPI 006", "Pre-employment checks took longer while the new applicant tracking system bedded in."),
            ("LPI 010", "Fewer school leavers applied for the council's apprenticeships than last year."),
        ],
        "better": [
            (
                "LPI 006,LPI 010",
                "The refreshed careers website and the 'grow our own' trainee scheme are bringing in more applicants.",
            ),
            ("LPI 008", "Agency workers in three long-standing posts have moved to permanent contracts."),
        ],
        "action": [
            (
                "LPI 006,LPI 008",
                "HR is agreeing a market supplement for hard-to-fill posts with the Director of Resources.",
            ),
            ("LPI 008", "Every agency placement over twelve weeks now needs a director's sign-off."),
            "Apprenticeship levy funding is being used to train existing staff into shortage roles.",
        ],
    },
    "HRO": {
        "worse": [
            ("LPI 007", "Several services postponed appraisals during the restructure consultation."),
            ("LPI 007", "Managers report that the new online appraisal form takes longer to complete."),
            ("LPI 009", "More men than women were appointed to the senior posts filled this year."),
        ],
        "better": [
            ("LPI 007", "Appraisal completion is now part of every manager's own objectives."),
            ("LPI 009", "The pay and grading review narrowed the gaps in the middle grades."),
        ],
        "action": [
            "HR business partners are following up with each service below the council average.",
            "The workforce board reviews the figure every quarter.",
            ("LPI 007", "Short guidance for managers has been published on the intranet."),
            ("LPI 009", "Senior posts are now advertised with flexible and part-time working as the default."),
        ],
    },
    "LDS": {
        "worse": [
            (
                "LPI 011,LPI 012",
                "A run of complex requests about the leisure contract needed legal review before release.",
            ),
            ("LPI 013", "The democratic services team was one officer down during the committee cycle."),
            ("LPI 014", "Canvass responses dropped in wards with many rented flats, where residents move often."),
            ("LPI 015", "Searches waited for answers from the highways and planning teams."),
        ],
        "better": [
            (
                "LPI 011,LPI 012",
                "The new request-tracking system sends services automatic reminders before a deadline.",
            ),
            ("LPI 013", "Report authors now submit drafts earlier, following the revised committee timetable."),
            ("LPI 014", "More households responded online after the canvass moved to email first."),
            ("LPI 015", "Most searches now arrive through the national digital service and are answered online."),
        ],
        "action": [
            (
                "LPI 011,LPI 012,LPI 015",
                "Requests are now triaged on the day they arrive so the complex ones start early.",
            ),
            ("LPI 013", "Democratic services is holding report-writing sessions for officers in each directorate."),
            ("LPI 014", "Canvassers are making evening visits to the households that have not responded."),
        ],
    },
    "FIN": {
        "worse": [
            (
                "LPI 016,LPI 017,LPI 018",
                "Invoices for the new highways contract were sent to the wrong address and had to be redirected.",
            ),
            ("LPI 016,LPI 017,LPI 018", "Budget holders were slow to approve invoices after the finance upgrade."),
            (
                "LPI 016,LPI 020,LPI 021",
                "Two large care providers disputed their invoices, holding up payment and collection.",
            ),
        ],
        "better": [
            (
                "LPI 016,LPI 017,LPI 018",
                "Most invoices now arrive electronically and go straight to the budget holder for approval.",
            ),
            ("LPI 020,LPI 021", "The new reminder letters and direct debit offer have cut the number of old debts."),
        ],
        "action": [
            (
                "LPI 016,LPI 017,LPI 018",
                "The finance team publishes a weekly list of invoices awaiting approval to each director.",
            ),
            ("LPI 020,LPI 021", "Debts over 90 days old are reviewed monthly with the services that raised them."),
            (
                "LPI 016,LPI 017,LPI 018",
                "A 'no purchase order, no pay' rule starts for all new suppliers next quarter.",
            ),
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
            ("LPI 022", "More residents than last year have asked to pay over twelve months rather than ten."),
            (
                "LPI 022,LPI 023",
                "Court hearings for unpaid bills were delayed by the magistrates' court listing backlog.",
            ),
            (
                "LPI 022,LPI 025",
                "Collection from households on low incomes has slowed as cost-of-living pressures continue.",
            ),
            ("LPI 023", "Several retailers in the town centre went into administration owing rates."),
            (
                "LPI 025",
                "Fewer overpayments could be recovered from ongoing benefit as claimants moved to Universal Credit.",
            ),
        ],
        "better": [
            (
                "LPI 022,LPI 023",
                "More ratepayers now pay by direct debit following the sign-up campaign with the annual bills.",
            ),
            ("LPI 022", "Reminder texts sent three days before each instalment have reduced missed payments."),
            ("LPI 025", "More overpayments are being recovered directly from claimants' Universal Credit."),
        ],
        "action": [
            (
                "LPI 022,LPI 023",
                "The recovery team is phoning ratepayers with a first missed instalment before a reminder is issued.",
            ),
            (
                "LPI 022,LPI 025",
                "Residents in difficulty are referred to the council tax support scheme and debt advice.",
            ),
            ("LPI 022,LPI 023", "Enforcement agents are concentrating on the largest arrears cases first."),
            ("LPI 025", "Recovery from ongoing benefit is now the first option considered in every case."),
        ],
    },
    "benefits": {
        "worse": [
            "A data-matching exercise by the Department for Work and Pensions produced a surge of changes to process.",
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
    "calls": {
        "worse": [
            "Call volumes were about a fifth higher than usual, mostly about council tax and bin collections.",
            "Four contact centre advisers were off sick at the same time.",
            "The new telephone system's call routing sent some callers to the wrong queue for a fortnight.",
        ],
        "better": [
            "More residents are reporting missed bins and paying online, freeing advisers for complex calls.",
            "The call-back option means fewer people give up in busy periods.",
        ],
        "action": [
            "Staff from the back office are covering the phones at peak times.",
            "The call routing has been corrected and is checked weekly against call recordings.",
            "A recorded message at busy times now points callers to the online forms.",
        ],
    },
    "CUS": {
        "worse": [
            (
                "LPI 031,LPI 033",
                "Complaints about bin collections peaked during the route changes, and services were slow to reply.",
            ),
            ("LPI 034", "A network fault took the main systems down for most of a working day."),
            ("LPI 032", "Some online forms were withdrawn while the website moved to its new platform."),
        ],
        "better": [
            ("LPI 031,LPI 033", "Services now see their open complaints on a shared dashboard updated daily."),
            ("LPI 032", "Twelve more services can now be requested and paid for online."),
            ("LPI 034", "No unplanned outages were recorded, and upgrades were done out of hours."),
        ],
        "action": [
            ("LPI 031,LPI 033", "The complaints team chases every reply due within two days."),
            ("LPI 034", "The IT team has added a second network link so one fault cannot stop the main systems."),
            ("LPI 032", "The digital team is rebuilding the withdrawn forms, the most used first."),
        ],
    },
    "PRP": {
        "worse": [
            ("LPI 035", "Two industrial units stood empty for most of the period after their tenants' leases ended."),
            ("LPI 036", "The contractor fell behind on fire risk assessment checks in the older community buildings."),
            ("NI 185", "Heating the older depot and civic buildings used more gas than planned in a cold spell."),
            ("LPI 037", "Surveys found more roof and heating repairs needed in the older depot and civic buildings."),
        ],
        "better": [
            ("LPI 035", "New tenants have taken the vacant shop units in the market arcade."),
            ("NI 185", "The LED lighting and heat pump projects at the civic centre are cutting energy use."),
            ("LPI 036", "The new compliance contractor books each check a month before it falls due."),
            ("LPI 037", "Selling two surplus buildings removed their repair liabilities."),
        ],
        "action": [
            ("LPI 035", "The estates team is marketing the vacant units with a local agent."),
            ("LPI 036", "Weekly compliance meetings with the contractor continue until every check is up to date."),
            ("NI 185", "Building managers have been asked to check heating timers in each building."),
            ("LPI 037", "Repairs are being prioritised by risk in the asset management plan."),
        ],
    },
    "WST": {
        "worse": [
            (
                "NI 191,NI 192,NI 193,LPI 102,LPI 103",
                "Contamination in the recycling bins rose, so more loads were rejected at the sorting plant.",
            ),
            (
                "LPI 038,LPI 039",
                "The new collection rounds caused missed bins in the first weeks while crews learned them.",
            ),
            ("NI 192,LPI 102", "Garden waste tonnages, which count towards recycling, were lower than expected."),
            ("NI 193", "The energy-from-waste plant's maintenance shutdown sent more waste to landfill."),
            ("LPI 040", "Some households did not renew their garden waste subscription after the price rise."),
            ("LPI 041", "Fuel and disposal costs rose faster than budgeted."),
        ],
        "better": [
            (
                "NI 191,NI 192,NI 193,LPI 102,LPI 103",
                "Food waste collections are now used by more than half of households.",
            ),
            ("LPI 038,LPI 039", "The new rounds have settled and crews are completing them on time."),
            ("LPI 040", "Online renewals with reminder emails kept most subscribers."),
            ("LPI 041", "Selling recycled materials brought in more income than expected."),
        ],
        "action": [
            (
                "NI 191,NI 192,LPI 102,LPI 103",
                "Crews are tagging contaminated bins and the waste team is writing to those households.",
            ),
            ("LPI 038,LPI 039", "Round supervisors are checking reported missed bins daily to find repeat addresses."),
            (
                "NI 191,NI 192,NI 193,LPI 102,LPI 103",
                "A recycling campaign is running in the flats with the lowest recycling rates.",
            ),
            ("LPI 040", "A spring campaign is promoting the service to households who have not subscribed."),
            ("LPI 041", "The service is redesigning rounds to cut fuel use."),
        ],
    },
    "SHW": {
        "worse": [
            ("LPI 042,LPI 043", "Fly-tipping rose in the alleys behind terraced streets, where bulky waste builds up."),
            (
                "NI 195,LPI 104,LPI 043,LPI 044",
                "The street cleansing team was short of drivers for several weeks.",
            ),
            (
                "LPI 043,LPI 044",
                "Enforcement officers spent time on a large illegal waste site, delaying routine removals.",
            ),
            ("NI 195,LPI 104", "Litter built up around takeaways and bus stops in the district centres."),
        ],
        "better": [
            ("LPI 042", "Cameras at the worst fly-tipping spots led to fixed penalties and fewer repeat incidents."),
            ("NI 195,LPI 104", "Cleansing rounds now follow the litter inspection results, not a fixed rota."),
            ("LPI 043,LPI 044", "A new vehicle with a tail-lift lets one crew clear most jobs on the first visit."),
        ],
        "action": [
            ("LPI 042", "The service is offering a low-cost bulky waste collection in the worst-affected streets."),
            (
                "NI 195,LPI 104,LPI 043,LPI 044",
                "Two temporary drivers have been hired until the permanent posts are filled.",
            ),
            ("LPI 042,LPI 044", "Cases are shared with the police through the community safety partnership."),
            ("NI 195,LPI 104", "Extra litter bins and a weekend sweep have been added in the district centres."),
        ],
    },
    "highways": {
        "worse": [
            ("LPI 045", "Heavy rain on an ageing road network opened more potholes than crews could repair in time."),
            ("LPI 046", "The street lighting contractor was waiting for replacement parts from its supplier."),
            ("NI 47", "More serious collisions were recorded on the rural A roads, several involving motorcyclists."),
        ],
        "better": [
            ("LPI 045", "The second repair gang funded this year has cleared the backlog of urgent defects."),
            ("LPI 046", "Replacing old lanterns with LED units has cut the number of faults."),
            ("NI 47", "Average speed cameras on the A-road through the villages have cut speeds."),
        ],
        "action": [
            ("LPI 045", "Urgent defects are now made safe the same day, with a permanent repair within 28 days."),
            ("LPI 046", "The contract manager has issued a performance notice to the lighting contractor."),
            ("NI 47", "Road safety schemes are planned for the three routes with the most serious collisions."),
        ],
    },
    "EHL": {
        "worse": [
            (
                "LPI 047,NI 184,LPI 048,LPI 051",
                "Two environmental health officers left and specialist officers are hard to recruit.",
            ),
            ("LPI 047,NI 184", "A run of new food businesses opening needed first inspections before routine ones."),
            ("LPI 047,LPI 048", "An outbreak investigation took the team away from planned work for two weeks."),
            ("LPI 049,LPI 050", "Applicants' criminal record checks and medicals took longer to come back."),
            ("LPI 202", "Businesses said inspection reports took too long to arrive."),
            ("NI 186", "Emissions from road transport fell more slowly than those from homes and businesses."),
            ("LPI 051", "Rat activity rose, particularly around food businesses and drains."),
        ],
        "better": [
            (
                "LPI 047,NI 184,LPI 202",
                "Inspections are now planned by risk, so the highest-risk premises are seen first.",
            ),
            ("LPI 049,LPI 050", "Online licence applications have removed most of the re-keying."),
            ("LPI 048", "An out-of-hours noise service now runs on Friday and Saturday nights."),
            ("LPI 051", "The pest control team is back to full strength."),
            ("NI 186", "More homes have been insulated through the warm homes grants."),
        ],
        "action": [
            ("LPI 047,NI 184", "Contract inspectors are covering lower-risk food premises for the rest of the year."),
            ("LPI 049,LPI 050", "Applicants get a checklist with their form so fewer applications are incomplete."),
            ("NI 184,LPI 202", "The team is targeting advice visits at the premises rated 0 to 2 for food hygiene."),
            (
                "LPI 048,LPI 051",
                "Requests are now booked through the online form, which offers the first free appointment.",
            ),
            ("NI 186", "The climate action plan's home insulation programme is being extended."),
        ],
    },
    "PLN": {
        "worse": [
            (
                "LPI 203",
                "Several major applications needed amended plans after consultation, and applicants agreed "
                "longer timescales late.",
            ),
            (
                "LPI 203,LPI 105,LPI 106,LPI 052",
                "Two planning officer vacancies left large caseloads with the remaining officers.",
            ),
            ("LPI 203,NI 154", "Legal agreements on developer contributions took longer to sign than expected."),
            ("NI 154", "Housebuilding slowed on the two largest sites as sales fell."),
            ("LPI 052", "Inspectors allowed appeals on three sites where the local plan policies are out of date."),
        ],
        "better": [
            (
                "LPI 203,LPI 105,LPI 106",
                "Pre-application advice means more applications arrive complete and can be decided quickly.",
            ),
            (
                "LPI 105,LPI 106,LPI 203",
                "Agency planners are clearing the older cases while permanent recruitment continues.",
            ),
            ("NI 154", "Two large sites completed their first phases."),
            ("LPI 052", "Refusal reasons are now checked by a senior officer before decisions are issued."),
        ],
        "action": [
            (
                "LPI 203,LPI 105,LPI 106",
                "Extensions of time are now agreed with applicants at validation, not near the deadline.",
            ),
            ("LPI 203,NI 154", "Template legal agreements are being used to speed up developer contributions."),
            "The service is advertising jointly with neighbouring councils for planning officers.",
            ("LPI 052", "The local plan review will refresh the policies that lost appeals."),
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
            ("LPI 204,NI 153,LPI 056", "The closure of a distribution centre cost about 300 local jobs."),
            ("LPI 058", "Fewer people visited the town centre after two large stores closed."),
            ("LPI 057", "A bid to the government's regeneration funding was not successful this round."),
            ("NI 172", "Small firms report that higher costs are holding back hiring."),
        ],
        "better": [
            ("LPI 056,NI 172", "The business support programme helped three manufacturers expand."),
            ("LPI 058", "Events in the market square brought more people into the town centre."),
            ("LPI 204,NI 153", "The employment hub placed more long-term unemployed residents into work."),
            ("LPI 057", "Two bids to the UK Shared Prosperity Fund succeeded."),
        ],
        "action": [
            (
                "LPI 204,NI 153,LPI 056",
                "The employment hub is working with Jobcentre Plus to place people affected by the closure.",
            ),
            ("LPI 058", "The town centre partnership is filling empty units with pop-up shops."),
            ("LPI 057", "The team is preparing bids for the next rounds of external funding."),
            ("NI 172", "The business growth programme is offering grants towards a firm's first hires."),
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
            "Managed payments of rent are requested from the Department for Work and Pensions where rent is not "
            "being paid.",
            "The vacant rent officer post has been filled and starts next month.",
        ],
    },
    "repairs": {
        "worse": [
            (
                "LPI 063,LPI 064,LPI 205",
                "Damp and mould reports rose and took repairs capacity from routine jobs.",
            ),
            ("LPI 063,LPI 064,LPI 065", "The repairs contractor was short of gas engineers and plumbers."),
            ("LPI 064,LPI 065", "Access was refused at a number of homes, and each needed several appointments."),
            ("LPI 205", "The stock condition survey found more homes with old kitchens and heating than expected."),
        ],
        "better": [
            ("LPI 063,LPI 064,LPI 205", "The repairs contractor has added two gangs for damp and mould work."),
            (
                "LPI 063,LPI 064",
                "Appointments are now booked at the first call, so more jobs are done on the first visit.",
            ),
            ("LPI 065", "Gas services are now booked two months before each certificate expires."),
        ],
        "action": [
            ("LPI 064,LPI 065", "Homes where access is refused are followed up by the tenancy officer within a week."),
            ("LPI 063,LPI 064,LPI 065", "Monthly contract meetings track every job over target with the contractor."),
            ("LPI 205,LPI 063", "The stock condition survey is being used to plan repairs before they become urgent."),
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
            (
                "LPI 206,LPI 067,LPI 068",
                "More families approached the council after private landlords ended tenancies to sell.",
            ),
            ("LPI 206,LPI 067,LPI 068", "Few private rented homes are available at Local Housing Allowance rates."),
            ("LPI 208", "Move-on from supported housing slowed because of a shortage of one-bedroom homes."),
            ("LPI 207", "Two housing association schemes were delayed when their contractor went out of business."),
            ("LPI 209", "Changes to the floating support contract reduced the number of visits."),
        ],
        "better": [
            (
                "LPI 067,LPI 206",
                "The prevention fund helped more households stay in their homes by clearing rent arrears.",
            ),
            (
                "LPI 068,LPI 206",
                "New temporary flats leased by the council have replaced bed and breakfast for families.",
            ),
            ("LPI 207", "The first affordable homes on the former depot site were handed over."),
            (
                "LPI 208,LPI 209",
                "The supported housing provider now plans each person's move-on from their first week.",
            ),
        ],
        "action": [
            (
                "LPI 067,LPI 206,LPI 068",
                "Housing options officers now meet every household at risk within two working days.",
            ),
            ("LPI 206,LPI 068", "The council is buying homes for use as temporary accommodation."),
            (
                "LPI 206,LPI 067",
                "An incentive scheme for private landlords who house homeless families has been launched.",
            ),
            ("LPI 207", "The council is working with housing associations to restart the stalled sites."),
            ("LPI 208,LPI 209", "Move-on panels with the supported housing providers now meet fortnightly."),
        ],
    },
    "private_housing": {
        "worse": [
            ("LPI 070", "Builders' prices rose, so fewer contractors bid for adaptation work."),
            ("LPI 069", "Owners of long-term empty homes were slow to respond to contact from the council."),
            ("NI 187", "High energy prices kept more low-income households in cold homes."),
        ],
        "better": [
            ("LPI 070", "Occupational therapists now assess adaptations with the grants team in a single visit."),
            ("LPI 069", "Empty homes loans have helped owners bring more properties back into use."),
            ("NI 187", "Warm homes grants insulated more privately owned and rented homes."),
        ],
        "action": [
            ("LPI 070", "A framework of approved contractors for adaptations has been set up to cut tendering time."),
            ("LPI 069", "The council is using enforcement powers on the longest-empty properties."),
            ("NI 187", "Energy advisers are visiting the homes with the lowest energy ratings."),
        ],
    },
    "CSY": {
        "worse": [
            ("NI 16", "A series of burglaries and vehicle crimes was linked to one group, now charged."),
            (
                "LPI 074,NI 20",
                "Anti-social behaviour and violence rose in the town centre in the evenings.",
            ),
            ("NI 32", "Referrals of high-risk domestic abuse cases rose after the awareness campaign."),
            ("LPI 210", "More young people were arrested for carrying knives."),
        ],
        "better": [
            ("LPI 074,NI 20,NI 16", "Joint patrols with the police in the town centre have reduced reports."),
            ("LPI 210", "Diversion work through the youth justice service is keeping more young people out of court."),
            ("NI 32", "Every high-risk case now has an independent adviser within 24 hours."),
        ],
        "action": [
            (
                "NI 16,LPI 074,NI 20",
                "The community safety partnership has agreed a hot-spot plan with the police for "
                "the worst-affected streets.",
            ),
            ("NI 32", "Independent domestic violence advisers are following up every repeat case within 48 hours."),
            ("LPI 074,LPI 210", "Youth workers are running evening sessions in the parks where problems are reported."),
        ],
    },
    "LEI": {
        "worse": [
            ("LPI 075,LPI 080,NI 8,LPI 107", "The main pool was closed for three weeks for repairs to its plant room."),
            ("LPI 079,LPI 107,NI 8", "Wet weather kept people away from parks and outdoor activities."),
            ("LPI 076", "Two library branches opened shorter hours while staff vacancies were filled."),
            ("LPI 077", "The museum's main gallery closed for repairs to the roof."),
            ("LPI 078,LPI 211", "Volunteer surveys and maintenance at two sites fell behind."),
        ],
        "better": [
            (
                "LPI 075,LPI 080,NI 8,LPI 107",
                "The refurbished gym and the new fitness classes brought in more members.",
            ),
            (
                "LPI 077,LPI 076",
                "The new exhibition and holiday activities drew more visitors than expected.",
            ),
            (
                "LPI 078,LPI 079,LPI 211",
                "The parks team's new management plans have been praised by judges and friends groups.",
            ),
        ],
        "action": [
            (
                "LPI 075,LPI 080,LPI 107,NI 8",
                "The leisure operator is offering free sessions to win back members lost during the closure.",
            ),
            ("LPI 076", "Volunteers are helping to keep library branches open during staff absences."),
            ("LPI 077,LPI 079", "The events programme has been moved to the months with more reliable weather."),
            ("LPI 078,LPI 211,LPI 079", "Friends groups are helping with habitat and maintenance work."),
        ],
    },
    "ASC": {
        "worse": [
            (
                "LPI 212,LPI 214,LPI 081",
                "Hospital discharges were higher than usual, and the team prioritised people leaving hospital.",
            ),
            ("LPI 215,LPI 212,LPI 081", "Home care providers struggled to recruit, so some packages started late."),
            (
                "LPI 214,NI 135,LPI 082",
                "The number of people waiting for an assessment rose after two social workers left.",
            ),
            ("LPI 213,LPI 229", "Fewer people chose direct payments because personal assistants are hard to find."),
            ("LPI 216", "Two employers in the supported employment scheme closed."),
            ("LPI 083", "Care home fees rose with the National Living Wage."),
            ("NI 135", "Carers' assessments were delayed while the carers' centre changed provider."),
        ],
        "better": [
            (
                "LPI 212,LPI 081",
                "The reablement service is helping more people regain independence after a hospital stay.",
            ),
            (
                "LPI 214,LPI 215,NI 135,LPI 082",
                "Waiting lists are now reviewed weekly so the most urgent cases are seen first.",
            ),
            ("LPI 213,LPI 229", "The direct payments support service now helps people recruit personal assistants."),
            ("LPI 216", "The supported employment scheme found placements with three new employers."),
            ("LPI 083", "The council agreed fee rates with most care homes in advance."),
        ],
        "action": [
            (
                "LPI 214,NI 135,LPI 082",
                "Agency social workers have been brought in to reduce the assessment waiting list.",
            ),
            ("LPI 215,LPI 212", "The council is working with home care providers on a recruitment campaign."),
            ("LPI 212,LPI 081", "Trusted assessors in the hospital now arrange simple discharges directly."),
            ("LPI 213,LPI 229", "Social workers now discuss a direct payment with everyone at assessment."),
            ("LPI 216", "The employment team is working with the job centre's disability advisers."),
            ("LPI 083,LPI 081", "More extra-care housing is being commissioned as an alternative to care homes."),
        ],
    },
    "CSC": {
        "worse": [
            (
                "LPI 108,LPI 085",
                "Referrals from schools and the police rose, and caseloads in the assessment team went up.",
            ),
            (
                "LPI 086,LPI 221,LPI 220,LPI 108",
                "High turnover of social workers meant some children had a change of worker.",
            ),
            (
                "LPI 219,NI 63",
                "There were too few foster carers to offer a choice of placement, so some children "
                "moved more than once.",
            ),
            ("LPI 227", "Fewer apprenticeships were available for care leavers this year."),
            ("LPI 221", "Several reviews were rearranged because children's placements changed."),
        ],
        "better": [
            (
                "LPI 108,LPI 086,LPI 221",
                "The assessment team is fully staffed with permanent social workers for the first time in two years.",
            ),
            ("LPI 219,NI 63", "The fostering recruitment campaign has added carers, giving more choice of placement."),
            ("LPI 227", "The virtual school's post-16 advisers are working with every care leaver."),
            ("LPI 220,LPI 085", "Family support after a plan ends is helping to prevent repeat referrals."),
        ],
        "action": [
            ("LPI 108", "Team managers are reviewing every assessment that goes past 45 working days."),
            ("LPI 086,LPI 108,LPI 221", "The recruitment and retention package for social workers has been extended."),
            ("LPI 219,NI 63", "The fostering team is targeting carers for teenagers and sibling groups."),
            ("LPI 227", "The council is offering ring-fenced apprenticeships to care leavers."),
            ("LPI 220,LPI 085", "Senior managers review every child protection plan that reaches 18 months."),
            ("LPI 221", "Independent reviewing officers are booking reviews further ahead."),
        ],
    },
    "EDU": {
        "worse": [
            ("NI 117,LPI 109", "More young people dropped out of college courses and apprenticeships early."),
            ("LPI 091", "Take-up of funded early education places was lower in the wards with the fewest providers."),
            ("LPI 092", "Applications for the most popular primary schools rose."),
        ],
        "better": [
            (
                "NI 117,LPI 109",
                "Schools and colleges are sharing information on leavers earlier, so fewer young people are untracked.",
            ),
            ("LPI 091", "Children's centre staff are helping families apply for funded places."),
            ("LPI 092", "A new primary school opened in the growing east of the borough."),
        ],
        "action": [
            ("NI 117,LPI 109", "Advisers are contacting every young person whose destination is not known."),
            ("LPI 092", "Admissions officers are reviewing catchment areas with the most oversubscribed schools."),
            ("LPI 091", "New childminders are being recruited in the areas with the fewest places."),
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
            ("LPI 224,LPI 225", "Results fell in the two secondary schools that lost experienced maths teachers."),
            ("LPI 226", "Persistent absence stayed high among pupils with special educational needs."),
            (
                "LPI 089",
                "Fewer children reached a good level of development in the wards with the most speech and "
                "language needs.",
            ),
        ],
        "better": [
            ("LPI 226", "The attendance support team's work with families has reduced persistent absence."),
            ("LPI 224,LPI 225", "The English and maths programme shared between secondary schools is raising results."),
            ("LPI 089", "The early language programme in nurseries is helping more children reach a good level."),
        ],
        "action": [
            ("LPI 224,LPI 225", "School improvement advisers are working with the schools whose results fell."),
            ("LPI 089", "Health visitors and nurseries are checking speech at age two and referring children early."),
            ("LPI 226", "Attendance officers are meeting the families of every persistently absent pupil."),
        ],
    },
    "PHL": {
        "worse": [
            ("LPI 223", "The stop smoking service had fewer referrals from GP practices than planned."),
            ("LPI 228", "The health visiting service carried vacancies, so some visits were late."),
            ("NI 39", "Alcohol-related hospital admissions rose, most of all among people aged 45 to 64."),
            ("NI 112", "Fewer young people used the sexual health clinic after it moved."),
            ("LPI 093", "Several GP practices paused health checks while short of nurses."),
        ],
        "better": [
            ("LPI 223,NI 112", "The new community outreach has reached more residents in the most deprived wards."),
            (
                "LPI 093",
                "Health checks at workplaces and community venues are reaching people who do not see their GP.",
            ),
            ("LPI 228", "The health visiting team is fully staffed after the spring recruitment."),
            ("NI 39", "Alcohol liaison nurses are seeing more patients before they are admitted."),
        ],
        "action": [
            ("LPI 223,LPI 093", "Public health is agreeing referral targets with each GP practice."),
            ("LPI 228,NI 112", "The provider has a recovery plan with monthly reporting to the public health team."),
            ("NI 39", "Alcohol liaison nurses at the hospital now refer patients straight to community treatment."),
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


def lines_for(code: str, story: dict[str, list[Line]], part: str) -> list[str]:
    """The lines of a story's part ("worse", "better", "action") that fit the indicator."""
    return [
        line if isinstance(line, str) else line[1]
        for line in story[part]
        if isinstance(line, str) or code in line[0].split(",")
    ]
