"""``manage.py seed_demo``: invented members and one login per persona, for demos and `make run`.

Idempotent: everything is drawn from ``random.Random(SEED)``, users are keyed on their email,
members on their name and roles on (member, role, scope), so a re-run creates only what is
missing and never duplicates or rewrites a row (a profile edited in the admin stays edited).
Persona passwords are set when the user is created.

Refuses to run when ``DJANGO_DEBUG`` is off unless ``--force`` is given: these are invented
people with a published password.

Other apps add their own demo data through a hook: after the members and personas exist, inside
the same transaction, the command imports ``<app>.demo`` for each app of ``DEMO_APPS`` (members,
funds, coaching, connections, discussions, network) and, when that module exists and has a
``seed(rng)`` function, calls it with a ``random.Random`` of its own. ``seed`` must be idempotent
too; it may look up the personas by email (``PERSONAS``) and any member.
"""

import datetime
import random
from importlib import import_module

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import User
from accounts.roles import CORE_GROUP, ILO_STAFF
from categories.models import Category
from members.demo import member_specs
from members.letters import letter_issue, letter_request
from members.models import CoreGroupRole, IssuedDocument, Language, Member, Visibility
from members.regions import Region

SEED = 2026
MEMBER_COUNT = 200
DEMO_PASSWORD = "network-demo-2026"  # noqa: S105 (documented in README.md)
DEMO_APPS = [
    "members",
    "funds",
    "coaching",
    "connections",
    "discussions",
    "network_portal.weekly",
    "network",
]
# What a member spec may set; the region always follows from the country.
MEMBER_FIELDS = {field.name for field in Member._meta.concrete_fields} - {"id", "owner", "region"}

PERSONAS = {
    "innovator@example.org": {
        "full_name": "Ines Innovator",
        "preferred_language": "fr",
        "time_zone": "Africa/Dakar",
    },
    "core@example.org": {
        "full_name": "Carla Core",
        "is_staff": True,
        "groups": [CORE_GROUP],
        "preferred_language": "es",
        "time_zone": "America/Bogota",
    },
    "staff@example.org": {
        "full_name": "Sam Staff",
        "is_staff": True,
        "groups": [ILO_STAFF],
        "time_zone": "Europe/Zurich",
    },
    "newcomer@example.org": {"full_name": "Nadia Newcomer", "time_zone": "Africa/Accra"},
    "admin@example.org": {"full_name": "Ada Admin", "is_staff": True, "is_superuser": True},
}

# The personas' own profiles, and the imported one the newcomer can claim.
PERSONA_MEMBERS = [
    {
        "owner": "innovator@example.org",
        "name": "Atelier Métiers d'Avenir",
        "member_type": Member.Type.NGO,
        "country": "SN",
        "categories": ["work-based-learning", "social-inclusion"],
        "languages": ["fr", "en"],
        "project_title": "Upgrading informal apprenticeships in Dakar's tailoring workshops",
        "project_summary": (
            "Most young tailors in Dakar learn in small workshops without a certificate. We train "
            "their masters to teach, add short theory modules and help apprentices get their "
            "skills recognised."
        ),
        "project_stage": Member.Stage.PILOT,
        "beneficiaries": "Apprentices aged 15-24, most of them young women; master tailors.",
        "expertise": "Informal apprenticeship upgrading; training of master craftspeople",
        "contact_name": "Ines Innovator",
        "contact_email": "innovator@example.org",
        "email_visibility": Visibility.MEMBERS,
    },
    {
        "owner": "core@example.org",
        "name": "Red Aprender Haciendo",
        "member_type": Member.Type.EMPLOYERS,
        "country": "CO",
        "categories": ["work-based-learning", "skills-ecosystem"],
        "languages": ["es", "en"],
        "project_title": "Dual training with small construction firms",
        "project_summary": (
            "A network of 80 small construction firms in Medellín that share apprentices, "
            "trainers and a training workshop, so that firms too small to train alone can."
        ),
        "project_stage": Member.Stage.SCALING,
        "beneficiaries": "Young people leaving school; small construction firms.",
        "impact": "1,200 apprentices trained since 2019; 78% hired by the firm that trained them.",
        "expertise": "Designing apprenticeship standards with employers; pooling training costs",
        "contact_name": "Carla Core",
        "contact_email": "core@example.org",
        "email_visibility": Visibility.PUBLIC,
        "is_top_innovator": True,
    },
    {
        "owner": None,
        "name": "Youth Digital Skills Collective",
        "member_type": Member.Type.YOUNG_INNOVATOR,
        "country": "GH",
        "categories": ["core-life-skills", "training-delivery"],
        "languages": ["en"],
        "project_title": "Digital basics for young market traders",
        "project_summary": (
            "Weekend workshops in Tamale market where young traders learn mobile money, "
            "bookkeeping apps and online selling from peers."
        ),
        "project_stage": Member.Stage.IDEA,
        "contact_name": "Nadia Newcomer",
        "contact_email": "newcomer@example.org",
    },
]

