"""Invented fund calls for ``manage.py seed_demo``: every category, source type and region.

Deadlines are relative to the first run (a number of days ahead, at a time in the funder's own
time zone) and stored then: a later run finds each call by its title and leaves it alone, so it
neither moves a deadline nor adds a second copy. No email is owed or sent: calls are written
directly, with their history line, instead of through ``fundcall_publish``.
"""

import datetime
import zoneinfo
from decimal import Decimal

from django.utils import timezone

from accounts.models import User
from categories.models import Category
from members.models import Member

from .models import FundAlert, FundCall, PartnerRequest
from .services import (
    follow_create,
    fundalert_save,
    fundcall_record_creation,
    fundcall_suggest,
    partner_request_create,
)

INNOVATOR = "innovator@example.org"
CURATORS = ["core@example.org", "staff@example.org"]
Source = FundCall.SourceType
Status = FundCall.Status
Type = Member.Type

# days: deadline this many days after the first run (negative: already past), at ``at`` o'clock
# in ``zone``. Calls with ``follow`` are followed by the innovator persona.
CALLS = [
    {
        "title": "Skills for Jobs Innovation Challenge 2027",
        "funder": "ILO Skills and Employability Branch",
        "source_type": Source.ILO,
        "categories": ["skills-ecosystem", "training-delivery"],
        "regions": [],
        "amount": ("20000", "100000", "USD"),
        "days": 45,
        "at": (12, 0),
        "zone": "Europe/Zurich",
        "follow": True,
        "description": (
            "Grants and coaching for innovations that bring training closer to the jobs "
            "employers need: new partnerships, financing models and ways to deliver training."
        ),
    },
    {
        "title": "Apprenticeship Scale-up Grants",
        "funder": "Fondation Avenir Métiers",
        "source_type": Source.FOUNDATION,
        "categories": ["work-based-learning"],
        "regions": ["africa"],
        "amount": ("10000", "50000", "EUR"),
        "days": 12,
        "at": (17, 0),
        "zone": "Europe/Paris",
        "follow": True,
        "description": (
            "Two-year grants for apprenticeship programmes that have been piloted and are ready "
            "to reach more workshops, firms or towns."
        ),
    },
    {
        "title": "Recognition of Prior Learning Pilots Fund",
        "funder": "Nordic Skills Cooperation Programme",
        "source_type": Source.GOVERNMENT,
        "categories": ["rpl-certification"],
        "regions": ["europe-central-asia", "africa"],
        "amount": ("30000", "120000", "EUR"),
        "days": 60,
        "at": (23, 59),
        "zone": "Europe/Oslo",
        "description": (
            "Pilots that assess what workers learned on the job and lead to a recognised "
            "credential, with employers and trade unions at the table."
        ),
    },
    {
        "title": "Youth Career Guidance Innovation Window",
        "funder": "Inter-American Skills Facility",
        "source_type": Source.MULTILATERAL,
        "categories": ["career-guidance"],
        "regions": ["americas"],
        "amount": ("25000", "150000", "USD"),
        "days": 30,
        "at": (17, 0),
        "zone": "America/New_York",
        "description": (
            "Funding for services that help young people plan careers and move from school to "
            "work, including digital and peer-led guidance."
        ),
    },
    {
        "title": "Labour Market Data for Decent Work",
        "funder": "Open Labour Data Trust",
        "source_type": Source.FOUNDATION,
        "categories": ["research-data"],
        "regions": [],
        "amount": (None, "80000", "GBP"),
        "days": 90,
        "at": (16, 0),
        "zone": "Europe/London",
        "description": (
            "Research grants for open labour-market information that training providers and "
            "employment services can use to anticipate skills needs."
        ),
    },
    {
        "title": "Women in Green Trades Social Impact Bond",
        "funder": "Pacific Outcomes Partnership",
        "source_type": Source.IMPACT_BOND,
        "categories": ["social-inclusion", "work-based-learning"],
        "regions": ["asia-pacific"],
        "amount": ("500000", "2000000", "USD"),
        "amount_text": "paid on outcomes",
        "days": 75,
        "at": (17, 0),
        "zone": "Asia/Manila",
        "member_types": [Type.NGO, Type.TVET, Type.STARTUP],
        "description": (
            "Investors fund training of women in solar installation and electrical trades; "
            "outcome payers repay them for each trainee still employed after a year."
        ),
    },
    {
        "title": "Crowdfunding Match for Rural Trainers",
        "funder": "SkillsCrowd",
        "source_type": Source.CROWDFUNDING,
        "categories": ["training-delivery", "social-inclusion"],
        "regions": [],
        "amount": (None, "10000", "USD"),
        "amount_text": "every donation matched 1:1",
        "days": 25,
        "at": (23, 59),
        "zone": "UTC",
        "description": (
            "Run a crowdfunding campaign for a rural training project; the platform matches "
            "each donation up to the cap."
        ),
    },
    {
        "title": "Start-up Skills Accelerator",
        "funder": "Nile Enterprise Foundation",
        "source_type": Source.FOUNDATION,
        "categories": ["entrepreneurship"],
        "regions": ["africa", "arab-states"],
        "amount": ("5000", "30000", "USD"),
        "days": 18,
        "at": (17, 0),
        "zone": "Africa/Cairo",
        "member_types": [Type.STARTUP, Type.YOUNG_INNOVATOR],
        "description": (
            "Six months of incubation, mentoring and seed funding for start-ups that teach "
            "entrepreneurial skills or create self-employment."
        ),
    },
    {
        "title": "Soft Skills for Work Challenge",
        "funder": "Global Partnership for Youth Skills",
        "source_type": Source.MULTILATERAL,
        "categories": ["core-life-skills"],
        "regions": [],
        "amount": (None, None, ""),
        "amount_text": "USD 15,000 and a year of coaching",
        "days": 40,
        "at": (17, 0),
        "zone": "Europe/Paris",
        "description": (
            "A challenge for ways to teach teamwork, communication and problem solving that "
            "employers recognise."
        ),
    },
    {
        "title": "Gulf Vocational Excellence Fund",
        "funder": "Regional Vocational Training Authority",
        "source_type": Source.GOVERNMENT,
        "categories": ["training-delivery", "skills-ecosystem"],
        "regions": ["arab-states"],
        "amount": ("50000", "250000", "USD"),
        "days": 55,
        "at": (14, 0),
        "zone": "Asia/Dubai",
        "member_types": [Type.TVET, Type.EMPLOYERS, Type.GOVERNMENT],
        "description": (
            "Co-funding for centres of vocational excellence run jointly by training providers "
            "and industry."
        ),
    },
    {
        "title": "Digital Micro-credentials Pilot Call",
        "funder": "Eurasian Development Cooperation Fund",
        "source_type": Source.MULTILATERAL,
        "categories": ["rpl-certification", "training-delivery"],
        "regions": ["asia-pacific", "europe-central-asia"],
        "amount": ("50000", "200000", "EUR"),
        "days": 100,
        "at": (17, 0),
        "zone": "Europe/Brussels",
        "description": (
            "Pilots of short, stackable digital credentials that employers and qualification "
            "authorities accept."
        ),
    },
    {
        "title": "Informal Economy Skills Innovation Grants",
        "funder": "ILO and its tripartite constituents",
        "source_type": Source.ILO,
        "categories": ["social-inclusion", "work-based-learning"],
        "regions": ["africa"],
        "amount": ("15000", "60000", "USD"),
        "days": 7,
        "at": (17, 0),
        "zone": "Africa/Nairobi",
        "follow": True,
        "description": (
            "Grants for workers' and employers' organizations and their partners that upgrade "
            "the skills of workers in the informal economy."
        ),
    },
    {
        "title": "Refugee Livelihoods and Skills Fund",
        "funder": "Levant Solidarity Foundation",
        "source_type": Source.FOUNDATION,
        "categories": ["social-inclusion", "entrepreneurship"],
        "regions": ["arab-states", "europe-central-asia"],
        "amount": ("20000", "75000", "USD"),
        "days": 35,
        "at": (23, 59),
        "zone": "Asia/Amman",
        "description": (
            "Training and small-business support for refugees and their host communities."
        ),
    },
    {
        "title": "Employment Services Modernisation Programme",
        "funder": "Federal Ministry of Labour, partnership programme",
        "source_type": Source.GOVERNMENT,
        "categories": ["career-guidance"],
        "regions": ["europe-central-asia"],
        "amount": ("100000", "400000", "EUR"),
        "days": 65,
        "at": (12, 0),
        "zone": "Europe/Berlin",
        "member_types": [Type.GOVERNMENT, Type.NGO],
        "description": (
            "Partnerships that help public employment services match jobseekers with "
            "vacancies faster, online and in person."
        ),
    },
    {
        "title": "Teacher and Trainer Excellence Awards",
        "funder": "Pacific Coast Education Foundation",
        "source_type": Source.FOUNDATION,
        "categories": ["training-delivery"],
        "regions": [],
        "amount": ("10000", "10000", "USD"),
        "days": 3,
        "at": (23, 59),
        "zone": "America/Los_Angeles",
        "description": "Awards for trainers whose teaching changed how their institution trains.",
    },
    {
        "title": "Skills Anticipation Research Fellowships",
        "funder": "Asia-Pacific Skills Observatory",
        "source_type": Source.MULTILATERAL,
        "categories": ["research-data"],
        "regions": ["asia-pacific"],
        "amount": ("8000", "25000", "USD"),
        "days": 120,
        "at": (17, 0),
        "zone": "Asia/Bangkok",
        "member_types": [Type.RESEARCH],
        "description": (
            "One-year fellowships for researchers who forecast skills needs with the "
            "ministries and sector councils that will use the results."
        ),
    },
    {
        "title": "Youth Entrepreneurship Crowdfunding Week",
        "funder": "Emprende Juntos",
        "source_type": Source.CROWDFUNDING,
        "categories": ["entrepreneurship", "core-life-skills"],
        "regions": ["americas"],
        "amount": (None, None, ""),
        "amount_text": "campaign support and visibility",
        "days": 21,
        "at": (18, 0),
        "zone": "America/Sao_Paulo",
        "description": (
            "A week of featured campaigns for young entrepreneurs, with coaching on telling "
            "the project's story."
        ),
    },
    {
        "title": "Life Skills through Sport",
        "funder": "Sport for Development Coalition",
        "source_type": Source.OTHER,
        "categories": ["core-life-skills", "social-inclusion"],
        "regions": [],
        "amount": ("5000", "20000", "CHF"),
        "days": 50,
        "at": (17, 0),
        "zone": "Europe/Zurich",
        "description": (
            "Programmes that use sport to build confidence, teamwork and the habits of work."
        ),
    },
    {
        "title": "Sectoral Skills Councils Partnership Fund",
        "funder": "ILO and the employers' and workers' organizations",
        "source_type": Source.ILO,
        "categories": ["skills-ecosystem"],
        "regions": ["asia-pacific", "africa"],
        "amount": ("40000", "150000", "USD"),
        "days": 85,
        "at": (12, 0),
        "zone": "Europe/Zurich",
        "description": (
            "Support to set up or strengthen sector skills councils where employers and "
            "unions steer training together."
        ),
    },
    {
        "title": "Career Guidance Chatbots Challenge",
        "funder": "Digital Futures Foundation",
        "source_type": Source.FOUNDATION,
        "categories": ["career-guidance", "training-delivery"],
        "regions": [],
        "amount": (None, "30000", "USD"),
        "days": 1,
        "at": (17, 0),
        "zone": "Europe/Paris",
        "description": (
            "Prototypes of conversational tools that give jobseekers career advice in their "
            "own language."
        ),
    },
    # Past and closed calls: the public can read them, nobody can apply.
    {
        "title": "Green Skills Seed Grants 2026",
        "funder": "Planet Works Foundation",
        "source_type": Source.FOUNDATION,
        "categories": ["skills-ecosystem"],
        "regions": [],
        "amount": ("5000", "25000", "USD"),
        "days": -10,
        "at": (23, 59),
        "zone": "UTC",
        "description": "Seed grants for training in the jobs of the green transition.",
    },
    {
        "title": "Apprenticeship Toolkits Translation Grants",
        "funder": "Alianza Aprendizaje",
        "source_type": Source.OTHER,
        "categories": ["work-based-learning", "core-life-skills"],
        "regions": ["americas"],
        "amount": (None, "5000", "USD"),
        "days": -40,
        "at": (18, 0),
        "zone": "America/Mexico_City",
        "description": "Small grants to translate and adapt apprenticeship toolkits.",
    },
    {
        "title": "Digital Inclusion Vouchers",
        "funder": "National Digital Skills Agency",
        "source_type": Source.GOVERNMENT,
        "categories": ["social-inclusion"],
        "regions": ["europe-central-asia"],
        "amount": (None, "2000", "EUR"),
        "amount_text": "per trainee",
        "days": 20,
        "at": (12, 0),
        "zone": "Europe/Rome",
        "status": Status.CLOSED,
        "description": "Training vouchers for older workers; withdrawn early by the agency.",
    },
    # Suggested by the innovator persona, waiting for a curator.
    {
        "title": "West Africa TVET Partnership Call",
        "funder": "Sahel Skills Alliance",
        "source_type": Source.FOUNDATION,
        "categories": ["work-based-learning", "skills-ecosystem"],
        "regions": ["africa"],
        "amount": ("6000000", "25000000", "XOF"),
        "days": 70,
        "at": (23, 59),
        "zone": "Africa/Abidjan",
        "status": Status.SUGGESTED,
        "description": "Partnerships between training centres and employers in West Africa.",
    },
    {
        "title": "Francophone Youth Employment Fund",
        "funder": "Fonds francophone pour l'emploi des jeunes",
        "source_type": Source.MULTILATERAL,
        "categories": ["career-guidance", "entrepreneurship"],
        "regions": ["africa", "europe-central-asia"],
        "amount": ("20000", "80000", "EUR"),
        "days": 95,
        "at": (17, 0),
        "zone": "Europe/Paris",
        "status": Status.SUGGESTED,
        "description": "Youth employment projects in French-speaking countries.",
    },
]


