"""The weekly email of 10,000 people: the exactly-once pipeline against a plain loop.

    DATABASE_URL=postgres://postgres@localhost:5432/network_portal_bench_digest \
        .venv/bin/python bench/digest.py --users 10000 --runs 3

Creates the database if needed, migrates it and fills it once (reused on later runs) with
``--users`` people in five time zones and three languages, all getting the weekly email on
Mondays, with varied content: seven in ten have a profile (one to three of the nine categories,
one or two working languages, five precomputed similar members), one in five a weekly fund
alert (some without a profile), three in ten follow calls; 60 calls (half published in the
week, half closing in the next two), 80 coaching sessions in the next two weeks, new members and
changed profiles in the week. Some people have nothing new and get no email.

An SMTP sink (aiosmtpd, its own process, a free port of 127.0.0.1) takes 5 ms to accept each
message, as a relay does. Each run times, one after the other, on the same Tuesday of
November 2026 (every Monday 08:00 of the five zones has passed):

- pipeline: ``network_portal.weekly.services.weekly_emails_run_due``: owe one
  ``WeeklyEmailDelivery`` row per person and period, claim rows under row locks, build each email
  from the sections every app registered (``registry.WEEKLY_EMAIL_SECTIONS``), send it over
  Django's SMTP backend, mark each row sent (or closed when empty);
- plain loop: for the same people, the same section functions and templates
  (``weekly.emails.weekly_message`` on the rows in memory), each email sent over one SMTP
  connection, with no rows written, no claims and no marks.

It prints messages per second of each side and their ratio per run, the load average of the
machine around each side, then the medians (targets: pipeline / plain loop at most 1.3x, all
emails within 10 minutes on one worker). Not part of `make test`.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from common import start  # noqa: E402

os.environ.setdefault(
    "DATABASE_URL", "postgres://postgres@localhost:5432/network_portal_bench_digest"
)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "network_portal.settings")
# Tasks are called in-process; no broker is needed.
os.environ.pop("REDIS_URL", None)

PREFIX = "bench-weekly-"
RELAY_DELAY = 0.005
TARGET_PEOPLE = 10_000  # the time for this many is printed, scaled from the people timed
UTC = datetime.UTC
# A Tuesday: every zone's Monday 08:00 has passed. The week's news is dated Thursday.
NOW = datetime.datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
IN_THE_WEEK = datetime.datetime(2026, 11, 19, 12, 0, tzinfo=UTC)
LONG_AGO = NOW - datetime.timedelta(days=90)
ZONES = ["Asia/Manila", "Europe/Zurich", "America/Bogota", "Africa/Nairobi", "UTC"]
COUNTRIES = ["PH", "CH", "CO", "KE", "SN", "IN", "FR", "MX", "EG", "JO"]
LANGUAGES = ["en", "fr", "es"]


def fill(users_count):
    """The people, profiles, alerts, follows, calls, sessions and neighbours; created once."""
    from accounts.models import User
    from categories.models import Category
    from coaching.models import CoachingSession
    from connections.models import Neighbour
    from funds.models import Follow, FundAlert, FundCall
    from members.models import Member
    from network_portal.weekly.models import WeeklyEmail

    if WeeklyEmail.objects.filter(user__email__startswith=PREFIX).count() == users_count:
        return False
    rng = random.Random(2026)
    User.objects.filter(email__startswith=PREFIX).delete()
    FundCall.objects.filter(title__startswith="Bench weekly").delete()
    CoachingSession.objects.filter(title__startswith="Bench weekly").delete()
    categories = list(Category.objects.all())
    users = User.objects.bulk_create(
        [
            User(
                email=f"{PREFIX}{n}@example.org",
                full_name=f"Weekly Reader {n}",
                password="!",
                preferred_language=LANGUAGES[n % 3],
                time_zone=ZONES[n % len(ZONES)],
            )
            for n in range(users_count)
        ],
        batch_size=2_000,
    )
    WeeklyEmail.objects.bulk_create(
        [
            WeeklyEmail(user=user, weekday=0, chosen_at=LONG_AGO, anchor=LONG_AGO.date())
            for user in users
        ],
        batch_size=2_000,
    )
    with_profile = [user for user in users if rng.random() < 0.7]
    members = Member.objects.bulk_create(
        [
            Member(
                name=f"Bench Weekly Lab {user.pk}",
                member_type=Member.Type.NGO,
                country=rng.choice(COUNTRIES),
                owner=user,
                status=Member.Status.LISTED,
                approved_at=IN_THE_WEEK if rng.random() < 0.03 else LONG_AGO,
                project_title="Matching training to local jobs",
            )
            for user in with_profile
        ],
        batch_size=2_000,
    )
    Member.categories.through.objects.bulk_create(
        [
            Member.categories.through(member_id=member.pk, category_id=category.pk)
            for member in members
            for category in rng.sample(categories, rng.randint(1, 3))
        ],
        batch_size=5_000,
    )
    Member.languages.through.objects.bulk_create(
        [
            Member.languages.through(member_id=member.pk, language_id=code)
            for member in members
            for code in rng.sample(LANGUAGES, rng.randint(1, 2))
        ],
        batch_size=5_000,
    )
    ids = [member.pk for member in members]
    changed = rng.sample(ids, len(ids) // 20)
    Member.objects.filter(pk__in=ids).update(updated_at=LONG_AGO)
    Member.objects.filter(pk__in=changed).update(updated_at=IN_THE_WEEK)
    Neighbour.objects.bulk_create(
        [
            Neighbour(member_id=pk, neighbour_id=other, score=rng.random())
            for pk in ids
            for other in {rng.choice(ids) for _ in range(5)} - {pk}
        ],
        batch_size=5_000,
    )

    calls = FundCall.objects.bulk_create(
        [
            FundCall(
                title=f"Bench weekly call {n}",
                funder="Bench Foundation",
                source_type=FundCall.SourceType.FOUNDATION,
                description="Grants for innovations that match skills to jobs.",
                link=f"https://funder.example.org/{n}",
                status=FundCall.Status.PUBLISHED,
                published_at=IN_THE_WEEK if n % 2 else LONG_AGO,
                deadline=NOW + datetime.timedelta(days=rng.randint(20, 60) if n % 2 else n % 12),
                eligible_regions=[] if n % 3 else [rng.choice(["africa", "americas"])],
            )
            for n in range(60)
        ]
    )
    FundCall.categories.through.objects.bulk_create(
        [
            FundCall.categories.through(fundcall_id=call.pk, category_id=category.pk)
            for call in calls
            for category in rng.sample(categories, rng.randint(1, 2))
        ]
    )
    closing = [call for n, call in enumerate(calls) if n % 2 == 0]
    Follow.objects.bulk_create(
        [
            Follow(user=user, call=call)
            for user in users
            if rng.random() < 0.3
            for call in rng.sample(closing, rng.randint(1, 3))
        ],
        batch_size=5_000,
    )
    alerted = [user for user in users if rng.random() < 0.2]
    alerts = FundAlert.objects.bulk_create(
        [FundAlert(user=user, frequency=FundAlert.Frequency.WEEKLY) for user in alerted],
        batch_size=2_000,
    )
    FundAlert.categories.through.objects.bulk_create(
        [
            FundAlert.categories.through(fundalert_id=alert.pk, category_id=category.pk)
            for alert in alerts
            if rng.random() < 0.5
            for category in rng.sample(categories, 2)
        ],
        batch_size=5_000,
    )
    sessions = CoachingSession.objects.bulk_create(
        [
            CoachingSession(
                title=f"Bench weekly circle {n}",
                kind="peer-circle",
                language_id=LANGUAGES[n % 3],
                time_zone=ZONES[n % len(ZONES)],
                start=NOW + datetime.timedelta(hours=3 + 4 * n),
                end=NOW + datetime.timedelta(hours=4 + 4 * n),
            )
            for n in range(80)
        ]
    )
    CoachingSession.categories.through.objects.bulk_create(
        [
            CoachingSession.categories.through(coachingsession_id=session.pk, category_id=c.pk)
            for session in sessions
            for c in rng.sample(categories, rng.randint(1, 2))
        ]
    )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return True


def clear_rows():
    from django.db import connection

    from network_portal.weekly.models import WeeklyEmailDelivery

    WeeklyEmailDelivery.objects.filter(user__email__startswith=PREFIX).delete()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE weekly_weeklyemaildelivery")


def warm_up(count=50):
    """Build a few emails, untimed: templates compiled, caches and the database's buffers warm,
    so that the first side timed does not pay for what the second gets for free."""
    from network_portal.weekly import services
    from network_portal.weekly.emails import weekly_message
    from network_portal.weekly.models import WeeklyEmailDelivery

    clear_rows()
    services.weekly_emails_create_due(now=NOW)
    rows = WeeklyEmailDelivery.objects.select_related("user", "user__weekly_email")
    for row in rows.order_by("?")[:count]:
        weekly_message(row)
    clear_rows()


def run_pipeline():
    """Owe, claim, build, send and mark every weekly email; returns (sent, owed, seconds)."""
    from network_portal.weekly import services
    from network_portal.weekly.models import WeeklyEmailDelivery

    clear_rows()
    began = time.perf_counter()
    sent = services.weekly_emails_run_due(now=NOW)
    elapsed = time.perf_counter() - began
    rows = WeeklyEmailDelivery.objects.filter(user__email__startswith=PREFIX)
    assert rows.filter(sent_at__isnull=True, failed_at__isnull=True).count() == 0
    return sent, rows.count(), elapsed


def run_plain_loop():
    """The same people's emails, built by the same function, sent over one connection; the
    rows of the last pipeline run are only read (for each person's window), never written."""
    from django.core.mail import get_connection

    from network_portal.weekly import services
    from network_portal.weekly.emails import weekly_message
    from network_portal.weekly.models import WeeklyEmailDelivery

    if not WeeklyEmailDelivery.objects.filter(user__email__startswith=PREFIX).exists():
        services.weekly_emails_create_due(now=NOW)  # the plain loop first: windows, untimed
    rows = list(
        WeeklyEmailDelivery.objects.filter(user__email__startswith=PREFIX)
        .select_related("user", "user__weekly_email")
        .order_by("pk")
    )
    sent = 0
    began = time.perf_counter()
    with get_connection() as connection:
        for row in rows:
            message = weekly_message(row)
            if message is None:
                continue
            message.connection = connection
            message.send()
            sent += 1
    return sent, len(rows), time.perf_counter() - began


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each side")
    parser.add_argument(
        "--plain-first", action="store_true", help="time the plain loop before the pipeline"
    )
    args = parser.parse_args()

    port, counter, sink = start(sink_delay=RELAY_DELAY)
    began = time.perf_counter()
    if fill(args.users):
        sys.stdout.write(f"filled in {time.perf_counter() - began:.1f} s\n")
    sys.stdout.write(
        f"{args.users:,} people; SMTP sink on 127.0.0.1:{port}, "
        f"{RELAY_DELAY * 1000:.0f} ms per message; {os.cpu_count()} CPUs\n"
    )
    warm_up()
    ratios, pipeline_times, rates, loads = [], [], [], []
    for run in range(1, args.runs + 1):
        times = {}
        sides = [("pipeline", run_pipeline), ("plain", run_plain_loop)]
        for name, side in reversed(sides) if args.plain_first else sides:
            counter.value = 0
            load_before = os.getloadavg()[0]
            sent, people, times[name] = side()
            load_after = os.getloadavg()[0]
            loads.append((load_before + load_after) / 2)
            assert sent == counter.value, (name, sent, counter.value)
            sys.stdout.write(
                f"run {run} {name:8}: {sent:,} emails to {people:,} people in "
                f"{times[name]:6.1f} s ({sent / times[name]:5.1f} msg/s); "
                f"load {load_before:.1f} -> {load_after:.1f}\n"
            )
            if name == "pipeline":
                rates.append(sent / times[name])
                pipeline_times.append(times[name] * TARGET_PEOPLE / max(people, 1))
        ratios.append(times["pipeline"] / times["plain"])
        sys.stdout.write(f"run {run}: pipeline / plain loop {ratios[-1]:.2f}x\n")

    ratio = statistics.median(ratios)
    whole = statistics.median(pipeline_times)
    sys.stdout.write(
        f"median of {args.runs} runs: pipeline {statistics.median(rates):.1f} msg/s, "
        f"pipeline / plain loop {ratio:.2f}x (target <= 1.3x: "
        f"{'ok' if ratio <= 1.3 else 'MISSED'}); {TARGET_PEOPLE:,} people at that rate in "
        f"{whole:.0f} s "
        f"on one worker (target <= 600 s: {'ok' if whole <= 600 else 'MISSED'}); "
        f"median load average {statistics.median(loads):.1f} on {os.cpu_count()} CPUs\n"
    )
    sink.terminate()


if __name__ == "__main__":
    main()
