"""Writes of the weekly email: a person's choice, the emails owed, and sending them.

Each email owed is a ``WeeklyEmailDelivery`` row, unique per person and period, created by the
beat's round when the person's latest send moment has passed; ``network_portal.delivery`` then
sends each row once. What goes in it is decided at sending time from the sections every app
registered (``emails.weekly_message``); a person with nothing new gets no email.
"""

import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from network_portal import delivery

from . import emails, periods
from .models import WeeklyEmail, WeeklyEmailDelivery

# However long since the last email, one email never reaches back further than this.
LONGEST_WINDOW = datetime.timedelta(days=35)


def weekly_email_save(*, user, frequency, weekday, now=None):
    """Set how often and on which weekday ``user`` gets the weekly email; atomic.

    Changing either starts the count again: fortnights are counted from this week, and no email
    is owed for a send moment before now (so a change never brings a second email this week).
    """
    now = now or timezone.now()
    zone = periods.zone_for(user.time_zone)
    with transaction.atomic():
        setting, created = WeeklyEmail.objects.select_for_update().get_or_create(
            user=user,
            defaults={
                "frequency": frequency,
                "weekday": weekday,
                "chosen_at": now,
                "anchor": periods.monday_of(now.astimezone(zone).date()),
            },
        )
        if not created and (setting.frequency, setting.weekday) != (frequency, weekday):
            setting.frequency, setting.weekday = frequency, weekday
            setting.chosen_at = now
            setting.anchor = periods.monday_of(now.astimezone(zone).date())
            setting.save()
    return setting


def weekly_email_subscribe(*, user, now=None):
    """Make sure ``user`` gets the weekly email (every Monday unless they chose otherwise).

    For apps that put something in it on the person's request (a fund alert, a follow set to
    "weekly"); idempotent, leaves an existing choice other than "never" alone.
    """
    setting = WeeklyEmail.objects.filter(user=user).first()
    if setting is not None and setting.is_subscribed:
        return setting
    weekday = setting.weekday if setting else WeeklyEmail.Weekday.MONDAY
    return weekly_email_save(
        user=user, frequency=WeeklyEmail.Frequency.WEEKLY, weekday=weekday, now=now
    )


def weekly_email_unsubscribe(*, setting):
    """Stop the weekly email (one click from the email); idempotent. Returns whether it changed."""
    changed = (
        WeeklyEmail.objects.filter(pk=setting.pk)
        .exclude(frequency=WeeklyEmail.Frequency.NEVER)
        .update(frequency=WeeklyEmail.Frequency.NEVER, chosen_at=timezone.now())
    )
    return bool(changed)


def _due(settings, now):
    """``{user_id: (moment, since)}`` for the settings whose latest send moment has passed."""
    moments = {}
    due = {}
    for user_id, time_zone, frequency, weekday, anchor, chosen_at in settings:
        choice = {
            "frequency": frequency,
            "weekday": weekday,
            "anchor": anchor if frequency == WeeklyEmail.Frequency.FORTNIGHTLY else None,
            "zone": time_zone,
        }
        key = tuple(choice.values())
        if key not in moments:  # a few hundred distinct choices, whatever the number of people
            choice["zone"] = periods.zone_for(time_zone)
            moment = periods.latest_moment(now=now, **choice)
            moments[key] = (moment, periods.previous_moment(moment, **choice))
        moment, previous = moments[key]
        if moment.at >= chosen_at:
            due[user_id] = (moment, previous.at)
    return due


def weekly_emails_create_due(*, now=None):
    """Owe each subscriber the email of their latest send moment, once per period; idempotent.

    The email covers what happened since the last one (at most ``LONGEST_WINDOW``), or since
    the send moment before for a first one. Returns how many rows were owed.
    """
    now = now or timezone.now()
    settings = (
        WeeklyEmail.objects.exclude(frequency=WeeklyEmail.Frequency.NEVER)
        .filter(user__is_active=True)
        .values_list("user_id", "user__time_zone", "frequency", "weekday", "anchor", "chosen_at")
    )
    due = _due(settings.iterator(chunk_size=5000), now)
    if not due:
        return 0
    keys = {moment.period for moment, _previous in due.values()}
    owed = set(WeeklyEmailDelivery.objects.filter(period__in=keys).values_list("user_id", "period"))
    missing = {
        user_id: (moment, previous)
        for user_id, (moment, previous) in due.items()
        if (user_id, moment.period) not in owed
    }
    if not missing:
        return 0
    last = dict(
        WeeklyEmailDelivery.objects.filter(user_id__in=list(missing))
        .values("user_id")
        .annotate(last=Max("until"))
        .values_list("user_id", "last")
    )
    rows = []
    for user_id, (moment, previous) in missing.items():
        since = max(last.get(user_id) or previous, moment.at - LONGEST_WINDOW)
        rows.append(
            WeeklyEmailDelivery(
                user_id=user_id, period=moment.period, since=since, until=moment.at, due_at=now
            )
        )
    created = WeeklyEmailDelivery.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    return len(created)


def weekly_emails_send(*, limit=delivery.CHUNK_SIZE):
    """Send every weekly email now due, each exactly once; safe to run twice or in two workers.

    Returns how many emails the SMTP server accepted (empty ones are not sent).
    """
    return delivery.deliver(
        WeeklyEmailDelivery.objects.all(),
        emails.weekly_message,
        select_related=("user", "user__weekly_email"),
        limit=limit,
    )


def weekly_emails_run_due(*, now=None):
    """The beat's round: owe the weekly emails now due, then send all that is pending."""
    weekly_emails_create_due(now=now)
    return weekly_emails_send()
