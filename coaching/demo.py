"""Invented coaching for ``manage.py seed_demo``: a peer-coaching series, sessions, knowledge.

Dates are relative to the first run and stored then: a later run finds the series and each
session by title, and each knowledge entry by slug, and leaves them alone, so nothing moves or
doubles. The series generates its missing occurrences ahead on every run, as the beat does.
Seats are taken through ``registration_create`` (which keeps the waitlist honest) and nothing
here owes an email; past sessions get their attendance rows written directly, since the service
refuses a session that has started.
"""

import datetime
import zoneinfo

from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User
from categories.models import Category
from funds.models import FundCall
from members.models import CoreGroupRole, Member

from .attendance import certificate_issue
from .models import CoachingSession, KnowledgeEntry, Registration, SessionKind, SessionSeries
from .services import (
    SERIES_COPIED_FIELDS,
    registration_create,
    series_generate_sessions,
    series_join,
)

INNOVATOR = "innovator@example.org"
CORE = "core@example.org"
STAFF = "staff@example.org"
PERSONA_EMAILS = [INNOVATOR, CORE, STAFF, "newcomer@example.org", "admin@example.org"]

SERIES = {
    "title": "Peer-coaching circle",
    "kind": SessionKind.PEER_CIRCLE,
    "description": (
        "Every other Tuesday, members coach each other in small groups: soft skills, presenting "
        "a project in five minutes, budgeting, and what worked in their countries. Bring a "
        "question; leave with three answers."
    ),
    "language_id": "en",
    "time_zone": "UTC",
    "capacity": 12,
    "weekday": SessionSeries.Weekday.TUESDAY,
    "start_time": datetime.time(14, 0),
    "duration": datetime.timedelta(hours=1),
    "interval": 2,
    "certificate_after": 2,
}
SERIES_CATEGORIES = ["core-life-skills", "entrepreneurship"]

