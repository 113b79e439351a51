"""What the members app adds to the pages that gather from every app (``registry``)."""

import datetime

from django.db.models import Count
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from categories.models import Category
from network_portal import registry
from network_portal.emails import absolute_url

from .models import IssuedDocument, LetterRequest, Member
from .regions import Region
from .services import APPROVE_PERMISSION, claimable_members


def home_figures(*, request):
    """The members and countries the viewer can see (the directory's own total), and regions."""
    totals = Member.objects.visible_to(request.user).aggregate(
        members=Count("pk"), countries=Count("country", distinct=True)
    )
    return {**totals, "regions": len(Region.values)}


def home_categories(*, request):
    """The categories, each with the number of its members the viewer can see."""
    visible = Member.objects.visible_to(request.user)
    return {"categories": list(Category.objects.with_member_counts(visible))}


# What helps others find a profile (directory filters, similar members), in the form's order.
FINDABLE_FIELDS = [
    ("languages", _("Working languages"), _("members filter the directory by language")),
    ("project_title", _("Project title"), _("the first thing others read")),
    ("project_summary", _("Project summary"), _("its words match you with similar members")),
    ("project_objectives", _("Objectives"), _("what you want to change")),
    ("project_stage", _("Stage"), _("from idea to scaling")),
    ("beneficiaries", _("Beneficiaries and target groups"), _("who your work reaches")),
    ("impact", _("Impact and results"), _("what your work has achieved")),
    ("expertise", _("Technical expertise offered"), _("what you can help others with")),
    ("website", _("Website"), _("where to learn more")),
]
NEW_MEMBERS_SINCE = datetime.timedelta(days=30)
HOME_NEW_MEMBERS = 6
HOME_PENDING = 5


def _own_member(request):
    return getattr(request.user, "member", None)


def member_home_start(*, request):
    """For a signed-in user without a profile: the imported profiles they may claim; else None."""
    if _own_member(request) is not None:
        return None
    return {"claimable": list(claimable_members(request.user)[:5])}


def member_home_completeness(*, request):
    """Which fields of my profile would help others find me, with links to fill them.

    None without a profile; one query (the languages).
    """
    member = _own_member(request)
    if member is None:
        return None
    has_languages = member.languages.exists()
    missing = [
        {"name": name, "label": label, "why": why}
        for name, label, why in FINDABLE_FIELDS
        if not (has_languages if name == "languages" else getattr(member, name))
    ]
    filled = len(FINDABLE_FIELDS) - len(missing)
    return {
        "member": member,
        "missing": missing,
        "percent": round(100 * filled / len(FINDABLE_FIELDS)),
    }


def member_home_new_members(*, request, now=None):
    """Members listed in the last 30 days in my categories, newest first; None without a
    profile. Two queries: my categories, then the members."""
    member = _own_member(request)
    if member is None:
        return None
    mine = list(member.categories.values_list("pk", "slug"))
    since = (now or timezone.now()) - NEW_MEMBERS_SINCE
    in_my_categories = Member.categories.through.objects.filter(
        category_id__in=[pk for pk, _slug in mine]
    )
    members = list(
        Member.objects.visible_to(request.user)
        .listed()
        .filter(pk__in=in_my_categories.values("member_id"))
        .exclude(pk=member.pk)
        .alias(joined=Coalesce("approved_at", "created_at"))
        .filter(joined__gte=since)
        .order_by("-joined", "pk")
        .only("pk", "name", "country", "member_type")[:HOME_NEW_MEMBERS]
    )
    return {"members": members, "category_slugs": [slug for _pk, slug in mine]}


def member_home_approvals(*, request):
    """For those who approve profiles: the profiles awaiting approval, oldest first; else None.

    Two queries (the count, the first few).
    """
    if not request.user.has_perm(APPROVE_PERMISSION):
        return None
    pending = Member.objects.filter(status=Member.Status.PENDING)
    return {
        "count": pending.count(),
        "pending": list(pending.order_by("created_at", "pk").only("pk", "name")[:HOME_PENDING]),
    }


