import pytest

from categories.models import Category
from discussions import services
from members.models import CoreGroupRole, Language
from tests.factories import CoreGroupRoleFactory, MemberFactory, UserFactory


@pytest.fixture
def other_sig_lead(db):
    """A Core Group member who leads another category (career guidance), not work-based learning."""
    from accounts.roles import CORE_GROUP

    user = UserFactory(
        email="lead@example.org", full_name="Lena Lead", is_staff=True, groups=[CORE_GROUP]
    )
    member = MemberFactory(owner=user, name="Lena Guidance Centre", categories=["career-guidance"])
    CoreGroupRoleFactory(
        member=member,
        role=CoreGroupRole.Role.SIG_LEAD,
        category=Category.objects.get(slug="career-guidance"),
    )
    return user


@pytest.fixture
def wbl(db):
    return Category.objects.get(slug="work-based-learning")


@pytest.fixture
def author(db):
    user = UserFactory(
        email="author@example.org", full_name="Amara Author", preferred_language="fr"
    )
    MemberFactory(owner=user, name="Amara Apprentices", categories=["work-based-learning"])
    return user


def make_thread(
    author, category, *, title="Paying apprentices fairly", body="How do you pay?", language="en"
):
    return services.thread_create(
        author=author,
        category=category,
        title=title,
        body=body,
        language=Language.objects.get(code=language),
    )


@pytest.fixture
def thread(author, wbl):
    return make_thread(author, wbl)
