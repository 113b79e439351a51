"""Demo weekly email settings (``seed_demo``): the personas get it, so `make run` prints one.

Chosen ten days ago, so the in-process beat of `make run` finds this week's send moment passed
and prints each persona's email (with whatever the demo's calls, sessions and members bring).
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from . import periods
from .models import WeeklyEmail

CHOICES = {
    "innovator@example.org": (WeeklyEmail.Frequency.WEEKLY, WeeklyEmail.Weekday.MONDAY),
    "core@example.org": (WeeklyEmail.Frequency.FORTNIGHTLY, WeeklyEmail.Weekday.THURSDAY),
    "staff@example.org": (WeeklyEmail.Frequency.MONTHLY, WeeklyEmail.Weekday.TUESDAY),
    "newcomer@example.org": (WeeklyEmail.Frequency.WEEKLY, WeeklyEmail.Weekday.FRIDAY),
}


def seed(rng):
    """Idempotent: a persona's existing choice is left alone; a share of members get it too."""
    users = get_user_model().objects
    now = timezone.now()
    chosen = now - datetime.timedelta(days=10)
    # A weekly fund alert of another app's demo subscribed a persona moments ago: date it back
    # with the others, or the first email would wait for next week.
    just_now = WeeklyEmail.objects.filter(
        user__email__in=CHOICES, chosen_at__gt=now - datetime.timedelta(minutes=5)
    )
    for setting in just_now.select_related("user"):
        today = chosen.astimezone(periods.zone_for(setting.user.time_zone)).date()
        setting.chosen_at, setting.anchor = chosen, periods.monday_of(today)
        setting.save(update_fields=["chosen_at", "anchor", "updated_at"])
    wanted = dict(CHOICES)
    members = users.filter(member__isnull=False).exclude(email__in=CHOICES).order_by("pk")
    for email in members.values_list("email", flat=True):
        if rng.random() < 0.3:
            wanted[email] = (WeeklyEmail.Frequency.WEEKLY, rng.randrange(7))
    taken = set(WeeklyEmail.objects.values_list("user__email", flat=True))
    rows = []
    for user in users.filter(email__in=set(wanted) - taken):
        frequency, weekday = wanted[user.email]
        today = chosen.astimezone(periods.zone_for(user.time_zone)).date()
        rows.append(
            WeeklyEmail(
                user=user,
                frequency=frequency,
                weekday=weekday,
                chosen_at=chosen,
                anchor=periods.monday_of(today),
            )
        )
    WeeklyEmail.objects.bulk_create(rows)
