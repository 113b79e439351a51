"""Statistics page benchmark: /network/statistics/ at 100,000 members, as ILO staff sees it.

    DATABASE_URL=postgres://postgres@localhost:5432/network_portal_bench \
        python bench/network_statistics.py

(Not ``bench/statistics.py``: the scripts run with ``bench/`` first on ``sys.path``, where that
name would hide the standard library's ``statistics`` from ``bench/directory.py``.)

Reuses the directory benchmark's database and 100k members (``bench/directory.py``'s ``fill``:
created once, reused after), then, once, spreads the members' creation, claim and approval
dates over two years and adds activity: 20,000 connections, fund calls with follows, alerts,
suggestions and partner requests, coaching sessions with registrations, and needs assessments.
Runs with production settings (DEBUG off, cached templates, the static manifest).

Prints, for the default range (the last twelve months) and a two-year range:
- cold: the whole request when nothing is cached (every aggregate computed), and its queries;
- warm: the median of ``--runs`` requests (the aggregates read from the cache).
Target: <= 300 ms server time, warm; the cold time is what the first viewer in five minutes
waits. Not part of `make test`.
"""

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import directory  # noqa: E402 (sets the production environment, then Django)
from common import ensure_database  # noqa: E402

TARGET_MS = 300
CONNECTIONS = 20_000
SEED = "bench-statistics"


say = directory.say


def add_activity():
    """Dates over two years and activity for the statistics to count; once per database."""
    import random

    from django.db import connection, transaction
    from django.utils import timezone

    from categories.models import Category
    from coaching.models import CoachingSession, Registration
    from connections.models import Introduction
    from funds.models import Follow, FundAlert, FundCall, PartnerRequest
    from members.models import Language, Member
    from members.needs_models import NeedsAnswer, NeedsAssessment, NeedsQuestion

    if FundCall.objects.filter(funder=SEED).exists():
        say("reusing the activity added earlier")
        return
    started = time.perf_counter()
    rng = random.Random(13)
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        # Creation over two years; claims a few days later; approvals for listed profiles.
        cursor.execute(
            "UPDATE members_member SET created_at = now() - (id %% 730) * interval '1 day',"
            " claimed_at = CASE WHEN imported AND owner_id IS NOT NULL"
            "   THEN now() - (id %% 700) * interval '1 day' END,"
            " approved_at = CASE WHEN status = 'listed'"
            "   THEN now() - (id %% 725) * interval '1 day' END",
            [],
        )
        say("  dates spread")
        ids = list(Member.objects.order_by().values_list("pk", flat=True))
        owners = dict(Member.objects.filter(owner__isnull=False).values_list("pk", "owner_id"))
        pairs = set()
        while len(pairs) < CONNECTIONS:
            a, b = rng.sample(ids, 2)
            if a in owners:
                pairs.add((min(a, b), max(a, b)))
        Introduction.objects.bulk_create(
            [
                Introduction(
                    sender_id=a,
                    recipient_id=b,
                    sender_user_id=owners.get(a),
                    message="A benchmark introduction.",
                    status=Introduction.Status.ACCEPTED,
                    created_at=now - datetime.timedelta(days=rng.randrange(730)),
                    answered_at=now,
                    accepted_at=now - datetime.timedelta(days=rng.randrange(700)),
                )
                for a, b in pairs
            ],
            batch_size=5000,
        )
        say(f"  {CONNECTIONS} connections")
        user_ids = list(owners.values())
        categories = list(Category.objects.all())
        calls = FundCall.objects.bulk_create(
            [
                FundCall(
                    title=f"Benchmark call {index}",
                    funder=SEED,
                    source_type=FundCall.SourceType.FOUNDATION,
                    description="A call to count.",
                    link=f"https://funder.example.org/{index}",
                    deadline=now + datetime.timedelta(days=30),
                    deadline_time_zone="UTC",
                    status=FundCall.Status.PUBLISHED,
                    published_at=now,
                    suggested_by_id=rng.choice(user_ids) if index % 4 == 0 else None,
                )
                for index in range(200)
            ]
        )
        Follow.objects.bulk_create(
            [
                Follow(user_id=user_id, call=rng.choice(calls))
                for user_id in rng.sample(user_ids, 10_000)
            ]
        )
        FundAlert.objects.bulk_create(
            [FundAlert(user_id=user_id) for user_id in rng.sample(user_ids, 5_000)]
        )
        posters = rng.sample(sorted(owners.items()), 1_000)
        PartnerRequest.objects.bulk_create(
            [
                PartnerRequest(
                    call=rng.choice(calls),
                    member_id=member_id,
                    user_id=user_id,
                    role=PartnerRequest.Role.choices[0][0],
                    offer="Benchmark",
                    seeking="Benchmark",
                )
                for member_id, user_id in posters
            ]
        )
        english = Language.objects.get(code="en")
        sessions = CoachingSession.objects.bulk_create(
            [
                CoachingSession(
                    title=f"Benchmark circle {index}",
                    kind="peer-circle",
                    description="",
                    language=english,
                    time_zone="UTC",
                    start=now - datetime.timedelta(days=index),
                    end=now - datetime.timedelta(days=index, hours=-1),
                    capacity=30,
                )
                for index in range(400)
            ]
        )
        CoachingSession.categories.through.objects.bulk_create(
            [
                CoachingSession.categories.through(
                    coachingsession_id=session.pk, category_id=rng.choice(categories).pk
                )
                for session in sessions
            ]
        )
        Registration.objects.bulk_create(
            [
                Registration(
                    session=session,
                    user_id=user_id,
                    status=rng.choice(["registered", "registered", "waitlisted", "cancelled"]),
                    attended=rng.random() < 0.6,
                )
                for session in sessions
                for user_id in rng.sample(user_ids, 25)
            ]
        )
        questions = {
            question.slug: question
            for question in NeedsQuestion.objects.prefetch_related("options")
        }
        respondents = rng.sample(sorted(owners), 5_000)
        assessments = NeedsAssessment.objects.bulk_create(
            [
                NeedsAssessment(member_id=member_id, answered_at=now, time_zone="Africa/Nairobi")
                for member_id in respondents
            ]
        )
        answers, chosen = [], []
        for assessment in assessments:
            for slug in ("needs", "topics", "days", "times"):
                question = questions.get(slug)
                if question is None:
                    continue
                answers.append(
                    NeedsAnswer(
                        assessment=assessment, question=question, question_version=question.version
                    )
                )
                chosen.append(rng.sample(list(question.options.all()), 2))
        answers = NeedsAnswer.objects.bulk_create(answers, batch_size=5000)
        NeedsAnswer.options.through.objects.bulk_create(
            [
                NeedsAnswer.options.through(needsanswer_id=answer.pk, needsoption_id=option.pk)
                for answer, options in zip(answers, chosen, strict=True)
                for option in options
            ],
            batch_size=5000,
        )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    say(f"added activity in {time.perf_counter() - started:.0f} s")