# days: start this many days after the first run (negative: in the past), at ``at`` in ``zone``.
# seats: how many other members take a seat; innovator: whether the innovator persona registers
# (after them); waitlisted: how many more join after that (a waitlist once the seats are gone).
SESSIONS = [
    {
        "title": "What reviewers look for: writing a strong submission",
        "kind": SessionKind.WORKSHOP,
        "language": "en",
        "zone": "Europe/Zurich",
        "days": 9,
        "at": (15, 0),
        "minutes": 90,
        "capacity": 12,
        "hosts": ["core", "facilitator"],
        "categories": ["training-delivery", "skills-ecosystem"],
        "seats": 12,
        "innovator": True,
        "waitlisted": 2,
        "description": (
            "Two evaluators of past innovation calls walk through real (anonymised) proposals: "
            "what made them stand out, and the mistakes that cost points."
        ),
    },
    {
        "title": "Briefing : subventions pour passer l'apprentissage à l'échelle",
        "kind": SessionKind.BRIEFING,
        "language": "fr",
        "zone": "Africa/Dakar",
        "days": 6,
        "at": (10, 0),
        "minutes": 60,
        "capacity": 30,
        "hosts": ["facilitator"],
        "categories": ["work-based-learning"],
        "fund_call": "Apprenticeship Scale-up Grants",
        "seats": 8,
        "innovator": True,
        "description": (
            "Avant la date limite de l'appel : les critères, le budget attendu et les questions "
            "des membres, avec une lauréate de l'an dernier."
        ),
    },
    {
        "title": "Sesión de retroalimentación con evaluadores: presupuestos y resultados",
        "kind": SessionKind.FEEDBACK,
        "language": "es",
        "zone": "America/Bogota",
        "days": 16,
        "at": (9, 0),
        "minutes": 120,
        "capacity": 8,
        "hosts": ["core"],
        "categories": ["entrepreneurship", "skills-ecosystem"],
        "seats": 7,
        "description": (
            "Envíe su borrador de presupuesto una semana antes; dos evaluadores comentan cada "
            "uno en directo."
        ),
    },
    {
        "title": "One-to-one coaching: your theory of change",
        "kind": SessionKind.ONE_TO_ONE,
        "language": "en",
        "zone": "Africa/Nairobi",
        "days": 4,
        "at": (11, 0),
        "minutes": 45,
        "capacity": 1,
        "hosts": ["facilitator"],
        "categories": ["research-data"],
        "seats": 0,
        "innovator": True,
        "description": "Forty-five minutes with a technical advisor on your results chain.",
    },
    {
        "title": "Atelier : construire un budget crédible",
        "kind": SessionKind.WORKSHOP,
        "language": "fr",
        "zone": "Europe/Paris",
        "days": 23,
        "at": (14, 0),
        "minutes": 90,
        "capacity": 25,
        "hosts": ["facilitator", "core"],
        "categories": ["entrepreneurship", "social-inclusion"],
        "place": "Centre international de formation de l'OIT, Turin, et en ligne",
        "seats": 5,
        "description": (
            "Des coûts qui suivent les activités, un cofinancement crédible, et ce que les "
            "bailleurs lisent en premier."
        ),
    },
    {
        "title": "Pre-deadline briefing: Skills for Jobs Innovation Challenge 2027",
        "kind": SessionKind.BRIEFING,
        "language": "en",
        "zone": "Europe/Zurich",
        "days": 30,
        "at": (13, 0),
        "minutes": 60,
        "capacity": 60,
        "hosts": ["core", "facilitator"],
        "categories": ["skills-ecosystem", "training-delivery"],
        "fund_call": "Skills for Jobs Innovation Challenge 2027",
        "seats": 10,
        "innovator": True,
        "description": (
            "The challenge team explains the criteria and answers questions two weeks before "
            "the deadline."
        ),
    },
    {
        "title": "Coaching individual: postular a un bono de impacto social",
        "kind": SessionKind.ONE_TO_ONE,
        "language": "es",
        "zone": "America/Lima",
        "days": 11,
        "at": (16, 0),
        "minutes": 60,
        "capacity": 1,
        "hosts": ["core"],
        "categories": ["social-inclusion"],
        "seats": 1,
        "description": "Una hora para revisar cómo medir los resultados que paga un bono.",
    },
    {
        "title": "Workshop: telling your project's story in five minutes",
        "kind": SessionKind.WORKSHOP,
        "language": "en",
        "zone": "Europe/London",
        "days": -12,
        "at": (13, 0),
        "minutes": 90,
        "capacity": 20,
        "hosts": ["core", "facilitator"],
        "categories": ["core-life-skills"],
        "seats": 14,
        "innovator": True,
        "description": "Structure a five-minute pitch and try it on your peers.",
        "notes": (
            "## What we practised\n\n"
            "1. **One problem, one person**: start with someone your project helped.\n"
            "2. **One number**: the result you are proudest of.\n"
            "3. **One ask**: what you want from the people listening.\n\n"
            "Most pitches ran long: cut the history of the organization first."
        ),
        "resources": (
            "- [Pitch canvas (PDF)](https://resources.example.org/pitch-canvas.pdf)\n"
            "- [Recording of the session](https://meet.example.org/recordings/story-in-five)"
        ),
    },
    {
        "title": "Experiencias de país: formación dual en América Latina",
        "kind": SessionKind.PEER_CIRCLE,
        "language": "es",
        "zone": "America/Bogota",
        "days": -5,
        "at": (10, 0),
        "minutes": 60,
        "capacity": 15,
        "hosts": ["core"],
        "categories": ["work-based-learning"],
        "seats": 9,
        "description": "Tres miembros cuentan cómo trabajan con pequeñas empresas que forman.",
        "notes": (
            "- Las empresas pequeñas forman cuando **comparten** aprendices y formadores.\n"
            "- Un taller común reduce el costo por aprendiz a la mitad."
        ),
    },
]

