"""A new call announced to its subscribers: exactly-once delivery against a plain loop, and two
worker processes against one.

    DATABASE_URL=postgres://postgres@localhost:5432/network_portal_bench \
        .venv/bin/python bench/alerts.py --subscribers 3000 --runs 3

Creates the database if needed, migrates it and fills it once with the subscribers (users with
an immediate fund alert for every category, in English, French and Spanish, in five time zones;
reused on later runs). An SMTP sink (aiosmtpd, in its own process, on a free port of 127.0.0.1)
takes 5 ms to accept each message, as a relay that writes it to its queue does, and serves
connections concurrently. Each run times, one after the other:

- fan-out: ``funds.services.fundcall_publish`` on a new call, which owes one delivery row per
  subscriber and, after commit, runs ``funds.tasks.send_fund_emails`` in-process (as Celery's
  eager mode does): claim rows with ``skip_locked``, render each email, send it over Django's
  SMTP backend, mark its row sent;
- plain loop: the same emails, each rendered by the same function and sent over one SMTP
  connection, with no rows, claims or marks;
- one worker, then two: delivery rows for a new call, then 1 or 2 processes (forked, Django set
  up, each with its own database and SMTP connection) running ``fund_emails_send`` at once.

It prints messages per second and the medians over the runs of fan-out / plain loop (target:
at most 1.3x) and of two workers' rate / one worker's (target: at least 1.6x), and what separates
fan-out from the plain loop per email beside the time of one committed single-row UPDATE (each
sent mark is one: PostgreSQL waits for the disk before the commit returns). The machine's
other load shows in the numbers: each run times the sides back to back, and the medians of the
per-run ratios are what to compare. Not part of `make test`.
"""

import argparse
import multiprocessing
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from common import start  # noqa: E402

