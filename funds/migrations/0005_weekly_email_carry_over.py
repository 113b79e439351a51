"""The fund digest becomes the weekly email: its subscribers and its emails carry over.

Everyone whose fund alert asked for the weekly digest (and who had not unsubscribed) gets the
weekly email every Monday at 08:00 in their time zone. Every digest row, sent or owed, becomes the
weekly email row of the week it fell due in (a digest of one week went out on the next Monday):
a digest already sent keeps that week from getting a second email, and one still owed is sent by
the weekly email's worker with everything since that week began, so nobody loses it.
"""

import datetime
import zoneinfo

from django.db import migrations
from django.utils import timezone


def _zone(name):
    try:
        return zoneinfo.ZoneInfo(name or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def _week_key(day):
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def carry_over(apps, schema_editor):
    FundAlert = apps.get_model("funds", "FundAlert")
    FundDigestDelivery = apps.get_model("funds", "FundDigestDelivery")
    WeeklyEmail = apps.get_model("weekly", "WeeklyEmail")
    WeeklyEmailDelivery = apps.get_model("weekly", "WeeklyEmailDelivery")
    now = timezone.now()
    subscribers = FundAlert.objects.filter(frequency="weekly", unsubscribed_at__isnull=True)
    taken = set(WeeklyEmail.objects.values_list("user_id", flat=True))
    settings = []
    for user_id, time_zone in subscribers.values_list("user_id", "user__time_zone"):
        if user_id in taken:
            continue
        today = now.astimezone(_zone(time_zone)).date()
        settings.append(
            WeeklyEmail(
                user_id=user_id,
                frequency="weekly",
                weekday=0,
                chosen_at=now,
                anchor=today - datetime.timedelta(days=today.weekday()),
            )
        )
    WeeklyEmail.objects.bulk_create(settings, batch_size=1000)

    rows = []
    for digest in FundDigestDelivery.objects.order_by("pk").iterator(chunk_size=1000):
        start = datetime.datetime.combine(digest.week, datetime.time.min, tzinfo=datetime.UTC)
        owed = digest.sent_at is None and digest.failed_at is None
        rows.append(
            WeeklyEmailDelivery(
                user_id=digest.user_id,
                period=_week_key(digest.week + datetime.timedelta(days=7)),
                since=start,
                until=start + datetime.timedelta(days=7),
                due_at=digest.due_at,
                sent_at=digest.sent_at,
                failed_at=digest.failed_at,
                # A claim of the old code dies with it; an owed row starts afresh.
                attempts=0 if owed else digest.attempts,
                deferred_since=digest.deferred_since,
                last_error=digest.last_error,
            )
        )
    WeeklyEmailDelivery.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("funds", "0004_one_partner_request_per_role"),
        ("weekly", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(carry_over, migrations.RunPython.noop),
    ]