def home_letter(*, request):
    """The state of the member's letter request and their valid letters; None without a profile."""
    member = _own_member(request) if request.user.is_authenticated else None
    if member is None:
        return None
    letter_request = member.letter_requests.first()
    letters = IssuedDocument.objects.valid().filter(member=member, kind=IssuedDocument.Kind.LETTER)
    return {
        "letter_request": letter_request,
        "letters": list(letters.only("pk", "token")),
        "can_request": letter_request is None
        or letter_request.status != LetterRequest.Status.PENDING,
    }


def needs_assessment(*, request, **kwargs):
    """The member's prompt to answer (or edit) their needs assessment; None without a profile."""
    from .needs import needs_prompt

    if not request.user.is_authenticated:
        return None
    member = _own_member(request)
    if member is None:
        return None
    return needs_prompt(member)


WEEKLY_LIMIT = 8


def weekly_new_members(*, user, since, until, **kwargs):
    """Profiles listed in ``[since, until)`` (approved, or created listed) that share a category
    with the person's own and that they may see; None without a profile or when there are none.
    Imported profiles nobody has claimed yet are not members yet."""
    member = getattr(user, "member", None)
    if member is None:
        return None
    mine = set(member.categories.values_list("pk", flat=True))
    if not mine:
        return None
    shared = Member.categories.through.objects.filter(category_id__in=mine)
    members = list(
        Member.objects.visible_to(user)
        .listed()
        .filter(owner__isnull=False, pk__in=shared.values("member_id"))
        .exclude(pk=member.pk)
        .alias(listed_at=Coalesce("approved_at", "created_at"))
        .filter(listed_at__gte=since, listed_at__lt=until)
        .prefetch_related("categories")
        .order_by("-listed_at", "pk")[: WEEKLY_LIMIT + 1]
    )
    if not members:
        return None
    rows = [
        {
            "member": other,
            "url": absolute_url(other.get_absolute_url()),
            "categories": [c.display_name for c in other.categories.all() if c.pk in mine],
        }
        for other in members[:WEEKLY_LIMIT]
    ]
    return {
        "members": rows,
        "more": len(members) > WEEKLY_LIMIT,
        "directory_url": absolute_url(reverse("members:list")),
    }


def register():
    registry.register(
        registry.MEMBER_HOME_BLOCKS,
        name="members-start",
        order=1,
        template="members/_home_start.html",
        context=member_home_start,
    )
    registry.register(
        registry.MEMBER_HOME_BLOCKS,
        name="members-approvals",
        order=5,
        template="members/_home_approvals.html",
        context=member_home_approvals,
    )
    registry.register(
        registry.MEMBER_HOME_BLOCKS,
        name="members-new",
        order=50,
        template="members/_home_new_members.html",
        context=member_home_new_members,
    )
    registry.register(
        registry.MEMBER_HOME_BLOCKS,
        name="members-completeness",
        order=60,
        template="members/_home_completeness.html",
        context=member_home_completeness,
    )
    registry.register(
        registry.HOME_FIGURES,
        name="members",
        order=10,
        template="members/_home_figures.html",
        context=home_figures,
    )
    registry.register(
        registry.HOME_SECTIONS,
        name="categories",
        order=10,
        template="members/_home_categories.html",
        context=home_categories,
    )
    registry.register(
        registry.MEMBER_HOME_BLOCKS,
        name="letters",
        order=80,
        template="members/_home_letter.html",
        context=home_letter,
    )
    registry.register(
        registry.MEMBER_HOME_BLOCKS,
        name="needs-assessment",
        order=50,
        template="members/_home_needs.html",
        context=needs_assessment,
    )
    registry.register(
        registry.WEEKLY_EMAIL_SECTIONS,
        name="members-new-members",
        order=40,
        template="members/weekly/new_members.html",
        text_template="members/weekly/new_members.txt",
        context=weekly_new_members,
    )