# (role, category slug or region, start date, end date); the member is drawn at random.
ROLES = [
    (CoreGroupRole.Role.SIG_LEAD, "social-inclusion", datetime.date(2021, 3, 1), None),
    (CoreGroupRole.Role.SIG_LEAD, "rpl-certification", datetime.date(2021, 3, 1), None),
    (CoreGroupRole.Role.SIG_LEAD, "training-delivery", datetime.date(2022, 1, 15), None),
    (
        CoreGroupRole.Role.SIG_LEAD,
        "career-guidance",
        datetime.date(2021, 3, 1),
        datetime.date(2023, 6, 30),
    ),
    (CoreGroupRole.Role.SIG_LEAD, "career-guidance", datetime.date(2023, 7, 1), None),
    *[
        (CoreGroupRole.Role.REGIONAL_REPRESENTATIVE, region, datetime.date(2021, 6, 1), None)
        for region in Region
    ],
    *[(CoreGroupRole.Role.FACILITATOR, "", datetime.date(2022, 2, 1), None)] * 4,
    *[(CoreGroupRole.Role.TECHNICAL_ADVISOR, "", datetime.date(2022, 9, 1), None)] * 4,
    *[(CoreGroupRole.Role.TRANSLATOR, "", datetime.date(2023, 1, 10), None)] * 2,
]


class Command(BaseCommand):
    help = "Load invented demo members and one login per persona (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even though DJANGO_DEBUG is off (never on a production database).",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo loads invented members and users with a published password, so it "
                "refuses to run with DJANGO_DEBUG off. Use --force to load them anyway."
            )
        with transaction.atomic():
            users = seed_personas()
            created = seed_members(random.Random(SEED), users)
            seed_roles(random.Random(f"{SEED}-roles"), users)
            seed_letters(users)
            for app_label in DEMO_APPS:
                seed = _demo_seed_function(app_label)
                if seed is not None:
                    seed(random.Random(f"{SEED}-{app_label}"))
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {Member.objects.count()} members ({created} new), "
                f"{User.objects.count()} users."
            )
        )
        self.stdout.write(f"Sign in at {settings.PORTAL_BASE_URL}/accounts/login/ as:")
        for email in PERSONAS:
            self.stdout.write(f"  {email}")
        self.stdout.write(f'all with the password "{DEMO_PASSWORD}".')


def _demo_seed_function(app_label):
    """The ``seed(rng)`` of ``<app_label>.demo``, or None when the app has no demo data."""
    module_name = f"{app_label}.demo"
    try:
        module = import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name == module_name:
            return None
        raise
    return getattr(module, "seed", None)


def seed_personas():
    """One user per persona, with a verified primary email; returns them by email."""
    users = {}
    for email, persona in PERSONAS.items():
        fields = {key: value for key, value in persona.items() if key != "groups"}
        user, created = User.objects.update_or_create(email=email, defaults=fields)
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        if persona.get("groups"):
            user.groups.add(*Group.objects.filter(name__in=persona["groups"]))
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        users[email] = user
    return users


def seed_members(rng, personas):
    """Create the demo members that do not exist yet; returns how many were created."""
    specs = member_specs(rng, MEMBER_COUNT)
    indices = list(range(len(specs)))
    rng.shuffle(indices)
    imported = set(indices[:28])
    pending = set(indices[28:34])
    members_only = set(indices[34:44])
    top_innovators = set(indices[44:56])
    for index, spec in enumerate(specs):
        spec["status"] = Member.Status.PENDING if index in pending else Member.Status.LISTED
        spec["imported"] = index in imported
        spec["is_public"] = index not in imported and index not in members_only
        spec["is_top_innovator"] = index in top_innovators
        spec["owner"] = None if index in imported else spec["contact_email"]
    for spec in PERSONA_MEMBERS:
        spec.setdefault("imported", spec["owner"] is None)
        spec.setdefault("is_public", spec["owner"] is not None)
        spec.setdefault("status", Member.Status.LISTED)
    specs = [*PERSONA_MEMBERS, *specs]

    existing = set(
        Member.objects.filter(name__in=[spec["name"] for spec in specs]).values_list(
            "name", flat=True
        )
    )
    # A user owns at most one profile: one renamed in the admin is not created again.
    owning = set(
        Member.objects.filter(owner__email__in=[spec["owner"] for spec in specs]).values_list(
            "owner__email", flat=True
        )
    )
    new_specs = [
        spec for spec in specs if spec["name"] not in existing and spec["owner"] not in owning
    ]
    if not new_specs:
        return 0
    owners = _owner_users(new_specs, personas)
    Member.objects.bulk_create(
        [_member(spec, owners.get(spec["owner"])) for spec in new_specs], batch_size=500
    )
    ids = dict(
        Member.objects.filter(name__in=[spec["name"] for spec in new_specs]).values_list(
            "name", "id"
        )
    )
    categories = dict(Category.objects.values_list("slug", "id"))
    languages = set(Language.objects.values_list("code", flat=True))
    Member.categories.through.objects.bulk_create(
        [
            Member.categories.through(member_id=ids[spec["name"]], category_id=categories[slug])
            for spec in new_specs
            for slug in spec["categories"]
        ],
        ignore_conflicts=True,
    )
    Member.languages.through.objects.bulk_create(
        [
            Member.languages.through(member_id=ids[spec["name"]], language_id=code)
            for spec in new_specs
            for code in spec["languages"]
            if code in languages
        ],
        ignore_conflicts=True,
    )
    return len(new_specs)