def _slug(title):
    return "-".join(title.lower().replace("'", "").split())


def _fields(spec, *, today):
    """The model fields of ``spec``: its deadline at the funder's local time, days from today."""
    zone = zoneinfo.ZoneInfo(spec["zone"])
    day = today + datetime.timedelta(days=spec["days"])
    deadline = datetime.datetime.combine(day, datetime.time(*spec["at"]), tzinfo=zone)
    low, high, currency = spec["amount"]
    return {
        "title": spec["title"],
        "funder": spec["funder"],
        "source_type": spec["source_type"],
        "description": spec["description"],
        "link": f"https://funders.example.org/{_slug(spec['title'])}",
        "eligible_regions": spec["regions"],
        "eligible_member_types": spec.get("member_types", []),
        "amount_min": Decimal(low) if low else None,
        "amount_max": Decimal(high) if high else None,
        "currency": currency,
        "amount_text": spec.get("amount_text", ""),
        "opening_date": (deadline - datetime.timedelta(days=90)).date(),
        "deadline": deadline,
        "deadline_time_zone": spec["zone"],
    }


def seed(rng):
    """Create the demo calls missing by title, and the innovator's alert and follows.

    Idempotent: existing calls, alerts and follows are left as they are (edits in the admin
    survive a re-run). Sends no email and owes none.
    """
    now = timezone.now()
    users = {user.email: user for user in User.objects.filter(email__in=[INNOVATOR, *CURATORS])}
    innovator = users.get(INNOVATOR)
    categories = {category.slug: category for category in Category.objects.all()}
    existing = set(
        FundCall.objects.filter(title__in=[spec["title"] for spec in CALLS]).values_list(
            "title", flat=True
        )
    )
    to_follow = []
    for spec in CALLS:
        if spec["title"] in existing:
            continue
        fields = _fields(spec, today=now.date())
        chosen = [categories[slug] for slug in spec["categories"]]
        status = spec.get("status", Status.PUBLISHED)
        if status == Status.SUGGESTED:
            fundcall_suggest(by=innovator, categories=chosen, **fields)
            continue
        published_at = min(now, fields["deadline"]) - datetime.timedelta(days=rng.randint(3, 40))
        call = FundCall.objects.create(status=status, published_at=published_at, **fields)
        call.categories.set(chosen)
        fundcall_record_creation(call=call, by=users.get(rng.choice(CURATORS)))
        if spec.get("follow"):
            to_follow.append(call)

    if innovator is None:
        return
    member = getattr(innovator, "member", None)
    if not FundAlert.objects.filter(user=innovator).exists():
        fundalert_save(
            user=innovator,
            categories=list(member.categories.all()) if member else [],
            regions=[member.region] if member else [],
            frequency=FundAlert.Frequency.WEEKLY,
            remind_14=True,
            remind_7=True,
            remind_1=True,
            remind_matching=False,
        )
    for call in to_follow:
        follow_create(user=innovator, call=call)
    _seed_partner_requests(innovator=innovator)


