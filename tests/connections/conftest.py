"""Shared fixtures of the connections tests, and the precision figures in the test output."""

import pytest

from connections.similarity import neighbours_rebuild

FIGURES = ("precision_at_5", "random_same_categories_at_5")


@pytest.fixture
def rebuild():
    """``rebuild()``: every member's document and neighbours, computed now, in this process."""
    return lambda: neighbours_rebuild(force=True)


def pytest_terminal_summary(terminalreporter):
    # The quality test records its figures; xdist carries them back in each report.
    for report in terminalreporter.stats.get("passed", []) + terminalreporter.stats.get(
        "failed", []
    ):
        figures = dict(report.user_properties)
        if any(name in figures for name in FIGURES):
            terminalreporter.write_sep("-", "similar members: quality on the cluster fixture")
            for name in FIGURES:
                if name in figures:
                    terminalreporter.write_line(f"{name}: {figures[name]}")


@pytest.fixture(autouse=True)
def _eager_celery():
    """Tasks queued after commit run in-process, unless a test starts a real worker."""
    from network_portal.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Every profile here has an owner whose password the factory hashes; the default is slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
