import pytest

from network_portal.celery import app


@pytest.fixture(autouse=True)
def _eager_celery():
    """Tasks queued after commit run in-process, unless a test starts a real worker."""
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous
