"""New-call alerts and deadline reminders: each arrives once, to the right people.

New calls for alerts set to "weekly" arrive in the weekly email (tests/weekly/).
"""

import datetime
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from icalendar import Calendar

from funds import services
from funds.models import Follow, FundAlert, FundCall, FundCallDelivery
from funds.tasks import send_due_fund_alerts, send_fund_emails
from network_portal import delivery

from ..factories import MemberFactory, UserFactory
from .factories import FollowFactory, FundAlertFactory, FundCallFactory, SuggestedFundCallFactory

UTC = datetime.UTC
DAY = datetime.timedelta(days=1)
# A Friday afternoon in Geneva; the call closes at 17:00 Paris time three weeks later.
NOW = datetime.datetime(2026, 3, 6, 15, 0, tzinfo=UTC)
DEADLINE = datetime.datetime(2026, 3, 27, 16, 0, tzinfo=UTC)


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


@pytest.fixture
def publish(staff_officer, django_capture_on_commit_callbacks):
    def run(call):
        with django_capture_on_commit_callbacks(execute=True):
            services.fundcall_publish(call=call, by=staff_officer)

    return run


@pytest.mark.django_db
def test_publishing_emails_each_matching_subscriber_once_and_nobody_else(publish):
    call = SuggestedFundCallFactory(
        categories=["work-based-learning"], eligible_regions=["africa", "asia-pacific"]
    )
    FundAlertFactory(user__email="same-category@example.org", categories=["work-based-learning"])
    FundAlertFactory(user__email="any-category@example.org", regions=["africa"])
    FundAlertFactory(user__email="other-category@example.org", categories=["entrepreneurship"])
    FundAlertFactory(user__email="other-region@example.org", regions=["americas"])
    FundAlertFactory(
        user__email="weekly@example.org", frequency=FundAlert.Frequency.WEEKLY, regions=[]
    )
    FundAlertFactory(user__email="gone@example.org", unsubscribed_at=NOW)
    UserFactory(email="no-alert@example.org")

    publish(call)

    alerts = [m for m in mail.outbox if m.subject.startswith("New fund call")]
    assert sorted(m.to[0] for m in alerts) == [
        "any-category@example.org",
        "same-category@example.org",
    ]
    # Whoever suggested the call hears that it is published, not that it is new.
    assert [m.to[0] for m in mail.outbox if "suggestion is published" in m.subject] == [
        call.suggested_by.email
    ]

    services.fund_alerts_run_due()
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_a_call_closed_then_published_again_is_not_announced_twice(publish, staff_officer):
    call = SuggestedFundCallFactory(categories=["work-based-learning"])
    FundAlertFactory(categories=["work-based-learning"])
    publish(call)
    services.fundcall_close(call=call, by=staff_officer, note="Funder paused it")

    publish(call)

    assert len([m for m in mail.outbox if m.subject.startswith("New fund call")]) == 1


@pytest.mark.django_db
def test_the_alert_is_in_the_recipients_language_and_time_zone_with_one_click_unsubscribe(
    publish, time_machine
):
    time_machine.move_to(NOW, tick=False)
    user = UserFactory(preferred_language="fr", time_zone="Asia/Manila")
    FundAlertFactory(user=user)
    call = SuggestedFundCallFactory(
        title="Fonds pour l'apprentissage", deadline=DEADLINE, suggested_by=None
    )

    publish(call)

    (message,) = mail.outbox
    assert "28 mars 2026 00:00" in message.body  # 16:00 UTC is midnight in Manila
    assert "27 mars 2026 17:00 (Paris (GMT+1))" in message.body  # and the funder's 17:00
    assert f"https://portal.example.org/funds/{call.pk}/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "28 mars 2026 00:00" in html
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<https://portal.example.org/funds/unsubscribe/")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe.strip("<>") in message.body


