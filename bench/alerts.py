"""New-call alerts to 10,000 subscribers: our exactly-once delivery against a plain smtplib loop.

    DATABASE_URL=postgres://postgres@localhost:5432/network_portal_bench \
        .venv/bin/python bench/alerts.py --runs 5

Creates the database if needed, migrates it and fills it once with 10,000 users, each with an
immediate fund alert for every category (in English, French and Spanish, in five time zones;
reused on later runs). An SMTP sink (aiosmtpd, in its own process, on a free port of 127.0.0.1)
counts what it accepts. Each run then times:

- ours: ``funds.services.fundcall_publish`` on a new call, which writes the 10,000 delivery rows
  and, after commit, runs ``funds.tasks.send_fund_emails`` (in-process, as Celery's eager mode
  does): claim 200 rows under row locks, render the email once per language and time zone and
  put each recipient's name, address and unsubscribe link into it, send it over one SMTP
  connection per chunk (``network_portal.emails.SMTPBackend``), mark it sent;
- plain: ``smtplib.SMTP.sendmail`` in a loop over one connection, sending the same 10,000
  messages, rendered beforehand (not timed): the floor set by the SMTP exchange alone;
- render + send: the same loop, but rendering each message on its own (three templates in the
  recipient's language and time zone, then MIME) inside the timed loop; no rows, claims or
  marks: what sending costs without a shared rendering.

Each run times the three in turn, so a busy neighbour on the machine weighs on all three alike;
it prints messages per second and this process's CPU time per message for each, and the median
over the runs of ours / plain (target: at most 2x) and of ours / render + send.
Not part of `make test`.
"""

import argparse
import os
import smtplib
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

SUBSCRIBERS = 10_000
EMAIL_PREFIX = "bench-alert-"
TITLE = "Bench: Global Skills Innovation Challenge"


def fill():
    """10,000 users, each with an immediate alert for every category; created once."""
    from accounts.models import User
    from funds.models import FundAlert

    if FundAlert.objects.filter(user__email__startswith=EMAIL_PREFIX).count() == SUBSCRIBERS:
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
            for n in range(SUBSCRIBERS)
        ],
        batch_size=2_000,
    )
    FundAlert.objects.bulk_create(
        [FundAlert(user=user, frequency=FundAlert.Frequency.IMMEDIATE) for user in users],
        batch_size=2_000,
    )
    return True


def new_call():
    """A fresh suggested call, with no delivery rows left from an earlier run."""
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
    )
    call.categories.set(Category.objects.filter(slug="work-based-learning"))
    return call


def curator():
    from accounts.models import User

    user, _created = User.objects.get_or_create(
        email="bench-curator@example.org", defaults={"is_staff": True}
    )
    return user


class Clock:
    """Wall-clock seconds and this process's CPU seconds (all its threads) of a block."""

    def __enter__(self):
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu


def run_ours():
    from funds import services
    from funds.models import FundCallDelivery

    call = new_call()
    with Clock() as clock:
        services.fundcall_publish(call=call, by=curator())  # sends after commit, in-process
    owed = FundCallDelivery.objects.filter(call=call)
    assert owed.filter(sent_at__isnull=True).count() == 0
    return owed.count(), clock


def rendered_messages():
    """The emails of the last run, rebuilt from its rows exactly as the task builds them."""
    from funds.emails import fundcall_message
    from funds.models import FundCallDelivery

    rows = (
        FundCallDelivery.objects.filter(call__title=TITLE)
        .select_related("user", "call", "user__fund_alert")
        .order_by("pk")
    )
    return [fundcall_message(row) for row in rows]


def run_plain(messages):
    """``sendmail`` over one connection, the messages already rendered to bytes."""
    from django.conf import settings

    payloads = [
        (message.from_email, message.recipients(), message.message().as_bytes(linesep="\r\n"))
        for message in messages
    ]
    with Clock() as clock, smtplib.SMTP(settings.EMAIL_HOST, settings.EMAIL_PORT) as smtp:
        for sender, recipients, payload in payloads:
            smtp.sendmail(sender, recipients, payload)
    return len(payloads), clock


def run_build_and_send():
    """``sendmail`` over one connection, rendering each message on its own; no rows."""
    from django.conf import settings

    from funds.emails import fundcall_message
    from funds.models import FundCallDelivery

    rows = list(
        FundCallDelivery.objects.filter(call__title=TITLE)
        .select_related("user", "call", "user__fund_alert")
        .order_by("pk")
    )
    with Clock() as clock, smtplib.SMTP(settings.EMAIL_HOST, settings.EMAIL_PORT) as smtp:
        for row in rows:
            message = fundcall_message(row)
            payload = message.message().as_bytes(linesep="\r\n")
            smtp.sendmail(message.from_email, message.recipients(), payload)
    return len(rows), clock


def rate(clock):
    return (
        f"{clock.wall:6.2f} s ({SUBSCRIBERS / clock.wall:5.0f} msg/s, "
        f"CPU {clock.cpu / SUBSCRIBERS * 1000:.2f} ms/msg)"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each side")
    args = parser.parse_args()

    port, counter, sink = start()
    began = time.perf_counter()
    if fill():
        sys.stdout.write(f"filled in {time.perf_counter() - began:.1f} s\n")
    sys.stdout.write(
        f"{SUBSCRIBERS:,} subscribers, one call published; SMTP sink on 127.0.0.1:{port}\n"
        "(msg/s: wall clock; CPU: this process's own, the sink and PostgreSQL not counted)\n"
    )

    ratios, build_ratios = [], []
    for run in range(1, args.runs + 1):
        sides = {}
        for name, side in [
            ("ours", run_ours),
            ("plain", lambda: run_plain(rendered_messages())),
            ("render", run_build_and_send),
        ]:
            counter.value = 0
            sent, sides[name] = side()
            assert sent == counter.value == SUBSCRIBERS, (name, sent, counter.value)
        ours, plain, build = sides["ours"], sides["plain"], sides["render"]
        ratios.append(ours.wall / plain.wall)
        build_ratios.append(ours.wall / build.wall)
        sys.stdout.write(
            f"run {run}: ours {rate(ours)} | plain smtplib {rate(plain)} | "
            f"render+send {rate(build)} | ours / plain {ratios[-1]:.2f}x\n"
        )

    ratio = statistics.median(ratios)
    verdict = "ok" if ratio <= 2 else "ABOVE TARGET"
    sys.stdout.write(
        f"ours / plain smtplib, median of {len(ratios)} runs: {ratio:.2f}x "
        f"(target <= 2x: {verdict}); ours / render+send: {statistics.median(build_ratios):.2f}x\n"
    )
    sink.terminate()


if __name__ == "__main__":
    main()