os.environ.setdefault("DATABASE_URL", "postgres://postgres@localhost:5432/network_portal_bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "network_portal.settings")
# Tasks run in-process (eager), as without Redis; no broker is needed.
os.environ.pop("REDIS_URL", None)

EMAIL_PREFIX = "bench-alert-"
TITLE = "Bench: Global Skills Innovation Challenge"
RELAY_DELAY = 0.005


def fill(subscribers):
    """``subscribers`` users, each with an immediate alert for every category; created once."""
    from accounts.models import User
    from funds.models import FundAlert

    if FundAlert.objects.filter(user__email__startswith=EMAIL_PREFIX).count() == subscribers:
        return False
    User.objects.filter(email__startswith=EMAIL_PREFIX).delete()
    zones = ["Asia/Manila", "Europe/Zurich", "America/Bogota", "Africa/Nairobi", "UTC"]
    languages = ["en", "fr", "es"]
    users = User.objects.bulk_create(
        [
            User(
                email=f"{EMAIL_PREFIX}{n}@example.org",
                full_name=f"Subscriber {n}",
                password="!",
                preferred_language=languages[n % 3],
                time_zone=zones[n % len(zones)],
            )
            for n in range(subscribers)
        ],
        batch_size=2_000,
    )
    FundAlert.objects.bulk_create(
        [FundAlert(user=user, frequency=FundAlert.Frequency.IMMEDIATE) for user in users],
        batch_size=2_000,
    )
    return True


def new_call(*, published):
    """A fresh call, with no delivery rows left from an earlier run."""
    import datetime

    from django.db import connection
    from django.utils import timezone

    from categories.models import Category
    from funds.models import FundCall

    FundCall.objects.filter(title=TITLE).delete()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE funds_fundcalldelivery")
    call = FundCall.objects.create(
        title=TITLE,
        funder="Bench Foundation",
        source_type=FundCall.SourceType.FOUNDATION,
        description="Grants for innovations that match skills to jobs.",
        link="https://funder.example.org/challenge",
        deadline=timezone.now() + datetime.timedelta(days=45),
        deadline_time_zone="Europe/Paris",
        amount_min=10_000,
        amount_max=100_000,
        currency="USD",
        status=FundCall.Status.PUBLISHED if published else FundCall.Status.SUGGESTED,
        published_at=timezone.now() if published else None,
    )
    call.categories.set(Category.objects.filter(slug="work-based-learning"))
    return call


def curator():
    from accounts.models import User

    user, _created = User.objects.get_or_create(
        email="bench-curator@example.org", defaults={"is_staff": True}
    )
    return user


def run_fan_out():
    from funds import services
    from funds.models import FundCallDelivery

    call = new_call(published=False)
    began = time.perf_counter()
    services.fundcall_publish(call=call, by=curator())  # sends after commit, in-process
    elapsed = time.perf_counter() - began
    owed = FundCallDelivery.objects.filter(call=call)
    assert owed.filter(sent_at__isnull=True).count() == 0
    return owed.count(), elapsed


def run_plain_loop():
    """The last run's emails, each rendered by the same function and sent; no rows touched."""
    from django.core.mail import get_connection

    from funds.emails import fundcall_message
    from funds.models import FundCallDelivery

    rows = list(
        FundCallDelivery.objects.filter(call__title=TITLE)
        .select_related("user", "call", "user__fund_alert")
        .order_by("pk")
    )
    began = time.perf_counter()
    with get_connection() as connection:
        for row in rows:
            message = fundcall_message(row)
            message.connection = connection
            message.send()
    return len(rows), time.perf_counter() - began


def commit_latency(samples=200):
    """Milliseconds one single-row UPDATE committed through the ORM takes: what a sent mark costs
    (PostgreSQL waits for the disk before a commit returns)."""
    from funds.models import FundCall

    call = FundCall.objects.filter(title=TITLE).first()
    began = time.perf_counter()
    for _ in range(samples):
        FundCall.objects.filter(pk=call.pk).update(funder="Bench Foundation")
    return (time.perf_counter() - began) / samples * 1000


def _worker(go, done):
    """One worker process: wait for the start, then send what it can claim."""
    from django.db import connections

    from funds import services

    connections.close_all()  # never share the parent's connection
    go.wait()
    done.put(services.fund_emails_send())
    connections.close_all()


def run_workers(count):
    """Rows for a new call, then ``count`` processes sending them at once."""
    from django.db import connections

    from accounts.models import User
    from funds.models import FundCallDelivery

    call = new_call(published=True)
    users = User.objects.filter(email__startswith=EMAIL_PREFIX).values_list("pk", flat=True)
    FundCallDelivery.objects.bulk_create(
        [FundCallDelivery(user_id=pk, call=call, kind="new-call") for pk in users],
        batch_size=2_000,
    )
    connections.close_all()
    context = multiprocessing.get_context("fork")
    go, done = context.Event(), context.Queue()
    workers = [context.Process(target=_worker, args=(go, done)) for _ in range(count)]
    for worker in workers:
        worker.start()
    time.sleep(1)  # let each set itself up
    began = time.perf_counter()
    go.set()
    sent = sum(done.get() for _ in workers)
    elapsed = time.perf_counter() - began
    for worker in workers:
        worker.join()
    return sent, elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=3_000)
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each side")
    args = parser.parse_args()
    subscribers = args.subscribers

    port, counter, sink = start(sink_delay=RELAY_DELAY)
    began = time.perf_counter()
    if fill(subscribers):
        sys.stdout.write(f"filled in {time.perf_counter() - began:.1f} s\n")
    sys.stdout.write(
        f"{subscribers:,} subscribers; SMTP sink on 127.0.0.1:{port}, "
        f"{RELAY_DELAY * 1000:.0f} ms per message\n"
    )

    def rate(seconds):
        return f"{seconds:6.2f} s ({subscribers / seconds:4.0f} msg/s)"

    fan_out_ratios, scaling = [], []
    for run in range(1, args.runs + 1):
        times = {}
        for name, side in [
            ("fan-out", run_fan_out),
            ("plain", run_plain_loop),
            ("1 worker", lambda: run_workers(1)),
            ("2 workers", lambda: run_workers(2)),
        ]:
            counter.value = 0
            sent, times[name] = side()
            assert sent == counter.value == subscribers, (name, sent, counter.value)
        commit = commit_latency()
        fan_out_ratios.append(times["fan-out"] / times["plain"])
        scaling.append(times["1 worker"] / times["2 workers"])
        sys.stdout.write(
            f"run {run}: "
            + " | ".join(f"{name} {rate(seconds)}" for name, seconds in times.items())
            + f" | fan-out / plain {fan_out_ratios[-1]:.2f}x, 2 / 1 workers {scaling[-1]:.2f}x"
            + f" | fan-out - plain {(times['fan-out'] - times['plain']) / subscribers * 1000:.1f}"
            + f" ms/email, one committed UPDATE {commit:.1f} ms\n"
        )

    ratio, speedup = statistics.median(fan_out_ratios), statistics.median(scaling)
    sys.stdout.write(
        f"median of {args.runs} runs: fan-out / plain loop {ratio:.2f}x "
        f"(target <= 1.3x: {'ok' if ratio <= 1.3 else 'MISSED'}); "
        f"two workers / one {speedup:.2f}x "
        f"(target >= 1.6x: {'ok' if speedup >= 1.6 else 'MISSED'})\n"
    )
    sink.terminate()


if __name__ == "__main__":
    main()
