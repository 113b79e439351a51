"""Personas of DESIGN.md, built once per test, and the shared plumbing of the suite."""

import asyncio
import functools
import os
import shutil
import socket
import time

import pytest
from django.conf import settings as django_settings
from django.test import Client

from accounts.roles import CORE_GROUP, ILO_STAFF
from members.models import CoreGroupRole

from .factories import CoreGroupRoleFactory, MemberFactory, UserFactory, give_second_factor

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    # Members' pictures are written to a folder of this test's own.
    settings.MEDIA_ROOT = tmp_path / "media"
    # Rate limits are tested on their own (tests/accounts/test_rate_limits.py).
    settings.ACCOUNT_RATE_LIMITS = False
    settings.PORTAL_BASE_URL = "https://portal.example.org"
    # Factories hash a password per user: full-strength PBKDF2 would cost minutes of the suite.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Parallel runs share one Redis: each test process keeps its cache keys apart.
    settings.CACHES = {
        alias: {**config, "KEY_PREFIX": _unique_name()}
        for alias, config in django_settings.CACHES.items()
    }


def _unique_name():
    """A name unique to this test process: xdist workers and parallel runs share one Redis."""
    return f"{django_settings.DATABASES['default']['NAME']}-{os.getpid()}"


# ---- Personas -------------------------------------------------------------------------------


@pytest.fixture
def visitor():
    return Client()


@pytest.fixture
def user_without_profile(db):
    return UserFactory(email="newcomer@example.org", full_name="Nadia Newcomer")


@pytest.fixture
def innovator(db):
    user = UserFactory(email="innovator@example.org", full_name="Ines Innovator")
    MemberFactory(
        owner=user,
        name="Ines Skills Lab",
        country="SN",
        categories=["work-based-learning"],
        languages=["fr"],
    )
    return user


@pytest.fixture
def core_group_member(db):
    """A Core Group member who leads the work-based learning special-interest group."""
    user = UserFactory(
        email="core@example.org", full_name="Carlos Core", is_staff=True, groups=[CORE_GROUP]
    )
    member = MemberFactory(
        owner=user,
        name="Carlos Apprenticeship Hub",
        country="CO",
        categories=["work-based-learning"],
    )
    from categories.models import Category

    CoreGroupRoleFactory(
        member=member,
        role=CoreGroupRole.Role.SIG_LEAD,
        category=Category.objects.get(slug="work-based-learning"),
    )
    return user


@pytest.fixture
def staff_officer(db):
    return UserFactory(
        email="officer@ilo.example.org", full_name="Sam Staff", is_staff=True, groups=[ILO_STAFF]
    )


@pytest.fixture
def admin_user(admin_user):
    """pytest-django's superuser, with the second factor the portal requires of them."""
    give_second_factor(admin_user)
    return admin_user


@pytest.fixture
def client_for():
    """``client_for(user)``: a test client signed in as ``user`` (None: a visitor)."""

    def make(user):
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make


PERSONAS = ["visitor", "user_without_profile", "innovator", "core_group_member", "staff_officer"]


@pytest.fixture(params=PERSONAS)
def persona(request, client_for):
    """Each persona in turn: ``(name, user or None, client)``."""
    name = request.param
    user = None if name == "visitor" else request.getfixturevalue(name)
    return name, user, client_for(user)


# ---- Data migrations after a flush ---------------------------------------------------------


@pytest.fixture
def reference_data():
    """Re-create what data migrations made (categories, languages, groups).

    Tests with ``transaction=True`` (a live server, a real worker, a race) flush the database,
    data-migration rows included; they ask for this fixture.
    """
    from importlib import import_module

    from django.apps import apps

    from accounts.roles import sync_groups

    import_module("categories.migrations.0002_seed_categories").seed(apps, None)
    import_module("members.migrations.0002_seed_languages").seed(apps, None)
    import_module("members.migrations.0012_seed_needs_questions").seed(apps, None)
    sync_groups()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    # With --reuse-db, a transaction=True test of an earlier run flushed the reference rows.
    with django_db_blocker.unblock():
        reference_data.__wrapped__()


