"""A real Celery worker keeps sending through a restart of its Redis, and sends each email once."""

import datetime
import os
import shutil
import subprocess
import sys
import time

import pytest
from django.db import connection

from funds.models import FundCallDelivery
from funds.tasks import send_fund_emails
from network_portal.celery import app

from .conftest import free_port
from .funds.factories import FundAlertFactory, FundCallFactory

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUTAGE = 25  # seconds, as in the incident of issue 9


def start_redis(port):
    return subprocess.Popen(  # noqa: S603
        [shutil.which("redis-server"), "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_for(condition, *, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    pytest.fail(f"Timed out waiting for {what}")


def redis_answers(port):
    import redis

    try:
        return redis.Redis(port=port, socket_connect_timeout=0.2).ping()
    except redis.ConnectionError:
        return False


@pytest.fixture
def own_redis():
    if not shutil.which("redis-server"):
        pytest.fail("redis-server is missing (apt-get install redis-server).")
    port = free_port()
    server = {"process": start_redis(port), "port": port}
    wait_for(lambda: redis_answers(port), timeout=10, what="redis-server")
    yield server
    server["process"].terminate()
    server["process"].wait(timeout=10)


def database_url():
    db = connection.settings_dict
    host = f"{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}"
    return f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{host}/{db['NAME']}"


@pytest.fixture
def worker_process(own_redis, smtp_relay, settings, tmp_path):
    """``celery worker`` as production runs it (one process per core), on the test's own Redis
    and database."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "REDIS_URL": f"redis://127.0.0.1:{own_redis['port']}/0",
        "EMAIL_URL": f"smtp://127.0.0.1:{settings.EMAIL_PORT}",
        "PORTAL_BASE_URL": "https://portal.example.org",
    }
    log = tmp_path / "worker.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "network_portal", "worker", "--loglevel=INFO"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    wait_for(lambda: "ready." in log.read_text(), timeout=60, what="the worker to start")
    yield process, log
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()


def enqueue(port):
    with app.connection_for_write(f"redis://127.0.0.1:{port}/0") as broker:
        send_fund_emails.apply_async(connection=broker, queue="celery")


@pytest.mark.django_db(transaction=True)
def test_the_worker_survives_a_redis_restart_mid_task_and_sends_each_email_once(
    reference_data, own_redis, smtp_relay, worker_process
):
    app.conf.task_always_eager = False  # the autouse fixture puts it back
    process, log = worker_process
    smtp_relay.delay = 0.5
    call = FundCallFactory(
        deadline=datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=30)
    )
    for n in range(60):  # about 30 s of sending: the outage falls in the middle of the task
        alert = FundAlertFactory(user__email=f"person-{n}@example.org")
        FundCallDelivery.objects.create(user=alert.user, call=call, kind="new-call")

    enqueue(own_redis["port"])
    wait_for(lambda: len(smtp_relay.envelopes) >= 2, timeout=60, what="the task to start sending")
    own_redis["process"].terminate()
    own_redis["process"].wait(timeout=10)
    time.sleep(OUTAGE)
    own_redis["process"] = start_redis(own_redis["port"])
    wait_for(lambda: redis_answers(own_redis["port"]), timeout=10, what="Redis to come back")

    wait_for(
        lambda: not FundCallDelivery.objects.filter(sent_at__isnull=True).exists(),
        timeout=120,
        what="every email to be sent",
    )
    # Still alive, and still consuming: a task sent after the restart is run.
    alert = FundAlertFactory(user__email="after@example.org")
    FundCallDelivery.objects.create(user=alert.user, call=call, kind="new-call")
    enqueue(own_redis["port"])
    wait_for(
        lambda: "after@example.org" in smtp_relay.received(),
        timeout=120,
        what="a task enqueued after the restart",
    )

    assert process.poll() is None, log.read_text()[-3000:]
    assert "Unrecoverable error" not in log.read_text()
    received = smtp_relay.received()
    assert len(received) == len(set(received)) == 61
