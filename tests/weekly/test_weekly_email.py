"""One weekly email per person: what is new for them from every app, once per period."""

import datetime

import pytest
from django.core import mail

from funds.models import FundAlert, FundCallDelivery
from network_portal import delivery, registry
from network_portal.weekly import services
from network_portal.weekly.models import WeeklyEmail, WeeklyEmailDelivery

from ..factories import UserFactory
from ..funds.factories import FundAlertFactory, FundCallFactory
from .conftest import EIGHT, LAST_WEEK, MONDAY

pytestmark = pytest.mark.django_db


def test_the_email_comes_at_8_on_the_chosen_weekday_with_every_section_once(news, time_machine):
    time_machine.move_to(MONDAY + EIGHT - datetime.timedelta(minutes=1), tick=False)
    services.weekly_emails_run_due()
    assert mail.outbox == []

    time_machine.move_to(MONDAY + EIGHT + datetime.timedelta(minutes=4), tick=False)
    services.weekly_emails_run_due()
    services.weekly_emails_run_due()

    (email,) = mail.outbox
    assert email.to == [news.email]
    assert email.subject == "Your week in the Skills Innovation Network"
    body = email.body
    for expected in [
        "Apprenticeship Innovation Fund",
        "Followed Skills Challenge",
        "Cercle : présenter son projet",
        "Nouvelle Académie Apprentissage",
        "Dakar Skills Twin",
    ]:
        assert expected in body
    for unexpected in [
        "Entrepreneurship Prize",  # neither their categories nor an alert
        "Círculo de presupuesto",  # neither a working language nor their email's
        "Unrelated Startup",  # another category
    ]:
        assert unexpected not in body
    html = email.alternatives[0][0]
    assert "Apprenticeship Innovation Fund" in html
    assert "https://portal.example.org/weekly-email/" in html
    assert email.extra_headers["List-Unsubscribe"].startswith(
        "<https://portal.example.org/weekly-email/unsubscribe/"
    )
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    row = WeeklyEmailDelivery.objects.get()
    assert row.period == "2026-W50"
    assert row.since == LAST_WEEK + EIGHT
    assert row.until == MONDAY + EIGHT


def test_the_email_is_in_the_persons_language_and_time_zone(news, time_machine):
    news.preferred_language = "fr"
    news.time_zone = "America/Bogota"  # UTC-5: 08:00 there is 13:00 UTC
    news.save()

    time_machine.move_to(MONDAY + EIGHT + datetime.timedelta(hours=4), tick=False)
    services.weekly_emails_run_due()
    assert mail.outbox == []

    time_machine.move_to(MONDAY + EIGHT + datetime.timedelta(hours=5, minutes=1), tick=False)
    services.weekly_emails_run_due()

    (email,) = mail.outbox
    assert email.body.startswith("Bonjour Ines,")
    assert "Jeudi 10 décembre 2026 09:00 \N{EN DASH} 10:00 (Bogota (GMT-5))" in email.body


def test_nobody_gets_an_empty_email_and_the_empty_one_is_no_failure(subscriber, time_machine):
    time_machine.move_to(MONDAY + EIGHT + datetime.timedelta(minutes=1), tick=False)
    services.weekly_emails_run_due()
    services.weekly_emails_run_due()

    assert mail.outbox == []
    row = WeeklyEmailDelivery.objects.get(user=subscriber)
    assert row.last_error == delivery.NOT_OWED
    assert not delivery.troubled(WeeklyEmailDelivery.objects.all()).exists()


def test_new_calls_come_once_a_period_even_when_published_after_the_email(news, time_machine):
    time_machine.move_to(MONDAY + EIGHT + datetime.timedelta(minutes=1), tick=False)
    services.weekly_emails_run_due()
    FundCallFactory(title="Late Monday Call", categories=["work-based-learning"])
    services.weekly_emails_run_due()
    assert len(mail.outbox) == 1

    time_machine.move_to(MONDAY + datetime.timedelta(days=7) + EIGHT, tick=False)
    services.weekly_emails_run_due()

    assert len(mail.outbox) == 2
    assert "Late Monday Call" in mail.outbox[1].body
    assert "Apprenticeship Innovation Fund" not in mail.outbox[1].body


def test_a_user_without_a_profile_keeps_the_calls_of_a_weekly_fund_alert(time_machine):
    time_machine.move_to(LAST_WEEK, tick=False)
    user = UserFactory(email="no-profile@example.org")
    alert = FundAlertFactory(
        user=user, frequency=FundAlert.Frequency.WEEKLY, categories=["rpl-certification"]
    )
    services.weekly_email_subscribe(user=user)
    time_machine.move_to(LAST_WEEK + datetime.timedelta(days=3), tick=False)
    FundCallFactory(title="Recognition Fund", categories=["rpl-certification"])
    FundCallFactory(title="Other Fund", categories=["entrepreneurship"])

    time_machine.move_to(MONDAY + EIGHT, tick=False)
    services.weekly_emails_run_due()

    (email,) = mail.outbox
    assert email.to == [user.email]
    assert "Recognition Fund" in email.body
    assert "Other Fund" not in email.body
    assert alert.frequency == "weekly"


def test_a_call_already_announced_on_publication_is_not_repeated(news, time_machine):
    from funds.models import FundCall

    call = FundCall.objects.get(title="Apprenticeship Innovation Fund")
    FundCallDelivery.objects.create(
        user=news, call=call, kind=FundCallDelivery.Kind.NEW_CALL, sent_at=LAST_WEEK
    )
    time_machine.move_to(MONDAY + EIGHT, tick=False)
    services.weekly_emails_run_due()

    (email,) = mail.outbox
    assert "Apprenticeship Innovation Fund" not in email.body
    assert "Followed Skills Challenge" in email.body


