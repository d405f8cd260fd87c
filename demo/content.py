"""Synthetic material for the demo programme: invented names, organisations, notes and plans.

Names are composed from syllables so that no list entry is a real person; organisations and
providers are invented. Notes are short, plain and in the tone of practitioners' records.
"""

from __future__ import annotations

DEMO_PASSWORD = "tandem-demo-2026"  # nosec B105 # published demo login (demo_logins prints it); demo data only
# Every demo user has an authenticator with this one secret: `manage.py demo_totp` prints the current code.
DEMO_TOTP_SECRET = "TANDEMDEMOSECRETTWOZEROTWOSIXABC"  # nosec B105 # published demo secret (base32); demo data only

ORGANISATION = ("Brücke – Ausstieg und Dialog e.V.", "bruecke")
PROGRAMME = "Brücke Ausstiegsbegleitung"
TARGET_GROUP = (
    "Young people and adults (14+) who want to leave violent extremist scenes, in custody, "
    "on probation or in the community, and their families."
)
TEAMS = ("Team Nord", "Team Süd", "Team Haft")

OTHER_ORGANISATION = ("Lichtblick Ausstiegshilfe gGmbH", "lichtblick")
OTHER_PROGRAMME = "Lichtblick Beratung"
OTHER_TEAM = "Team Mitte"

# Given names and family-name syllables from several languages; combinations are invented.
GIVEN_MALE = [
    "Jannik",
    "Dennis",
    "Marvin",
    "Timo",
    "Sascha",
    "Emre",
    "Yusuf",
    "Bilal",
    "Karim",
    "Tarek",
    "Piotr",
    "Kamil",
    "Mateusz",
    "Linus",
    "Elias",
    "Oskar",
    "Nils",
    "Malte",
    "Rico",
    "Dominik",
    "Levent",
    "Burak",
    "Samir",
    "Henrik",
    "Arvid",
    "Florian",
    "Kai",
    "Mirko",
    "Can",
    "Noah",
    "Adam",
    "Jakub",
]
GIVEN_FEMALE = [
    "Jana",
    "Nadine",
    "Selin",
    "Ayla",
    "Amira",
    "Leyla",
    "Zofia",
    "Agnieszka",
    "Ebba",
    "Frida",
    "Mara",
    "Vanessa",
    "Sabrina",
    "Dilara",
    "Ronja",
    "Kinga",
]
FAMILY_PARTS = [
    (
        ["Brink", "Holt", "Wester", "Lang", "Kamp", "Ober", "Hagen", "Rott", "Mühl", "Esch"],
        ["kötter", "haus", "becker", "feld", "brügge", "wald", "meier", "horst"],
    ),
    (["Ak", "Kay", "Öz", "Tek", "Yıl", "Dem", "Kar", "Ay"], ["dere", "tepe", "soylu", "han", "canlı", "oğlu"]),
    (["El-Sa", "Al-Ka", "Ha", "Na", "Ra"], ["yegh", "ssar", "mdani", "srawi", "fidi"]),
    (["Nowa", "Wiś", "Kowal", "Zieliń", "Grab", "Lis", "Sob"], ["kowski", "niewicz", "czyk", "ewski", "iak"]),
    (["Lind", "Sjö", "Holm", "Ek", "Dahl", "Strand", "Nor"], ["qvist", "gren", "ström", "lund", "blad"]),
]
NICKNAMES = ["Janni", "Kalle", "Momo", "Bär", "Tiggi", "Lenny", "Sami", "Flo", "Mats", "Becci"]

