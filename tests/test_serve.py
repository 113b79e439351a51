"""`make serve` as an operator runs it: the production stack on PostgreSQL, Redis and an SMTP sink.

One test drives the real command (migrate, collectstatic, then gunicorn, a Celery worker and beat
under honcho) on a database, a Redis server and ports of its own, and stops it as Ctrl-C does.
"""

import email
import email.policy
import gzip
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import environ
import psycopg
import pytest
from aiosmtpd.controller import Controller

from .conftest import free_port
from .processes import ROOT, run_python

REDIS_SERVER = shutil.which("redis-server")
MAKE = shutil.which("make")
# Every process of the stack inherits this variable: how we find one left running.
MARKER = "NETWORK_PORTAL_SERVE_SMOKE"


@pytest.fixture
def smtp_sink():
    """An SMTP server on a free port that keeps every message it receives."""

    class Sink:
        messages = []

        async def handle_DATA(self, server, session, envelope):
            self.messages.append(
                email.message_from_bytes(envelope.content, policy=email.policy.default)
            )
            return "250 Message accepted"

    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller.port, sink.messages
    controller.stop()


@pytest.fixture
def redis_url():
    """A Redis server of the test's own, on a free port: no queue shared with any other test."""
    if not REDIS_SERVER:
        if os.environ.get("CI"):
            pytest.fail("redis-server is missing")
        pytest.skip("redis-server is missing")
    port = free_port()
    server = subprocess.Popen(  # noqa: S603
        [
            REDIS_SERVER,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
    )
    wait_until(lambda: port_open(port), timeout=10, what="redis-server")
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def database_url():
    """A fresh PostgreSQL database named after the suite's own (`<name>_serve`)."""
    config = environ.Env.db_url_config(
        os.environ.get("DATABASE_URL", "postgres://postgres@localhost:5432/network_portal")
    )
    name = f"{config['NAME']}_serve"
    server = {
        "host": config["HOST"] or "localhost",
        "port": config["PORT"] or 5432,
        "user": config["USER"],
        "password": config["PASSWORD"],
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    url = os.environ.get("DATABASE_URL", "postgres://postgres@localhost:5432/network_portal")
    yield url.rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def port_open(port):
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def wait_until(condition, *, timeout, what, log=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.25)
    pytest.fail(f"waited {timeout} s for {what}" + (f"; the stack said:\n{log()}" if log else ""))


def get(port, path):
    """A request as the TLS proxy forwards it, accepting compressed answers."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        headers={"Accept-Encoding": "br, gzip", "X-Forwarded-Proto": "https"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (loopback)
        return response.status, response.headers, response.read()


def healthy(port):
    try:
        return get(port, "/healthz")[0] == 200
    except (OSError, urllib.error.URLError):
        return False


def processes_with(marker):
    """Pids of the processes whose environment holds ``marker``."""
    found = []
    needle = marker.encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if needle in (entry / "environ").read_bytes():
                found.append(int(entry.name))
        except OSError:  # gone meanwhile, or not ours to read
            continue
    return found


@pytest.mark.skipif(MAKE is None, reason="make is missing")
def test_make_serve_serves_compressed_pages_sends_a_due_reminder_and_stops_on_ctrl_c(
    tmp_path, smtp_sink, redis_url, database_url
):
    smtp_port, received = smtp_sink
    port = free_port()
    marker = f"{MARKER}={uuid.uuid4().hex}"
    settings_env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PORTAL_", "MAKE", "MFLAGS", "CELERY_"))
    } | {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
        "CELERY_BEAT_SCHEDULE_FILENAME": str(tmp_path / "celerybeat-schedule"),
        "PORTAL_BEAT_INTERVAL": "1",  # beat sends every scheduled task each second
        "PORT": str(port),
    }
    log_path = tmp_path / "serve.log"

    def log():
        return log_path.read_text(errors="replace")[-6000:]

    with log_path.open("wb") as log_file:
        # Its own session, as a terminal's foreground job: Ctrl-C signals make and honcho.
        stack = subprocess.Popen(  # noqa: S603 (make, from PATH)
            # -o: the stack as installed; installing is make test's and make run's business.
            [MAKE, "-o", ".venv/.installed", "serve"],
            cwd=ROOT,
            env=settings_env | dict([marker.split("=", 1)]),
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_until(lambda: healthy(port), timeout=90, what="/healthz answering 200", log=log)

        status, headers, body = get(port, "/")
        assert status == 200
        assert headers["Content-Encoding"] == "gzip"
        page = gzip.decompress(body).decode()
        stylesheet = re.search(r'href="(/static/[^"]+\.css)"', page).group(1)
        assert re.search(r"\.[0-9a-f]{12}\.css$", stylesheet), stylesheet

        status, headers, body = get(port, stylesheet)
        assert status == 200
        assert headers["Content-Encoding"] in {"br", "gzip"}
        assert "immutable" in headers["Cache-Control"]
        max_age = int(re.search(r"max-age=(\d+)", headers["Cache-Control"]).group(1))
        assert max_age >= 365 * 24 * 3600

        title = f"Smoke-test circle {uuid.uuid4().hex[:8]}"
        run_python(
            "import datetime, django; django.setup()\n"
            "from django.utils import timezone\n"
            "from tests.factories import UserFactory\n"
            "from tests.coaching.factories import CoachingSessionFactory, RegistrationFactory\n"
            "start = timezone.now() + datetime.timedelta(minutes=30)\n"
            f"session = CoachingSessionFactory(title={title!r}, start=start)\n"
            "RegistrationFactory(\n"
            "    session=session,\n"
            "    user=UserFactory(email='seat@example.org'),\n"
            "    queued_at=timezone.now() - datetime.timedelta(days=2),\n"
            ")\n"
            "print('registered')",
            env=settings_env | {"DJANGO_SETTINGS_MODULE": "network_portal.settings"},
        )
        wait_until(
            lambda: any(title in message["Subject"] for message in received),
            timeout=30,
            what="the reminder at the SMTP sink",
            log=log,
        )
        (reminder,) = [message for message in received if title in message["Subject"]]
        assert reminder["To"] == "seat@example.org"
        assert reminder["Subject"] == f"Starting soon: {title}"

        os.killpg(stack.pid, signal.SIGINT)  # Ctrl-C
        stack.wait(timeout=30)
        wait_until(
            lambda: not processes_with(marker), timeout=15, what="every process of the stack to end"
        )
        assert not port_open(port)
    finally:
        for pid in processes_with(marker):  # only what this test started
            os.kill(pid, signal.SIGKILL)