KNOWLEDGE = [
    {
        "slug": "what-reviewers-look-for",
        "title": "What reviewers look for in a proposal",
        "kind": KnowledgeEntry.Kind.GUIDE,
        "summary": "The five questions evaluators of innovation calls ask of every proposal.",
        "language": "en",
        "is_public": True,
        "categories": ["training-delivery", "skills-ecosystem"],
        "author": CORE,
        "body": (
            "Reviewers read dozens of proposals. Make theirs easy:\n\n"
            "1. **The problem**: who has it, and how many of them?\n"
            "2. **The idea**: what is new, and why it should work.\n"
            "3. **The evidence**: what a pilot already showed.\n"
            "4. **The budget**: costs that follow the activities.\n"
            "5. **Scale**: who will pay once the grant ends.\n\n"
            "Answer each in the order the call asks, with its own words as headings."
        ),
    },
    {
        "slug": "budget-that-follows-activities",
        "title": "A budget that follows the activities",
        "kind": KnowledgeEntry.Kind.TIP,
        "summary": "One line per activity, and no line without one.",
        "language": "en",
        "is_public": True,
        "categories": ["entrepreneurship"],
        "author": STAFF,
        "body": (
            "List the activities first, then cost each one. A reviewer should find every "
            "budget line in the work plan, and every activity in the budget.\n\n"
            "| Activity | Cost |\n| --- | --- |\n| Train 20 master craftspeople | USD 6,000 |\n"
            "| Theory modules for 200 apprentices | USD 14,000 |"
        ),
    },
    {
        "slug": "pitch-in-five-minutes",
        "title": "Your project in five minutes",
        "kind": KnowledgeEntry.Kind.GOOD_PRACTICE,
        "summary": "What we learned practising pitches together.",
        "language": "en",
        "is_public": False,
        "categories": ["core-life-skills"],
        "author": CORE,
        "session": "Workshop: telling your project's story in five minutes",
        "body": (
            "Start with one person your project helped, give one number, end with one ask. "
            "Rehearse with a timer; cut the organization's history first."
        ),
    },
    {
        "slug": "reconnaitre-les-acquis-guide",
        "title": "Reconnaître les acquis de l'expérience : guide pratique",
        "kind": KnowledgeEntry.Kind.GUIDE,
        "summary": "Étapes d'un dispositif de reconnaissance des acquis, de l'accueil au titre.",
        "language": "fr",
        "is_public": True,
        "categories": ["rpl-certification"],
        "author": STAFF,
        "body": (
            "## Les étapes\n\n"
            "1. Accueil et information du candidat.\n"
            "2. Portfolio des expériences, avec un accompagnateur.\n"
            "3. Évaluation en situation de travail.\n"
            "4. Délivrance du titre, ou formation complémentaire ciblée.\n\n"
            "Associez les employeurs dès la première étape : ce sont eux qui reconnaîtront le "
            "titre."
        ),
    },
    {
        "slug": "formacion-dual-pymes",
        "title": "Formación dual con pequeñas empresas",
        "kind": KnowledgeEntry.Kind.GOOD_PRACTICE,
        "summary": "Cómo varias pymes comparten aprendices, formadores y un taller.",
        "language": "es",
        "is_public": False,
        "categories": ["work-based-learning"],
        "author": CORE,
        "session": "Experiencias de país: formación dual en América Latina",
        "body": (
            "Una empresa de diez personas no puede formar sola. **Ochenta sí pueden**, si "
            "comparten:\n\n- los aprendices, que rotan entre obras;\n- los formadores;\n"
            "- un taller de práctica."
        ),
    },
    {
        "slug": "finding-co-funding",
        "title": "Finding co-funding before you apply",
        "kind": KnowledgeEntry.Kind.TIP,
        "summary": "Many calls ask for a share of co-funding: where members found theirs.",
        "language": "en",
        "is_public": False,
        "categories": ["skills-ecosystem"],
        "author": STAFF,
        "body": (
            "- Employers who will hire the trainees often pay **in kind**: trainers, "
            "workshops, materials.\n- Local governments co-fund when the project fits their "
            "employment plan.\n- Count volunteer time only if the call allows it."
        ),
    },
]


def _at(today, days, at, zone):
    day = today + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(*at), tzinfo=zoneinfo.ZoneInfo(zone))


def _hosts(names, core_member, facilitators, rng):
    hosts = []
    for name in names:
        if name == "core" and core_member is not None:
            hosts.append(core_member)
        elif name == "facilitator" and facilitators:
            hosts.append(rng.choice(facilitators))
    return hosts


def seed(rng):
    """Create the demo series, sessions, seats and knowledge entries that are missing.

    Idempotent: existing rows are left as they are; the series only gains the occurrences now
    due within its horizon. Sends no email and owes none.
    """
    now = timezone.now()
    today = now.date()
    personas = {user.email: user for user in User.objects.filter(email__in=PERSONA_EMAILS)}
    innovator = personas.get(INNOVATOR)
    core_member = Member.objects.filter(owner__email=CORE).first()
    facilitators = list(
        Member.objects.filter(
            roles__role=CoreGroupRole.Role.FACILITATOR, roles__end_date__isnull=True
        )
        .distinct()
        .order_by("name")
    )
    categories = {category.slug: category for category in Category.objects.all()}
    pool = list(
        User.objects.filter(member__status=Member.Status.LISTED, member__imported=False)
        .exclude(email__in=PERSONA_EMAILS)
        .order_by("email")
    )

    _seed_series(today, now, core_member, categories, innovator)
    series = SessionSeries.objects.filter(title=SERIES["title"]).first()
    if series is not None and not series.memberships.exists():
        # A few regulars joined the whole circle ("Join the series"): a seat in each occurrence.
        for user in pool[:3]:
            series_join(series=series, user=user)

    existing = set(
        CoachingSession.objects.filter(
            series__isnull=True, title__in=[spec["title"] for spec in SESSIONS]
        ).values_list("title", flat=True)
    )
    calls = dict(
        FundCall.objects.filter(
            title__in=[spec["fund_call"] for spec in SESSIONS if "fund_call" in spec]
        ).values_list("title", "pk")
    )
    for spec in SESSIONS:
        if spec["title"] in existing:
            continue
        start = _at(today, spec["days"], spec["at"], spec["zone"])
        session = CoachingSession.objects.create(
            title=spec["title"],
            kind=spec["kind"],
            description=spec["description"],
            language_id=spec["language"],
            time_zone=spec["zone"],
            online_link=f"https://meet.example.org/{slugify(spec['title'])[:60]}",
            place=spec.get("place", ""),
            capacity=spec["capacity"],
            start=start,
            end=start + datetime.timedelta(minutes=spec["minutes"]),
            fund_call_id=calls.get(spec.get("fund_call")),
            notes=spec.get("notes", ""),
            resources=spec.get("resources", ""),
        )
        session.hosts.set(_hosts(spec["hosts"], core_member, facilitators, rng))
        session.categories.set([categories[slug] for slug in spec["categories"]])
        people = rng.sample(pool, min(len(pool), spec["seats"] + spec.get("waitlisted", 0)))
        seated, waiting = people[: spec["seats"]], people[spec["seats"] :]
        if spec.get("innovator") and innovator is not None:
            seated.append(innovator)
        _take_seats(session, [*seated, *waiting])

    _seed_knowledge(personas, categories)