Role = PartnerRequest.Role

# Partner requests on open calls: (call title, poster: "innovator", "core" or a demo member in
# the call's first category, role sought, regions, countries, what we bring, what we seek).
PARTNER_REQUESTS = [
    (
        "Apprenticeship Scale-up Grants",
        "innovator",
        Role.CO_APPLICANT,
        ["africa"],
        [],
        "A two-year pilot with 40 tailoring workshops in Dakar and the trust of their masters.",
        "A TVET institution in West Africa to certify the apprentices' skills with us.",
    ),
    (
        "Apprenticeship Scale-up Grants",
        "core",
        Role.EXPERT,
        [],
        ["SN", "CI", "GH"],
        "Ten years of dual training with small firms and apprenticeship standards to share.",
        "A partner in West Africa who knows the informal apprenticeship system well.",
    ),
    (
        "Apprenticeship Scale-up Grants",
        "member",
        Role.IMPLEMENTING,
        ["africa"],
        [],
        "Training centres in three towns and a network of employers ready to take apprentices.",
        "An NGO that works with informal workshops to run the programme with us.",
    ),
    (
        "Skills for Jobs Innovation Challenge 2027",
        "member",
        Role.LEAD,
        [],
        [],
        "A tested platform that matches short courses to local vacancies.",
        "A lead applicant with experience of large grants and employers' organizations.",
    ),
    (
        "Skills for Jobs Innovation Challenge 2027",
        "member",
        Role.CO_APPLICANT,
        ["asia-pacific", "africa"],
        [],
        "Sector skills councils in two countries and data on what employers need.",
        "Training providers that want to test new ways of financing courses.",
    ),
    (
        "Recognition of Prior Learning Pilots Fund",
        "member",
        Role.CO_APPLICANT,
        ["americas"],
        ["MX"],
        "Assessment tools for construction and hospitality trades, in Spanish.",
        "An employers' organization to recognise the certificates with us.",
    ),
    (
        "Youth Career Guidance Innovation Window",
        "member",
        Role.EXPERT,
        [],
        [],
        "A career guidance app used by 30,000 young people.",
        "Career counsellors who can test it with school leavers in their country.",
    ),
    (
        "Women in Green Trades Social Impact Bond",
        "member",
        Role.IMPLEMENTING,
        ["europe-central-asia", "africa"],
        [],
        "Outcome measurement for training programmes, with a track record on impact bonds.",
        "A training provider that reaches women in solar and electrical trades.",
    ),
]


def _seed_partner_requests(*, innovator):
    """Several partner requests across open calls; a request already there is left alone."""
    calls = {call.title: call for call in FundCall.objects.open().prefetch_related("categories")}
    posters = {"innovator": innovator, "core": User.objects.filter(email=CURATORS[0]).first()}
    claimed = (
        Member.objects.listed().filter(owner__isnull=False).exclude(owner__in=posters.values())
    )
    for title, who, role, regions, country_codes, offer, seeking in PARTNER_REQUESTS:
        call = calls.get(title)
        if call is None or PartnerRequest.objects.filter(call=call, seeking=seeking).exists():
            continue
        categories = list(call.categories.all())
        user = posters.get(who)
        if who == "member":
            candidates = claimed.filter(categories__in=categories).exclude(
                partner_requests__call=call
            )
            member = candidates.order_by("pk").first()
            user = member.owner if member else None
        if user is None or getattr(user, "member", None) is None:
            continue
        partner_request_create(
            user=user,
            call=call,
            categories=categories,
            role=role,
            regions=regions,
            countries=country_codes,
            offer=offer,
            seeking=seeking,
            open_until=None,
        )
