import pytest

from network_portal.celery import app

from .factories import CoachingSessionFactory


@pytest.fixture(autouse=True)
def _eager_celery():
    """Tasks queued after commit run in-process, unless a test starts a real worker."""
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def host_session(core_group_member):
    """A session a week ahead, hosted by the Core Group persona, with a secret online link."""
    return CoachingSessionFactory(
        title="Budgeting circle",
        hosts=[core_group_member.member],
        categories=["work-based-learning"],
    )