# Staff of the demo organisation: username, given name, family name, roles ((role, team or None), ...).
StaffSpec = tuple[str, str, str, list[tuple[str, str | None]]]
STAFF: list[StaffSpec] = [
    ("cm.nord", "Katrin", "Westerfeld", [("practitioner", "Team Nord")]),
    ("cw.nord", "Deniz", "Aksoylu", [("practitioner", "Team Nord")]),
    ("pr.nord", "Ole", "Sjöblad", [("practitioner", "Team Nord")]),
    ("cm.sued", "Miriam", "Obermeier", [("practitioner", "Team Süd")]),
    ("cw.sued", "Tomasz", "Grabczyk", [("practitioner", "Team Süd")]),
    ("pr.sued", "Lina", "Hamdani", [("practitioner", "Team Süd")]),
    ("cm.haft", "Jörg", "Eschhorst", [("practitioner", "Team Haft")]),
    ("cw.haft", "Nour", "Rasrawi", [("practitioner", "Team Haft")]),
    (
        "psy",
        "Helene",
        "Lindgren",
        [("specialist", "Team Nord"), ("specialist", "Team Süd"), ("specialist", "Team Haft")],
    ),
    (
        "former",
        "Sven",
        "Holtkötter",
        [("specialist", "Team Nord"), ("specialist", "Team Süd"), ("specialist", "Team Haft")],
    ),
    (
        "expert",
        "Yasin",
        "Kardere",
        [("specialist", "Team Nord"), ("specialist", "Team Süd"), ("specialist", "Team Haft")],
    ),
    ("sup.nord", "Bettina", "Kampwald", [("supervisor", "Team Nord"), ("supervisor", "Team Haft")]),
    ("sup.sued", "Marek", "Lisiak", [("supervisor", "Team Süd")]),
    ("pm", "Annika", "Ekström", [("programme_manager", None)]),
    ("eval", "Paul", "Norlund", [("evaluator", None)]),
    ("admin", "Sabine", "Rottbecker", [("administrator", None)]),
]
OTHER_STAFF: list[StaffSpec] = [
    ("lb.cm", "Fatma", "Tekhan", [("practitioner", OTHER_TEAM)]),
    ("lb.cw", "Jonas", "Dahlqvist", [("practitioner", OTHER_TEAM)]),
    ("lb.sup", "Ewa", "Sobiak", [("supervisor", OTHER_TEAM)]),
]

SPECIALIST_ROLES = {"psy": "psychologist", "former": "former", "expert": "ideology_expert"}
SPECIALIST_TASKS = {
    "psy": [
        "Clarify sleep problems and anger",
        "Short-term counselling after the crisis",
        "Assessment of trauma symptoms",
    ],
    "former": [
        "Mentoring: leaving the scene step by step",
        "Talks about life after the scene",
        "Mentoring in the first months after release",
    ],
    "expert": [
        "Religious counselling",
        "Questions of faith the scene used to answer",
        "Talks about the scene's reading of religion",
    ],
}

# Where the work happens, by topic code. Each phase draws its topics from its own list.
PHASE_TOPICS = {
    "signal": ["legal", "family"],
    "screening": ["biography", "family", "legal", "work"],
    "under_review": ["biography", "legal", "safety"],
    "engagement": ["biography", "leisure", "family", "work", "housing"],
    "assessment": ["ideology", "scene", "violence", "biography", "therapy", "family"],
    "agreement": ["work", "housing", "family", "ideology", "debts"],
    "active": [
        "ideology",
        "scene",
        "civic",
        "violence",
        "work",
        "housing",
        "welfare",
        "debts",
        "documents",
        "therapy",
        "family",
        "leisure",
        "safety",
        "legal",
        "biography",
    ],
    "suspended": ["family", "safety", "therapy"],
    "transition": ["housing", "documents", "work", "legal", "welfare", "family", "safety"],
    "aftercare": ["work", "family", "leisure", "debts", "housing", "scene", "safety"],
}

