"""The weekly email through a real Celery worker and a real SMTP server, exactly once a period,
including for people who move time zone in the middle of one."""

import datetime
import zoneinfo

import pytest

from network_portal.weekly import services
from network_portal.weekly.models import WeeklyEmailDelivery
from network_portal.weekly.tasks import send_weekly_emails

from ..factories import UserFactory
from ..funds.factories import FollowFactory, FundCallFactory

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
LOS_ANGELES = zoneinfo.ZoneInfo("America/Los_Angeles")


def person(email, time_zone, weekday, *, chosen):
    """Someone who follows a call closing in 15 days (news for every email) and gets the
    weekly email on ``weekday`` since ``chosen``."""
    user = UserFactory(email=email, time_zone=time_zone)
    call = FundCallFactory(deadline=chosen + datetime.timedelta(days=15))
    FollowFactory(user=user, call=call)
    services.weekly_email_save(user=user, frequency="weekly", weekday=weekday, now=chosen)
    return user


def beat(celery_worker, times=2):
    """The beat fires (twice: a redelivered task, two beats) and the worker does the work."""
    for _ in range(times):
        send_weekly_emails.delay()
    celery_worker.wait_until_idle()


@pytest.mark.django_db(transaction=True)
def test_moving_time_zone_mid_week_brings_one_email_not_zero_or_two(
    celery_worker, smtp_relay, time_machine
):
    chosen = datetime.datetime(2026, 12, 1, 12, 0, tzinfo=datetime.UTC)
    time_machine.move_to(chosen)
    # Monday mornings, first in Tokyo, then (after that Monday's email) in Los Angeles, where
    # that Monday 08:00 comes 17 hours later: it must not bring a second email.
    eastward = person("tokyo-to-la@example.org", "Asia/Tokyo", 0, chosen=chosen)
    # Sunday mornings in Los Angeles until Sunday 07:00 there, when the move to Tokyo lands on
    # Monday 00:00: that week's Sunday 08:00 has passed in Tokyo, and the email is still owed.
    westward = person("la-to-tokyo@example.org", "America/Los_Angeles", 6, chosen=chosen)

    time_machine.move_to(datetime.datetime(2026, 12, 7, 8, 5, tzinfo=TOKYO))
    beat(celery_worker)
    assert smtp_relay.received() == ["la-to-tokyo@example.org", "tokyo-to-la@example.org"]

    eastward.time_zone = "America/Los_Angeles"
    eastward.save(update_fields=["time_zone"])
    time_machine.move_to(datetime.datetime(2026, 12, 7, 8, 5, tzinfo=LOS_ANGELES))
    beat(celery_worker)
    assert smtp_relay.received().count("tokyo-to-la@example.org") == 1

    time_machine.move_to(datetime.datetime(2026, 12, 13, 7, 0, tzinfo=LOS_ANGELES))
    beat(celery_worker)
    assert smtp_relay.received().count("la-to-tokyo@example.org") == 1
    westward.time_zone = "Asia/Tokyo"
    westward.save(update_fields=["time_zone"])
    beat(celery_worker)
    assert smtp_relay.received().count("la-to-tokyo@example.org") == 2

    time_machine.move_to(datetime.datetime(2026, 12, 14, 8, 5, tzinfo=LOS_ANGELES))
    beat(celery_worker)
    assert smtp_relay.received().count("tokyo-to-la@example.org") == 2
    assert smtp_relay.received().count("la-to-tokyo@example.org") == 2
    assert sorted(
        WeeklyEmailDelivery.objects.filter(sent_at__isnull=False).values_list(
            "user__email", "period"
        )
    ) == [
        ("la-to-tokyo@example.org", "2026-W49"),
        ("la-to-tokyo@example.org", "2026-W50"),
        ("tokyo-to-la@example.org", "2026-W50"),
        ("tokyo-to-la@example.org", "2026-W51"),
    ]