# ---- Celery: in-process by default, a real worker on Redis when a test asks for one ----------


@pytest.fixture(autouse=True)
def _eager_celery():
    """Tasks run in-process, as ``make run`` does, unless the test starts ``celery_worker``."""
    from network_portal.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def celery_worker(transactional_db, reference_data):
    """A Celery worker in a thread, consuming this test process's own queue on the real Redis.

    Tests that use it see rows committed by the worker, hence ``transactional_db``. Before
    counting what it did, call ``celery_worker.wait_until_idle()``.
    """
    from celery.contrib.testing.worker import start_worker

    from network_portal.celery import app

    if not django_settings.REDIS_URL:
        pytest.fail("REDIS_URL is not set: Celery tests need the real Redis (see README).")
    queue = f"test-{_unique_name()}"
    previous = app.conf.task_always_eager, app.conf.task_default_queue
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue
    try:
        with start_worker(
            app, queues=[queue], perform_ping_check=False, loglevel="WARNING", shutdown_timeout=30
        ) as worker:
            worker.wait_until_idle = functools.partial(wait_until_idle, app, queue)
            yield worker
    finally:
        app.conf.task_always_eager, app.conf.task_default_queue = previous


def wait_until_idle(app, queue, *, timeout=60, settle=0.5):
    """Wait until the worker of ``queue`` has nothing left: its queue is empty and no task is
    reserved or running, without a break for ``settle`` seconds (a task fetched is reserved at
    once). Fails the test after ``timeout`` seconds."""
    from celery.worker import state

    deadline = time.monotonic() + timeout
    idle_since = None
    while time.monotonic() < deadline:
        with app.connection_for_write() as connection:
            waiting = connection.default_channel.client.llen(queue)
        busy = waiting or state.active_requests or state.reserved_requests
        if busy:
            idle_since = None
        elif idle_since is None:
            idle_since = time.monotonic()
        elif time.monotonic() - idle_since >= settle:
            return
        time.sleep(0.05)
    pytest.fail(f"The Celery worker was still busy after {timeout} s.")


# ---- A real SMTP server on loopback ------------------------------------------------------------


class Relay:
    """An SMTP server that keeps what it accepts and answers as a test tells it to: ``rcpt``
    maps an address to its answer at RCPT; ``mail`` and ``data``, when set, answer everyone."""

    def __init__(self):
        self.envelopes = []
        self.rcpt = {}
        self.mail = self.data = None
        self.delay = 0  # seconds each message takes to be accepted

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.mail:
            return self.mail
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.rcpt:
            return self.rcpt[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.data:
            return self.data
        await asyncio.sleep(self.delay)
        self.envelopes.append((envelope.rcpt_tos, envelope.content))
        return "250 OK"

    def received(self):
        """The addresses of what the server accepted, one per message, sorted."""
        return sorted(address for rcpt_tos, _content in self.envelopes for address in rcpt_tos)


def free_port():
    """A TCP port on loopback that nothing listens on (yet)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_relay(settings):
    """A ``Relay`` on loopback (aiosmtpd) that Django's own SMTP backend sends to."""
    from aiosmtpd.controller import Controller

    relay = Relay()
    controller = Controller(relay, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 10
    yield relay
    controller.stop()


# ---- Browser -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing; .ci/run installs Debian's chromium.")
        pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


def pytest_configure(config):
    # Playwright's sync API runs an event loop in the test thread; Django's ORM is sync anyway.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    # pytest regroups tests by session-scoped parameters (pytest-playwright's browser_name) after
    # pytest-django put transactional tests last; sort again, or their flush empties the
    # data-migration rows under the tests that follow them.
    from pytest_django.plugin import pytest_collection_modifyitems as transactional_tests_last

    transactional_tests_last(items)