# Note templates by topic. Placeholders: {he} {He} {him} {his} {His} {work} {relative} {weekday}.
NOTES = {
    "ideology": [
        "Talked about the songs {he} still listens to. {He} noticed {he} skips some of them now and could say why.",
        "Long conversation about who {he} blames for {his} situation. Less sweeping than in spring; {he} named two "
        "people who helped {him}.",
        "Went through a post {he} had shared last year. {He} found the argument weaker reading it now.",
        "{He} asked whether leaving means giving up all of {his} convictions. We separated the beliefs from the group.",
    ],
    "biography": [
        "Biographical work: the years at the vocational school and how {he} first met the group.",
        "{He} drew a timeline of the last ten years; the move after {his} parents separated stands out for {him}.",
        "Talked about {his} childhood in the small town and what belonging meant then.",
    ],
    "religion": [
        "Talk about prayer and daily routine. {He} wants to practise {his} faith without the old circle.",
        (
            "{He} brought questions the recruiter used to answer for {him}; "
            "we agreed to take them to the religious counsellor."
        ),
        "Talked about Ramadan plans with {his} family; {he} is looking forward to it.",
    ],
    "violence": [
        "Worked on the offence: what happened that night, and what {he} would do differently.",
        (
            "{He} described a situation at the bus stop where {he} walked away instead of reacting. "
            "Good moment to build on."
        ),
        "Talked about the victim's perspective for the first time; {he} was quiet but stayed with it.",
    ],
    "scene": [
        "{He} left two of the chat groups this week. Some messages from old contacts since; {he} did not reply.",
        "An old friend from the scene turned up at {his} workplace. {He} handled it calmly and told us straight away.",
        "Talked about the concert invitation {he} turned down and how {he} felt afterwards.",
    ],
    "civic": [
        "Visited the town hall together; {he} asked the clerk more questions than expected.",
        "Civic education session on how local elections work. {He} wants to vote for the first time.",
    ],
    "housing": [
        "Went through the application for supported housing. {He} is worried the waiting list is long.",
        "Viewing of a one-room flat near the station. {He} liked it; the landlord wants a guarantee letter.",
        "{He} can stay with {his} {relative} for two more months. We started the search for a flat of {his} own.",
    ],
    "work": [
        "Talked about {his} job application at the {work}; {he} is worried about the gap in {his} CV.",
        "{He} started a trial shift at the {work}. Tired but proud; wants to keep going.",
        "Prepared the interview at the {work}: how to explain the last two years without lying.",
        "{He} got the contract at the {work}. Talked about getting up early and the first pay cheque.",
    ],
    "welfare": [
        "Filled in the benefits application together; two documents still missing.",
        "Letter from the job centre about a sanction. We wrote a reply and booked an appointment.",
    ],
    "debts": [
        "Collected all open letters from creditors; about twenty. {He} was relieved to have them in one folder.",
        "First appointment at the debt counselling service. Instalment plan for the fines agreed in principle.",
    ],
    "documents": [
        "Accompanied {him} to the citizens' office for a new ID card. Went smoothly.",
        "Sorted out the missing birth certificate; the registry office will send it within three weeks.",
    ],
    "therapy": [
        "{He} reports sleeping badly again. We talked about the referral to the outpatient clinic.",
        "First appointment with the therapist went better than {he} expected.",
        "Talked about drinking at weekends; {he} wants to try two dry weekends before we meet again.",
    ],
    "family": [
        "Talked about {his} {relative}; they met for coffee last weekend for the first time in a year.",
        "{His} {relative} called us, worried about {him}. With {his} consent we talked about how to stay in touch.",
        "Family session with {his} parents. Tense at first, then a good talk about the future.",
        "{He} wants to see {his} daughter regularly. We talked about contacting the youth welfare office.",
    ],
    "leisure": [
        "{He} went to the football training twice. Talked about the people there.",
        "Planned a weekly routine with fixed times for sport, shopping and the evening class.",
        "Talked about what {he} does on weekends now that the old crowd is gone; {he} feels lonely at times.",
    ],
    "safety": [
        (
            "{He} got threatening messages from a former comrade. "
            "Went through the safety plan; no sign of an acute danger."
        ),
        "Talked about changing {his} phone number and closing old accounts. {He} agreed.",
        "{He} feels safer since the move. No further contact attempts from the scene.",
    ],
    "legal": [
        "Went through the probation conditions together; {he} knows the reporting dates.",
        "Prepared the hearing with {his} lawyer's letter. {He} is nervous about the outcome.",
        "Talked about the court's decision and what it means for the next months.",
    ],
}
FOLLOW_UPS = [
    "Next meeting agreed for {weekday}.",
    "{He} will bring the letters next time.",
    "We agreed to call on {weekday}.",
    "Mood calm and open.",
    "{He} seemed tired but engaged.",
    "Short meeting; {he} had to leave for work.",
    "",
    "",
]
GROUP_NOTES = [
    "Group training in prison, module 'biography': {he} spoke about {his} father for the first time in the group.",
    "Group session on future and resources. {He} listed three things {he} is good at.",
    "Group session on the offence. {He} listened closely and asked questions of the others.",
    "Family day in prison: {his} {relative} came; a warm visit.",
]
CONFERENCE_NOTES = [
    "Social-net conference: {his} {relative}, the probation officer and the prison social worker. Draft release plan: "
    "residence with the {relative}, daily structure, probation every two weeks.",
    "Release planning: first days covered; {he} will be picked up and has an appointment at the job centre on day two.",
    "Follow-up conference three months after release. Plan works; housing still temporary.",
]
SUSPENDED_NOTES = [
    "Reached {his} {relative} by phone; {he} is unwell and does not want contact at the moment. We stay available.",
    "Short call; {he} needs a break after the crisis. We agreed to call again in a month.",
]
SIGNAL_NOTES = [
    "Referral call from the probation officer; first meeting suggested.",
    "{His} {relative} called the helpline, worried about changes in {his} behaviour; first information given.",
    "Prison social worker asked whether we can visit; {he} has asked about leaving the group.",
]
WORKPLACES = [
    "warehouse",
    "bakery",
    "car repair shop",
    "logistics company",
    "care home kitchen",
    "scaffolding firm",
    "garden centre",
    "bike workshop",
    "supermarket",
]
RELATIVES = ["mother", "sister", "father", "grandmother", "brother", "partner", "aunt"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]

