import pytest

from .factories import CoachingSessionFactory


@pytest.fixture
def host_session(core_group_member):
    """A session a week ahead, hosted by the Core Group persona, with a secret online link."""
    return CoachingSessionFactory(
        title="Budgeting circle",
        hosts=[core_group_member.member],
        categories=["work-based-learning"],
    )