def test_saving_a_weekly_fund_alert_subscribes_to_the_weekly_email(client_for, innovator):
    client_for(innovator).post("/funds/alerts/", {"frequency": "weekly", "remind_7": "on"})

    setting = WeeklyEmail.objects.get(user=innovator)
    assert setting.frequency == "weekly"


def test_every_two_weeks_skips_a_week_and_monthly_waits_for_the_first_weekday(news, time_machine):
    services.weekly_email_save(
        user=news, frequency="fortnightly", weekday=0, now=LAST_WEEK - datetime.timedelta(days=3)
    )
    # Chosen in the week of 23 November: fortnights start on 23 Nov, 7 Dec, 21 Dec.
    time_machine.move_to(MONDAY + EIGHT, tick=False)
    services.weekly_emails_run_due()
    time_machine.move_to(MONDAY + datetime.timedelta(days=7) + EIGHT, tick=False)
    FundCallFactory(title="Second Week Call", categories=["work-based-learning"])
    services.weekly_emails_run_due()
    assert len(mail.outbox) == 1

    time_machine.move_to(MONDAY + datetime.timedelta(days=14) + EIGHT, tick=False)
    services.weekly_emails_run_due()
    assert len(mail.outbox) == 2
    assert "Second Week Call" in mail.outbox[1].body
    assert mail.outbox[1].subject == "Your two weeks in the Skills Innovation Network"

    services.weekly_email_save(user=news, frequency="monthly", weekday=0)
    FundCallFactory(title="December Call", categories=["work-based-learning"])
    time_machine.move_to(datetime.datetime(2027, 1, 4, 8, 0, tzinfo=datetime.UTC), tick=False)
    services.weekly_emails_run_due()
    assert len(mail.outbox) == 3
    assert WeeklyEmailDelivery.objects.filter(period="2027-01").count() == 1


def test_never_and_the_one_click_unsubscribe_stop_it(news, time_machine, visitor):
    time_machine.move_to(MONDAY + EIGHT, tick=False)
    services.weekly_emails_run_due()
    (email,) = mail.outbox
    url = email.extra_headers["List-Unsubscribe"].strip("<>")
    path = url.removeprefix("https://portal.example.org")

    page = visitor.get(path)
    assert page.status_code == 200
    assert WeeklyEmail.objects.get(user=news).is_subscribed  # a GET changes nothing
    assert visitor.post(path).status_code == 200
    assert visitor.post(path[:-3] + "xyz/").status_code == 400

    time_machine.move_to(MONDAY + datetime.timedelta(days=7) + EIGHT, tick=False)
    FundCallFactory(categories=["work-based-learning"])
    services.weekly_emails_run_due()
    assert len(mail.outbox) == 1
    assert WeeklyEmail.objects.get(user=news).frequency == "never"


def test_a_section_of_another_app_gets_the_window_as_keywords(news, time_machine):
    seen = {}

    def context(*, user, since, **kwargs):
        seen.update(user=user, since=since, **kwargs)
        return None

    registry.register(
        registry.WEEKLY_EMAIL_SECTIONS, name="test-probe", template="x", context=context
    )
    try:
        time_machine.move_to(MONDAY + EIGHT, tick=False)
        services.weekly_emails_run_due()
    finally:
        registry._parts[registry.WEEKLY_EMAIL_SECTIONS].pop("test-probe")

    assert seen["user"] == news
    assert seen["since"] == LAST_WEEK + EIGHT
    assert seen["until"] == MONDAY + EIGHT
    assert seen["horizon"] == MONDAY + EIGHT + datetime.timedelta(days=14)
    assert seen["language"] == "en"


def test_make_runs_in_process_beat_sends_the_weekly_email(news, time_machine, settings):
    from network_portal.beat import InProcessBeat

    time_machine.move_to(MONDAY + EIGHT + datetime.timedelta(minutes=2), tick=False)
    entry = settings.CELERY_BEAT_SCHEDULE["weekly-email"]
    beat = InProcessBeat({"weekly-email": entry})

    assert beat.run_due() == ["weekly-email"]
    assert [email.to for email in mail.outbox] == [[news.email]]


def test_building_an_email_costs_the_same_queries_however_much_news(news, time_machine):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from network_portal.weekly.emails import weekly_message

    from ..coaching.factories import CoachingSessionFactory
    from ..factories import MemberFactory

    time_machine.move_to(MONDAY + EIGHT, tick=False)
    services.weekly_emails_create_due()
    row = WeeklyEmailDelivery.objects.select_related("user", "user__weekly_email").get()

    def queries():
        fresh = WeeklyEmailDelivery.objects.select_related("user", "user__weekly_email")
        with CaptureQueriesContext(connection) as captured:
            assert weekly_message(fresh.get(pk=row.pk)) is not None
        return len(captured)

    queries()  # per-process caches (the categories' names of similar members) filled
    before = queries()
    time_machine.move_to(LAST_WEEK + datetime.timedelta(days=3), tick=False)
    for n in range(5):
        FundCallFactory(title=f"More {n}", categories=["work-based-learning"])
        MemberFactory(categories=["work-based-learning"])
        CoachingSessionFactory(
            categories=["work-based-learning"],
            language_id="fr",
            start=MONDAY + datetime.timedelta(days=4, hours=n),
            end=MONDAY + datetime.timedelta(days=4, hours=n + 1),
        )
    time_machine.move_to(MONDAY + EIGHT, tick=False)

    assert queries() == before