TRANSITION_NOTES = {
    "screening": "Referral received; screening started.",
    "under_review": "Not clear yet whether the programme fits; review with the team.",
    "engagement": "Accepted; first meetings to build trust.",
    "assessment": "Enough trust for a structured assessment.",
    "agreement": "Assessment done; drafting the work agreement with the client.",
    "active": "Agreement in place; active work begins.",
    "suspended": "Contact lost after a crisis; paused, door stays open.",
    "transition": "Release date set; release planning started.",
    "aftercare": "Stable; moving to aftercare with lower frequency.",
}
CLOSURE_NOTES = {
    "distanced": "Goals reached; closing after a closure review. Available again on request.",
    "partially_distanced": "Clear steps away from the scene; some goals open. Closed after review, offer stays.",
    "declined_by_client": "Client decided not to take part. The decision is respected.",
    "ended_by_client": "Client ended the work. Closed after review; the door stays open.",
    "referred_on": "A different service fits better; referred with consent.",
    "not_accepted": "Outside the programme's target group; information on other help given.",
    "relocated": "Client moved to another region; contact details of a local programme given.",
    "mandate_ended": "Probation mandate ended; client chose not to continue voluntarily.",
}

OBJECTIVES = [
    "I want a flat of my own and to stay away from the people I used to hang out with.",
    "Finish my apprenticeship this time.",
    "See my daughter regularly again.",
    "Understand how I got into all this, so it does not happen again.",
    "Pay off my debts step by step.",
    "Get through probation without breaching the conditions.",
    "Be ready for the day I get out: a place to sleep, a job interview, my papers.",
    "Stop feeling that I have to prove myself to the old group.",
    "Talk to my parents again without it ending in a fight.",
    "Find a job with normal hours and keep it.",
    "Get my driving licence back.",
    "Have friends who have nothing to do with the scene.",
]
COMMITMENTS = [
    "Weekly meetings with the tandem; support with the housing application.",
    "Accompaniment to the job centre and to the citizens' office.",
    "Contact with a trained former as mentor.",
    "Help finding debt counselling and preparing the documents.",
    "Family session with the parents when the client wants it.",
    "Release planning with the client's network; contact in the first days after release.",
    "Available by phone on weekdays; no information passed on without consent.",
]
CONFIRMATIONS = ["signed", "signed", "signed", "verbal", "written_message", "with_representative"]

