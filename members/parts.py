"""What the members app adds to the pages that gather from every app (``registry``)."""

from django.db.models import Count

from categories.models import Category
from network_portal import registry

from .models import IssuedDocument, LetterRequest, Member
from .regions import Region


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


def home_letter(*, request):
    """The state of the member's letter request and their valid letters; None without a profile."""
    member = (
        Member.objects.filter(owner=request.user).first() if request.user.is_authenticated else None
    )
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


def register():
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
