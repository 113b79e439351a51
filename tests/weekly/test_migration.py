"""The fund digest's subscribers and emails carry over to the weekly email (funds 0005).

As tests/test_migrations.py does, on a brand-new PostgreSQL database in a fresh interpreter:
migrate to the last migration with the digest, write digest subscribers and rows as they were,
migrate to the end, then ask the weekly email what it owes.
"""

import json
import os
import uuid

import pytest
from django.db import connection

from ..processes import run_python

pytestmark = pytest.mark.django_db

SCRIPT = """
import datetime, json
import django
django.setup()
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

call_command("migrate", "funds", "0002", interactive=False, verbosity=0)
apps = MigrationExecutor(connection).loader.project_state(
    ("funds", "0002_delivery_deferred_since")
).apps
User = apps.get_model("accounts", "User")
FundAlert = apps.get_model("funds", "FundAlert")
Digest = apps.get_model("funds", "FundDigestDelivery")

now = timezone.now()
monday = now.date() - datetime.timedelta(days=now.weekday())  # this week, UTC
last_week = monday - datetime.timedelta(days=7)
due = datetime.datetime.combine(monday, datetime.time.min, tzinfo=datetime.UTC)

def user(email, time_zone="UTC", **alert):
    person = User.objects.create(email=email, time_zone=time_zone, password="!")
    if alert:
        FundAlert.objects.create(user=person, **alert)
    return person

sent = user("sent@example.org", "Asia/Tokyo", frequency="weekly")
Digest.objects.create(user=sent, week=last_week - datetime.timedelta(days=7),
                      due_at=due - datetime.timedelta(days=7), sent_at=due)
Digest.objects.create(user=sent, week=last_week, due_at=due, sent_at=due)
owed = user("owed@example.org", "America/Bogota", frequency="weekly")
Digest.objects.create(user=owed, week=last_week, due_at=due, attempts=2,
                      claimed_at=due, last_error="421 try later")
user("quiet@example.org", frequency="weekly")
user("gone@example.org", frequency="weekly", unsubscribed_at=now)
user("immediate@example.org", frequency="immediate")
user("no-alert@example.org")

call_command("migrate", interactive=False, verbosity=0)

from network_portal.weekly import services
from network_portal.weekly.models import WeeklyEmail, WeeklyEmailDelivery

def rows():
    return sorted(
        [email, period, sent is not None, failed is not None]
        for email, period, sent, failed in WeeklyEmailDelivery.objects.values_list(
            "user__email", "period", "sent_at", "failed_at"
        )
    )

report = {
    "settings": {
        s.user.email: [s.frequency, s.weekday]
        for s in WeeklyEmail.objects.select_related("user")
    },
    "rows": rows(),
    "pending": list(
        WeeklyEmailDelivery.objects.filter(
            sent_at__isnull=True, failed_at__isnull=True, claimed_at__isnull=True,
            due_at__lte=now,
        ).values_list("user__email", flat=True)
    ),
}
# The rest of this week: nothing more is owed to anyone (the carried rows hold the week).
services.weekly_emails_create_due(now=now + datetime.timedelta(minutes=1))
report["owed_this_week"] = len(rows()) - len(report["rows"])
# Next Monday 08:00 wherever they are: every subscriber is owed next week's email.
services.weekly_emails_create_due(now=due + datetime.timedelta(days=8))
report["next_week"] = sorted(
    WeeklyEmailDelivery.objects.filter(until__gt=due + datetime.timedelta(days=6))
    .values_list("user__email", flat=True)
)
print(json.dumps(report))
"""


@pytest.fixture(scope="module")
def carried_over(django_db_blocker):
    if connection.vendor != "postgresql":
        pytest.skip("The fresh-database check runs on PostgreSQL, as `make test` does.")
    with django_db_blocker.unblock():
        params = connection.settings_dict
        name = f"{params['NAME']}_digest_{uuid.uuid4().hex[:8]}"
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        try:
            auth = params["USER"] + (f":{params['PASSWORD']}" if params["PASSWORD"] else "")
            host = f"{params['HOST'] or 'localhost'}:{params['PORT'] or 5432}"
            env = {
                **os.environ,
                "DATABASE_URL": f"postgres://{auth}@{host}/{name}",
                "DJANGO_DEBUG": "true",
            }
            yield json.loads(run_python(SCRIPT, env=env, timeout=300))
        finally:
            with connection._nodb_cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


def test_digest_subscribers_get_the_weekly_email_on_mondays_and_nobody_else(carried_over):
    assert carried_over["settings"] == {
        "owed@example.org": ["weekly", 0],
        "quiet@example.org": ["weekly", 0],
        "sent@example.org": ["weekly", 0],
    }


def test_digests_sent_and_owed_become_weekly_email_rows_of_the_week_they_fell_due(
    carried_over,
):
    periods = {row[1] for row in carried_over["rows"]}
    assert len(periods) == 2
    this_week = max(periods)
    assert [row for row in carried_over["rows"] if row[1] == this_week] == [
        ["owed@example.org", this_week, False, False],
        ["sent@example.org", this_week, True, False],
    ]


def test_a_digest_still_owed_is_sent_by_the_weekly_email_not_lost(carried_over):
    assert carried_over["pending"] == ["owed@example.org"]


def test_nobody_gets_a_second_email_this_week_and_everyone_gets_next_weeks(carried_over):
    assert carried_over["owed_this_week"] == 0
    assert carried_over["next_week"] == [
        "owed@example.org",
        "quiet@example.org",
        "sent@example.org",
    ]
