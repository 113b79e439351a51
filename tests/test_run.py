"""`make run`: scheduled work happens without a broker, and links follow the port served."""

import datetime
import os
import shutil
import subprocess

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from network_portal.beat import InProcessBeat
from network_portal.celery import app
from network_portal.management.commands import runserver_beat

from .coaching.factories import CoachingSessionFactory, RegistrationFactory
from .factories import UserFactory
from .processes import ROOT, run_python


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def task_runs(monkeypatch):
    """The names of the scheduled tasks run, in order, instead of running them."""
    runs = []
    beat = InProcessBeat()  # imports the tasks modules
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        task = app.tasks[entry["task"]]
        monkeypatch.setattr(task, "run", lambda name=task.name: runs.append(name))
    del beat
    return runs


def test_the_in_process_beat_runs_every_scheduled_task_at_start_then_each_at_its_interval(
    task_runs,
):
    clock = FakeClock()
    beat = InProcessBeat(clock=clock)

    beat.run_due()
    assert sorted(task_runs) == sorted(e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values())

    task_runs.clear()
    clock.now += 30
    beat.run_due()
    assert task_runs == []

    clock.now += 31  # a minute after the start: the tasks due every minute again, nothing else
    beat.run_due()
    every_minute = [
        e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values() if e["schedule"] == 60
    ]
    assert "coaching.tasks.send_session_reminders" in every_minute
    assert sorted(task_runs) == sorted(every_minute)


def test_a_failing_task_is_logged_and_the_others_still_run(task_runs, monkeypatch, capfd):
    def broken():
        raise RuntimeError("relay down")

    monkeypatch.setattr(app.tasks["coaching.tasks.send_session_reminders"], "run", broken)
    beat = InProcessBeat(clock=FakeClock())

    assert len(beat.run_due()) == len(settings.CELERY_BEAT_SCHEDULE)
    assert "funds.tasks.send_due_fund_alerts" in task_runs
    assert "Scheduled task coaching-reminders failed" in capfd.readouterr().err


@pytest.mark.django_db
def test_the_in_process_beat_sends_a_due_session_reminder():
    session = CoachingSessionFactory(
        title="Budget clinic", start=timezone.now() + datetime.timedelta(minutes=30)
    )
    RegistrationFactory(
        session=session,
        user=UserFactory(email="seat@example.org"),
        queued_at=timezone.now() - datetime.timedelta(days=2),
    )

    InProcessBeat().run_due()

    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["seat@example.org"], "Starting soon: Budget clinic")
    ]


def test_runserver_beat_starts_the_schedule_only_without_a_broker(settings, monkeypatch):
    started = []
    monkeypatch.setattr(InProcessBeat, "__init__", lambda self: None)
    monkeypatch.setattr(InProcessBeat, "start", lambda self: started.append(self))
    monkeypatch.setattr(runserver_beat.RunserverCommand, "inner_run", lambda *a, **k: None)

    settings.CELERY_TASK_ALWAYS_EAGER = True
    runserver_beat.Command().inner_run()
    assert len(started) == 1

    settings.CELERY_TASK_ALWAYS_EAGER = False  # REDIS_URL set: celery beat's work
    runserver_beat.Command().inner_run()
    assert len(started) == 1


def _base_url(**variables):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"PORT", "PORTAL_BASE_URL", "DJANGO_CSRF_TRUSTED_ORIGINS"}
    }
    return run_python(
        "import django; django.setup()\n"
        "from django.conf import settings\n"
        "print(settings.PORTAL_BASE_URL, *settings.CSRF_TRUSTED_ORIGINS)",
        env=env | {"DJANGO_SETTINGS_MODULE": "network_portal.settings"} | variables,
    )


def test_links_follow_the_port_served_unless_the_public_address_is_set():
    assert _base_url() == "http://127.0.0.1:8000 http://127.0.0.1:8000"
    assert _base_url(PORT="8101") == "http://127.0.0.1:8101 http://127.0.0.1:8101"
    assert (
        _base_url(PORT="8101", PORTAL_BASE_URL="https://portal.example.org/")
        == "https://portal.example.org https://portal.example.org"
    )


@pytest.mark.skipif(shutil.which("make") is None, reason="make is missing")
def test_make_run_serves_on_the_port_given_with_the_in_process_schedule():
    commands = subprocess.run(
        ["make", "--dry-run", "-o", ".venv/.installed", "run", "PORT=8101"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "manage.py runserver_beat 127.0.0.1:8101" in commands