@pytest.mark.django_db
def test_a_follower_gets_the_7_day_reminder_once_in_their_language_with_the_ics(time_machine):
    call = FundCallFactory(deadline=DEADLINE)
    follower = UserFactory(preferred_language="es", time_zone="America/Bogota")
    time_machine.move_to(DEADLINE - 20 * DAY, tick=False)
    services.follow_create(user=follower, call=call)

    time_machine.move_to(DEADLINE - 7 * DAY - datetime.timedelta(hours=1), tick=False)
    services.fund_alerts_run_due()
    assert mail.outbox == []

    time_machine.move_to(DEADLINE - 7 * DAY + datetime.timedelta(minutes=2), tick=False)
    services.fund_alerts_run_due()
    services.fund_alerts_run_due()  # the beat fires again
    time_machine.move_to(DEADLINE - 6 * DAY, tick=False)
    services.fund_alerts_run_due()

    (message,) = mail.outbox
    assert message.to == [follower.email]
    assert "27 de marzo de 2026 a las 11:00" in message.body  # 16:00 UTC in Bogotá
    assert "List-Unsubscribe" in message.extra_headers
    (filename, content, mimetype) = message.attachments[0]
    assert filename.endswith(".ics")
    assert mimetype == "text/calendar"
    (event,) = Calendar.from_ical(content).walk("VEVENT")
    assert str(event["UID"]) == f"fundcall-{call.pk}@portal.example.org"
    assert event.decoded("DTSTART") == DEADLINE


@pytest.mark.django_db
def test_reminders_come_in_each_window_the_person_chose(time_machine):
    call = FundCallFactory(deadline=DEADLINE)
    follower = UserFactory()
    time_machine.move_to(DEADLINE - 20 * DAY, tick=False)
    services.follow_create(user=follower, call=call)
    FundAlert.objects.filter(user=follower).update(remind_14=True, remind_7=False, remind_1=True)

    for days_before in (14, 7, 1):
        time_machine.move_to(DEADLINE - days_before * DAY + datetime.timedelta(minutes=5))
        services.fund_alerts_run_due()

    kinds = list(
        FundCallDelivery.objects.filter(sent_at__isnull=False)
        .order_by("sent_at")
        .values_list("kind", flat=True)
    )
    assert kinds == ["reminder-14", "reminder-1"]
    assert [m.subject.split(":")[0] for m in mail.outbox] == [
        "14 days left to apply",
        "Last day to apply",
    ]


@pytest.mark.django_db
def test_someone_following_three_days_before_gets_the_7_day_reminder_not_a_late_14_day_one(
    time_machine,
):
    call = FundCallFactory(deadline=DEADLINE)
    time_machine.move_to(DEADLINE - 3 * DAY, tick=False)
    follower = UserFactory()
    FundAlertFactory(user=follower, remind_14=True)
    services.follow_create(user=follower, call=call)

    services.fund_alerts_run_due()

    assert FundCallDelivery.objects.get().kind == "reminder-7"
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_reminder_sent_late_states_the_real_time_left_in_subject_and_body(time_machine):
    call = FundCallFactory(deadline=DEADLINE)
    follower = UserFactory()
    time_machine.move_to(DEADLINE - 20 * DAY, tick=False)
    services.follow_create(user=follower, call=call)
    time_machine.move_to(DEADLINE - 7 * DAY + datetime.timedelta(minutes=1), tick=False)
    services.fund_reminders_create_due()  # owed, but the relay is down for two days

    time_machine.move_to(DEADLINE - 5 * DAY + datetime.timedelta(hours=1), tick=False)
    services.fund_alerts_run_due()

    (message,) = mail.outbox
    assert message.subject.startswith("5 days left to apply")
    assert "The deadline of this call is in 5 days" in message.body
    assert "in 5 days" in message.alternatives[0][0]