def _seed_series(today, now, core_member, categories, innovator):
    series = SessionSeries.objects.filter(title=SERIES["title"]).first()
    created = series is None
    if created:
        # The first occurrence is a few weeks back: the circle has been meeting for a while.
        first = today - datetime.timedelta(weeks=4)
        first += datetime.timedelta(days=(SERIES["weekday"] - first.weekday()) % 7)
        series = SessionSeries.objects.create(
            **SERIES, starts_on=first, online_link="https://meet.example.org/peer-coaching-circle"
        )
        if core_member is not None:
            series.hosts.set([core_member])
        series.categories.set([categories[slug] for slug in SERIES_CATEGORIES])
    series_generate_sessions(series=series, now=now)
    if created and innovator is not None:
        for session in series.sessions.filter(start__gt=now).order_by("start")[:2]:
            registration_create(session=session, user=innovator, confirm=False)
        _seed_attended_circles(series, now, innovator)


def _seed_attended_circles(series, now, innovator):
    """The circles already held, which the innovator attended: enough for a certificate."""
    for start in series.occurrence_starts(after=now - datetime.timedelta(weeks=5), before=now):
        session = CoachingSession.objects.create(
            series=series,
            occurrence_start=start,
            start=start,
            end=start + series.duration,
            **{field: getattr(series, field) for field in SERIES_COPIED_FIELDS},
        )
        session.hosts.set(series.hosts.all())
        session.categories.set(series.categories.all())
        Registration.objects.create(
            session=session,
            user=innovator,
            status=Registration.Status.REGISTERED,
            queued_at=start - datetime.timedelta(days=7),
            attended=True,
        )
    if (
        series.certificate_after
        and innovator.coaching_registrations.filter(session__series=series, attended=True).count()
        >= series.certificate_after
    ):
        certificate_issue(user=innovator, series=series)


def _take_seats(session, users):
    """Seat ``users`` in order: through the service ahead of the start, as attendance after."""
    if not session.has_started:
        for user in users:
            registration_create(session=session, user=user, confirm=False)
        return
    Registration.objects.bulk_create(
        [
            Registration(
                session=session,
                user=user,
                status=Registration.Status.REGISTERED,
                queued_at=session.start - datetime.timedelta(days=7),
            )
            for user in users[: session.capacity]
        ]
    )


def _seed_knowledge(personas, categories):
    existing = set(
        KnowledgeEntry.objects.filter(slug__in=[spec["slug"] for spec in KNOWLEDGE]).values_list(
            "slug", flat=True
        )
    )
    sessions = dict(
        CoachingSession.objects.filter(
            series__isnull=True,
            title__in=[spec["session"] for spec in KNOWLEDGE if "session" in spec],
        ).values_list("title", "pk")
    )
    for spec in KNOWLEDGE:
        if spec["slug"] in existing:
            continue
        entry = KnowledgeEntry.objects.create(
            slug=spec["slug"],
            title=spec["title"],
            kind=spec["kind"],
            summary=spec["summary"],
            body=spec["body"],
            language_id=spec["language"],
            is_public=spec["is_public"],
            author=personas.get(spec["author"]),
            session_id=sessions.get(spec.get("session")),
        )
        entry.categories.set([categories[slug] for slug in spec["categories"]])
