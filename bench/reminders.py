"""Reminders for 2,000 sessions x 20 registrations: the exactly-once task against a plain loop.

    DATABASE_URL=postgres://postgres@localhost:5432/network_portal_bench_coaching \
        .venv/bin/python bench/reminders.py

Creates the database if needed, migrates it and fills it once with 2,000 sessions of 20
registrations each (reused on later runs). Every run moves the sessions to start within the next
day, so each registration is owed its 24-hour reminder, and starts an SMTP sink (aiosmtpd, in its
own process, on a free port of 127.0.0.1) that counts what it accepts. Then it times:

- the task (``coaching.tasks.send_session_reminders``): create the due reminder rows, claim them
  under row locks, render each email and hand it to the sink, marking each row sent;
- a plain loop that renders and sends the same emails, one SMTP connection per 200 as the task
  does, with no rows, no claims and no marks.

It prints both times, messages per second, and their ratio (target: at most 2x).
Not part of `make test`.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from common import start  # noqa: E402

os.environ.setdefault(
    "DATABASE_URL", "postgres://postgres@localhost:5432/network_portal_bench_coaching"
)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "network_portal.settings")
# Tasks are called in-process; no broker is needed.
os.environ.pop("REDIS_URL", None)

SESSIONS = 2_000
PER_SESSION = 20
USERS = 4_000
TITLE_PREFIX = "Bench circle"


def fill(sessions_count=SESSIONS):
    """``sessions_count`` sessions of 20 registrations over 4,000 people, created once."""
    from accounts.models import User
    from coaching.models import CoachingSession, Registration

    if CoachingSession.objects.filter(title__startswith=TITLE_PREFIX).count() == sessions_count:
        return False
    CoachingSession.objects.filter(title__startswith=TITLE_PREFIX).delete()
    User.objects.filter(email__startswith="bench-reminder-").delete()
    zones = ["Asia/Manila", "Europe/Zurich", "America/Bogota", "Africa/Nairobi", "UTC"]
    languages = ["en", "fr", "es"]
    users = User.objects.bulk_create(
        [
            User(
                email=f"bench-reminder-{n}@example.org",
                full_name=f"Participant {n}",
                password="!",
                preferred_language=languages[n % 3],
                time_zone=zones[n % len(zones)],
            )
            for n in range(USERS)
        ],
        batch_size=2_000,
    )
    start = _first_start()
    sessions = CoachingSession.objects.bulk_create(
        [
            CoachingSession(
                title=f"{TITLE_PREFIX} {n}",
                kind="peer-circle",
                language_id="en",
                time_zone=zones[n % len(zones)],
                start=start,
                end=start + _hour(),
                online_link=f"https://meet.example.org/bench-{n}",
                capacity=PER_SESSION,
            )
            for n in range(sessions_count)
        ],
        batch_size=2_000,
    )
    Registration.objects.bulk_create(
        [
            Registration(
                session=session,
                user=users[(index * PER_SESSION + seat) % USERS],
                status=Registration.Status.REGISTERED,
                queued_at=start - 3 * 24 * _hour(),
            )
            for index, session in enumerate(sessions)
            for seat in range(PER_SESSION)
        ],
        batch_size=5_000,
    )
    return True


def _hour():
    import datetime

    return datetime.timedelta(hours=1)


def _first_start():
    from django.utils import timezone

    return timezone.now() + 3 * _hour()


def reset():
    """Sessions start in three hours, joined days ago; no reminder row exists yet."""
    from django.db import connection

    from coaching.models import CoachingSession, Registration, SessionReminder

    start = _first_start()
    sessions = CoachingSession.objects.filter(title__startswith=TITLE_PREFIX)
    sessions.update(start=start, end=start + _hour(), status="scheduled")
    Registration.objects.filter(session__in=sessions).update(
        status="registered", queued_at=start - 3 * 24 * _hour()
    )
    SessionReminder.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE coaching_sessionreminder")
        cursor.execute("VACUUM ANALYZE coaching_registration")


def run_task():
    from coaching.models import SessionReminder
    from coaching.services import reminders_create_due
    from coaching.tasks import send_session_reminders

    began = time.perf_counter()
    sent = send_session_reminders()
    elapsed = time.perf_counter() - began
    assert SessionReminder.objects.filter(sent_at__isnull=True).count() == 0
    # The row creation alone, measured again on the same data: nothing new, so only the scan.
    rescan = time.perf_counter()
    reminders_create_due()
    return sent, elapsed, time.perf_counter() - rescan


def run_plain_loop():
    """Render and send the same emails with no rows, claims or marks."""
    from django.core.mail import get_connection

    from coaching.emails import reminder_message
    from coaching.models import Registration, SessionReminder

    began = time.perf_counter()
    registrations = list(
        Registration.objects.filter(
            session__title__startswith=TITLE_PREFIX, status=Registration.Status.REGISTERED
        )
        .select_related("session", "user")
        .order_by("pk")
    )
    sent = 0
    for offset in range(0, len(registrations), 200):
        connection = get_connection()
        connection.open()
        for registration in registrations[offset : offset + 200]:
            reminder = SessionReminder(
                registration=registration,
                kind=SessionReminder.Kind.DAY_BEFORE,
                session_start=registration.session.start,
            )
            message = reminder_message(reminder)
            message.connection = connection
            message.send()
            sent += 1
        connection.close()
    return sent, time.perf_counter() - began


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1, help="timed runs of each side")
    parser.add_argument("--sessions", type=int, default=SESSIONS, help="sessions of 20 people")
    args = parser.parse_args()

    port, counter, sink = start()
    began = time.perf_counter()
    if fill(args.sessions):
        sys.stdout.write(f"filled in {time.perf_counter() - began:.1f} s\n")
    expected = args.sessions * PER_SESSION
    sys.stdout.write(
        f"{args.sessions:,} sessions x {PER_SESSION} registrations = {expected:,} reminders due; "
        f"SMTP sink on 127.0.0.1:{port}\n"
    )

    task_times, loop_times = [], []
    for run in range(1, args.runs + 1):
        reset()
        counter.value = 0
        loop_sent, loop_time = run_plain_loop()
        assert loop_sent == counter.value == expected, (loop_sent, counter.value)

        reset()
        counter.value = 0
        task_sent, task_time, scan_time = run_task()
        assert task_sent == counter.value == expected, (task_sent, counter.value)
        task_times.append(task_time)
        loop_times.append(loop_time)
        sys.stdout.write(
            f"run {run}: plain loop {loop_time:6.1f} s ({expected / loop_time:5.0f}/s)   "
            f"task {task_time:6.1f} s ({expected / task_time:5.0f}/s)   "
            f"ratio {task_time / loop_time:.2f}x   (next beat, nothing new: {scan_time:.2f} s)\n"
        )

    task, loop = statistics.median(task_times), statistics.median(loop_times)
    verdict = "ok" if task / loop <= 2 else "ABOVE TARGET"
    sys.stdout.write(
        f"median: plain loop {loop:.1f} s, task {task:.1f} s, ratio {task / loop:.2f}x "
        f"(target <= 2x: {verdict})\n"
    )
    sink.terminate()


if __name__ == "__main__":
    main()