def _member(spec, owner):
    return Member(
        owner=owner, **{key: value for key, value in spec.items() if key in MEMBER_FIELDS}
    )


def _owner_users(specs, personas):
    """The owners of ``specs`` by email; those missing are created, verified, without a password.

    Only the personas can sign in; the other owners exist so that their profiles count as
    claimed, as they would in the live network.
    """
    emails = {spec["owner"] for spec in specs if spec["owner"]} - set(personas)
    users = dict(personas)
    users.update({user.email: user for user in User.objects.filter(email__in=emails)})
    by_email = {spec["owner"]: spec for spec in specs if spec["owner"] in emails}
    new_users = [
        User(
            email=email,
            full_name=spec["contact_name"],
            password=make_password(None),
            preferred_language=spec.get("preferred_language", "en"),
            time_zone=spec.get("time_zone", "UTC"),
        )
        for email, spec in by_email.items()
        if email not in users
    ]
    User.objects.bulk_create(new_users)
    created = {user.email: user for user in User.objects.filter(email__in=emails)}
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(user=user, email=email, verified=True, primary=True)
            for email, user in created.items()
            if email not in users
        ],
        ignore_conflicts=True,
    )
    users.update(created)
    return users


def seed_roles(rng, personas):
    """Core Group roles: the core persona leads work-based learning, others drawn at random."""
    core_member = Member.objects.filter(owner=personas["core@example.org"]).first()
    candidates = list(
        Member.objects.listed()
        .filter(is_public=True, owner__isnull=False)
        .exclude(owner__in=personas.values())
        .order_by("name")
        .prefetch_related("categories", "languages")
    )
    categories = {category.slug: category for category in Category.objects.all()}
    wanted = []
    if core_member is not None:
        wanted.append(
            (
                core_member,
                CoreGroupRole.Role.SIG_LEAD,
                "work-based-learning",
                datetime.date(2021, 1, 20),
                None,
            )
        )
    for role, scope, start, end in ROLES:
        pool = candidates
        if role == CoreGroupRole.Role.SIG_LEAD:
            pool = [m for m in candidates if scope in {c.slug for c in m.categories.all()}]
        elif role == CoreGroupRole.Role.REGIONAL_REPRESENTATIVE:
            pool = [m for m in candidates if m.region == scope]
        elif role == CoreGroupRole.Role.TRANSLATOR:
            pool = [m for m in candidates if len(m.languages.all()) > 1]
        if pool:
            wanted.append((rng.choice(pool), role, scope, start, end))

    for member, role, scope, start, end in wanted:
        category = categories.get(scope)
        key = {
            "member": member,
            "role": role,
            "category": category,
            "region": scope if role == CoreGroupRole.Role.REGIONAL_REPRESENTATIVE else "",
            "start_date": start,
        }
        if CoreGroupRole.objects.filter(**key).exists():
            continue
        current_lead = CoreGroupRole.objects.filter(
            role=CoreGroupRole.Role.SIG_LEAD, category=category, end_date__isnull=True
        )
        if role == CoreGroupRole.Role.SIG_LEAD and end is None and current_lead.exists():
            continue
        CoreGroupRole.objects.create(**key, end_date=end)


def seed_letters(personas):
    """A French letter of introduction for the innovator, signed by the staff persona, and a
    request from the Core Group persona waiting in the admin; once each."""
    staff = personas["staff@example.org"]
    innovator = Member.objects.filter(owner=personas["innovator@example.org"]).first()
    if innovator is not None and not IssuedDocument.objects.filter(member=innovator).exists():
        letter_issue(member=innovator, by=staff)
    core = Member.objects.filter(owner=personas["core@example.org"]).first()
    if core is not None and not core.letter_requests.exists():
        letter_request(
            member=core,
            user=core.owner,
            purpose="For the regional skills fund of the Andean Development Bank.",
        )