@pytest.mark.django_db
def test_when_several_reminders_are_owed_at_once_only_the_nearest_goes_out(time_machine):
    call = FundCallFactory(deadline=DEADLINE)
    follower = UserFactory()
    time_machine.move_to(DEADLINE - 20 * DAY, tick=False)
    services.follow_create(user=follower, call=call)
    time_machine.move_to(DEADLINE - 7 * DAY + datetime.timedelta(minutes=1), tick=False)
    services.fund_reminders_create_due()  # the 7-day one waits, unsent, until a day is left

    time_machine.move_to(DEADLINE - DAY + datetime.timedelta(hours=1), tick=False)
    services.fund_alerts_run_due()
    services.fund_alerts_run_due()

    (message,) = mail.outbox
    assert message.subject.startswith("Last day to apply")
    assert "The deadline of this call is in 1 day" in message.body
    assert "7 days" not in message.subject + message.body
    stale = FundCallDelivery.objects.get(kind="reminder-7")
    assert stale.sent_at is None and stale.failed_at is not None


@pytest.mark.django_db
def test_no_reminder_after_unfollowing_or_unsubscribing(time_machine):
    call = FundCallFactory(deadline=DEADLINE)
    unfollower, unsubscriber = UserFactory(), UserFactory()
    time_machine.move_to(DEADLINE - 10 * DAY, tick=False)
    for user in (unfollower, unsubscriber):
        services.follow_create(user=user, call=call)
    time_machine.move_to(DEADLINE - 6 * DAY, tick=False)
    services.fund_reminders_create_due()  # owed, then they change their minds before sending

    services.follow_delete(user=unfollower, call=call)
    services.fundalert_unsubscribe(alert=unsubscriber.fund_alert)
    services.fund_alerts_run_due()

    assert mail.outbox == []
    assert FundCallDelivery.objects.filter(failed_at__isnull=False).count() == 2


@pytest.mark.django_db
def test_remind_matching_reminds_of_every_matching_call_not_only_followed_ones(time_machine):
    FundCallFactory(deadline=DEADLINE, categories=["career-guidance"])
    FundCallFactory(deadline=DEADLINE, categories=["entrepreneurship"])
    keen = FundAlertFactory(categories=["career-guidance"], remind_matching=True)
    FundAlertFactory(categories=["career-guidance"])  # only for calls they follow

    time_machine.move_to(DEADLINE - DAY + datetime.timedelta(minutes=1), tick=False)
    services.fund_alerts_run_due()

    assert recipients() == [keen.user.email]


@pytest.mark.django_db
def test_a_crash_after_the_claim_is_sent_exactly_once_after_the_lease(staff_officer, time_machine):
    time_machine.move_to(NOW, tick=False)
    for _ in range(3):
        FundAlertFactory()
    services.fundcall_publish(call=SuggestedFundCallFactory(suggested_by=None), by=staff_officer)
    # A worker claims the rows, then dies before sending anything.
    _claim_id, ids = delivery.claim(FundCallDelivery.objects.all())
    assert len(ids) == 3

    services.fund_emails_send()  # another worker, while the claim is live
    assert mail.outbox == []

    time_machine.move_to(NOW + delivery.LEASE + datetime.timedelta(seconds=1), tick=False)
    services.fund_emails_send()
    services.fund_emails_send()

    assert len(mail.outbox) == 3
    assert len(set(recipients())) == 3


class FlakyBackend(EmailBackend):
    """Refuses one address for good and defers another (4xx at RCPT), once."""

    temporary_failures = {"busy@example.org": 1}

    def send_messages(self, messages):
        for message in messages:
            if "refused@example.org" in message.to:
                raise smtplib.SMTPRecipientsRefused({"refused@example.org": (550, b"No such")})
            if self.temporary_failures.get(message.to[0], 0) > 0:
                self.temporary_failures[message.to[0]] -= 1
                raise smtplib.SMTPRecipientsRefused({message.to[0]: (451, b"Try again later")})
        return super().send_messages(messages)