# Plan catalogue: domain -> [(need, [(goal, [(kind, service name, provider, provider name), ...]), ...]), ...]
NEEDS = {
    "functional": [
        (
            "No stable housing; staying with friends since the break-up.",
            [
                ("Apply for supported housing", [("tangible", "Supported housing", "external", "Wohnhilfe Nord")]),
                ("Sign a tenancy of {his} own", [("tangible", "Guarantee letter for the landlord", "internal", "")]),
            ],
        ),
        (
            "Unemployed; wants work with regular hours.",
            [
                ("Prepare a CV and send three applications", [("intangible", "Application training", "internal", "")]),
                ("Complete a trial shift", [("tangible", "Job coaching", "external", "Arbeitsbrücke gGmbH")]),
            ],
        ),
        (
            "Debts of about 8,000 euros, mostly fines and phone contracts.",
            [
                (
                    "Get an overview of all creditors",
                    [("intangible", "Debt counselling", "external", "Schuldnerberatung Nordstadt")],
                ),
                ("Agree instalments for the fines", []),
            ],
        ),
        (
            "Identity card expired; letters from authorities unanswered.",
            [
                ("Apply for a new ID card", [("tangible", "Accompaniment to the citizens' office", "internal", "")]),
            ],
        ),
        (
            "Visible scene tattoos make the job search hard.",
            [
                ("Start tattoo removal", [("tangible", "Tattoo removal", "external", "Hautarztpraxis am Markt")]),
            ],
        ),
        (
            "Left school without a qualification; wants to catch up.",
            [
                (
                    "Enrol in evening school",
                    [("tangible", "Evening school (lower secondary certificate)", "external", "Abendschule Nord")],
                ),
            ],
        ),
    ],
    "mental_health": [
        (
            "Sleep problems and sudden anger since custody.",
            [
                (
                    "Three sessions with the programme's psychologist",
                    [("intangible", "Psychological counselling", "internal", "")],
                ),
                (
                    "Find an outpatient therapist",
                    [("intangible", "Outpatient therapy", "external", "Psychotherapiepraxis Lindenallee")],
                ),
            ],
        ),
        (
            "Heavy drinking at weekends.",
            [
                (
                    "Attend addiction counselling",
                    [("intangible", "Addiction counselling", "external", "Suchtberatung Ost")],
                ),
            ],
        ),
    ],
    "ideological": [
        (
            "Still follows scene channels online and shares their content.",
            [
                ("Leave the scene's chat groups", [("intangible", "Mentoring with a trained former", "internal", "")]),
                (
                    "Reflect on three key narratives with the tandem",
                    [("intangible", "Biographical and narrative work", "internal", "")],
                ),
            ],
        ),
        (
            "Justifies violence against people {he} sees as enemies.",
            [
                (
                    "Work through the offence in narrative sessions",
                    [("intangible", "Anti-violence training", "external", "Trainingsgruppe Wendepunkt")],
                ),
            ],
        ),
        (
            "Religious questions that the group used to answer.",
            [
                (
                    "Regular talks with the religious counsellor",
                    [("intangible", "Religious counselling", "internal", "")],
                ),
            ],
        ),
        (
            "Believes the state is illegitimate and ignores official letters.",
            [
                ("Visit the local council with the tandem", [("intangible", "Civic education", "internal", "")]),
            ],
        ),
    ],
    "social": [
        (
            "Contact with the family broke off two years ago.",
            [
                ("A family session with the parents", [("intangible", "Family counselling", "internal", "")]),
                ("Meet {his} sister once a month", []),
            ],
        ),
        (
            "Almost all friends are from the scene.",
            [
                ("Join a sports club", [("tangible", "Club membership fee", "external", "SV Blau-Weiß Nordhafen")]),
                ("One weekly activity outside the scene", []),
            ],
        ),
        (
            "No daily structure since losing the job.",
            [
                ("A weekly plan with fixed times", [("intangible", "Daily structure coaching", "internal", "")]),
            ],
        ),
    ],
    "security": [
        (
            "Threats from former comrades after leaving.",
            [
                ("Agree a safety plan", [("intangible", "Safety planning", "internal", "")]),
                (
                    "Change phone number and close old accounts",
                    [("tangible", "New phone number and accounts", "internal", "")],
                ),
                ("Move to another district", [("tangible", "Relocation support", "internal", "")]),
            ],
        ),
        (
            "Probation conditions: contact ban and reporting duty.",
            [
                (
                    "Attend every probation appointment",
                    [("intangible", "Liaison with probation (with consent)", "internal", "")],
                ),
            ],
        ),
    ],
}

SPECIALIST_NOTES = {
    "psy": [
        "Session on sleep and stress; breathing exercise practised. {He} wants to continue.",
        "Talked about the anger after the visit from the old friends. Better strategies than last month.",
        "Short session; {he} reports fewer nightmares.",
        "Went through what helps when the pressure rises at work. {He} tried the plan twice this week.",
        "Talked about the custody years and the shame {he} still feels. {He} wants to keep coming.",
    ],
    "former": [
        "Mentoring: told {him} how my own first year out went. {He} asked a lot about the loneliness.",
        "Met for a walk. {He} talked about missing the feeling of being part of something.",
        "Talked about how to answer old comrades who call {him} a traitor.",
        "Went to the climbing hall together. Afterwards {he} talked about the first months without the group.",
        "{He} asked how I dealt with my old tattoos and with people who still recognise me.",
    ],
    "expert": [
        "Talked about how the group quoted scripture out of context. {He} wants to read more.",
        "Religious counselling on forgiveness and responsibility.",
        "{He} asked about a local mosque community that is open and calm; gave two contacts.",
        "Talked about what the group said about {his} family being unbelievers. {He} sees it differently now.",
        "Read a text on justice together and discussed it; {he} disagreed with parts, calmly.",
    ],
}