def bench(staff, runs):
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from network.views_statistics import default_range

    client = Client()
    client.force_login(staff)
    start, end = default_range()
    ranges = {
        "last 12 months (default)": "",
        "two years": f"?start={end.replace(year=end.year - 2)}&end={end}",
        f"{start.year} Q1": f"?start={start.year}-01-01&end={start.year}-03-31",
    }
    say(f"\n/network/statistics/ as ILO staff (warm: median of {runs} runs)")
    say(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    header = f"{'range':28} {'cold':>9} {'queries':>8} {'warm':>9} {'queries':>8}"
    say(f"{header}  target <= {TARGET_MS} ms")
    worst = 0.0
    for label, query in ranges.items():
        url = f"/network/statistics/{query}"
        cache.clear()
        with CaptureQueriesContext(connection) as cold_queries:
            started = time.perf_counter()
            response = client.get(url)
            cold = time.perf_counter() - started
        assert response.status_code == 200, response.status_code
        times = []
        for _run in range(runs):
            with CaptureQueriesContext(connection) as warm_queries:
                started = time.perf_counter()
                client.get(url)
                times.append(time.perf_counter() - started)
        warm = sorted(times)[len(times) // 2]
        worst = max(worst, warm)
        say(
            f"{label:28} {cold * 1000:7.0f}ms {len(cold_queries.captured_queries):8} "
            f"{warm * 1000:7.1f}ms {len(warm_queries.captured_queries):8}  "
            f"{'met' if warm * 1000 <= TARGET_MS else 'MISSED'}"
        )
    return worst


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    options = parser.parse_args()
    ensure_database()
    directory.setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    staff, _member_user = directory.fill()
    add_activity()
    worst = bench(staff, options.runs)
    say(f"\nload average {os.getloadavg()[0]:.1f} at the end")
    say(f"target: warm <= {TARGET_MS} ms: {'met' if worst * 1000 <= TARGET_MS else 'MISSED'}")


if __name__ == "__main__":
    main()