@pytest.mark.django_db
def test_a_failing_recipient_does_not_stop_the_others_and_busy_servers_are_retried(
    staff_officer, settings, time_machine
):
    settings.EMAIL_BACKEND = f"{__name__}.FlakyBackend"
    FlakyBackend.temporary_failures = {"busy@example.org": 1}
    time_machine.move_to(NOW, tick=False)
    for email in ("refused@example.org", "busy@example.org", "fine@example.org"):
        FundAlertFactory(user__email=email)

    services.fundcall_publish(call=SuggestedFundCallFactory(suggested_by=None), by=staff_officer)
    services.fund_emails_send()
    assert recipients() == ["fine@example.org"]

    time_machine.move_to(NOW + datetime.timedelta(minutes=2), tick=False)
    services.fund_emails_send()

    assert recipients() == ["busy@example.org", "fine@example.org"]
    refused = FundCallDelivery.objects.get(user__email="refused@example.org")
    assert refused.failed_at is not None
    assert refused.sent_at is None


@pytest.mark.django_db
def test_an_unsubscribed_person_gets_no_more_alerts(publish):
    alert = FundAlertFactory()
    services.fundalert_unsubscribe(alert=alert)

    publish(SuggestedFundCallFactory(suggested_by=None))

    assert mail.outbox == []


@pytest.mark.django_db
def test_following_without_alerts_gives_reminders_but_no_news_of_other_calls(publish):
    user = UserFactory()
    MemberFactory(owner=user, categories=["core-life-skills"], country="PE")
    services.follow_create(user=user, call=FundCallFactory())

    publish(SuggestedFundCallFactory(categories=["core-life-skills"], suggested_by=None))

    assert mail.outbox == []
    alert = FundAlert.objects.get(user=user)
    assert alert.frequency == FundAlert.Frequency.NEVER
    assert alert.regions == ["americas"]
    assert [c.slug for c in alert.categories.all()] == ["core-life-skills"]


# ---- With a real Celery worker on Redis --------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_publishing_sends_through_the_worker_once_even_when_tasks_are_delivered_twice(
    celery_worker, staff_officer
):
    for _ in range(5):
        FundAlertFactory(categories=["social-inclusion"])
    call = SuggestedFundCallFactory(categories=["social-inclusion"], suggested_by=None)

    services.fundcall_publish(call=call, by=staff_officer)  # enqueues after commit
    send_fund_emails.delay()  # the same task redelivered
    send_due_fund_alerts.delay()  # and the beat at the same moment
    send_due_fund_alerts.delay()

    celery_worker.wait_until_idle()
    assert FundCallDelivery.objects.filter(sent_at__isnull=False).count() == 5
    assert len(mail.outbox) == 5
    assert len(set(recipients())) == 5


@pytest.mark.django_db(transaction=True)
def test_the_beat_task_sends_a_due_reminder_once_however_often_it_fires(celery_worker):
    call = FundCallFactory(deadline=datetime.datetime.now(UTC) + 6 * DAY)
    follows = [FollowFactory(call=call) for _ in range(3)]
    for follow in follows:
        FundAlertFactory(user=follow.user, frequency=FundAlert.Frequency.NEVER)

    for _ in range(3):
        send_due_fund_alerts.delay()

    celery_worker.wait_until_idle()
    assert FundCallDelivery.objects.filter(sent_at__isnull=False).count() == 3
    assert len(mail.outbox) == 3
    # The 7-day reminder, sent with 6 days left, says so.
    assert all(m.subject.startswith("6 days left") for m in mail.outbox)
    assert Follow.objects.count() == 3
    assert FundCall.objects.get().status == FundCall.Status.PUBLISHED


@pytest.mark.django_db
def test_a_lost_task_message_is_made_good_by_the_next_beat(staff_officer):
    for _ in range(2):
        FundAlertFactory()
    # Published, but the enqueued task never arrives (Redis restarted): on_commit never runs here.
    services.fundcall_publish(call=SuggestedFundCallFactory(suggested_by=None), by=staff_officer)
    assert mail.outbox == []

    send_due_fund_alerts()

    assert len(mail.outbox) == 2
