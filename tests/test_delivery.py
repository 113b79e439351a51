"""The exactly-once delivery of network_portal/delivery.py, through the fund alerts that use it."""

import datetime

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import DatabaseError
from django.db.models import QuerySet

from funds import emails, services
from funds.models import FundCallDelivery
from network_portal import delivery

from .funds.factories import FundAlertFactory, FundCallFactory, SuggestedFundCallFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 6, 15, 0, tzinfo=datetime.UTC)


@pytest.fixture
def three_owed(staff_officer, time_machine):
    time_machine.move_to(NOW, tick=False)
    for email in ("ana@example.org", "bo@example.org", "chen@example.org"):
        FundAlertFactory(user__email=email)
    services.fundcall_publish(call=SuggestedFundCallFactory(suggested_by=None), by=staff_officer)
    assert FundCallDelivery.objects.count() == 3


class SlowBackend(EmailBackend):
    """Each message takes 40% of the lease; meanwhile another worker tries to claim."""

    clock = None
    stolen = []

    def send_messages(self, messages):
        SlowBackend.clock.shift(delivery.LEASE * 0.4)
        SlowBackend.stolen += delivery.claim(FundCallDelivery.objects.all())[1]
        return super().send_messages(messages)


def test_a_slow_server_never_lets_another_worker_take_rows_still_being_sent(
    three_owed, settings, time_machine
):
    settings.EMAIL_BACKEND = f"{__name__}.SlowBackend"
    SlowBackend.clock, SlowBackend.stolen = time_machine, []

    services.fund_emails_send()

    assert SlowBackend.stolen == []
    assert len(mail.outbox) == 3
    assert FundCallDelivery.objects.filter(sent_at__isnull=True).count() == 0


def test_a_bug_in_one_email_does_not_strand_the_others(three_owed, monkeypatch, time_machine):
    build = emails.fundcall_message
    broken = {"bo@example.org"}

    def fragile(row, **kwargs):
        if row.user.email in broken:
            raise ValueError("a template bug")
        return build(row, **kwargs)

    monkeypatch.setattr(emails, "fundcall_message", fragile)

    services.fund_emails_send()
    assert sorted(m.to[0] for m in mail.outbox) == ["ana@example.org", "chen@example.org"]
    row = FundCallDelivery.objects.get(user__email="bo@example.org")
    assert row.sent_at is None and row.failed_at is None and "template bug" in row.last_error

    broken.clear()
    time_machine.move_to(NOW + datetime.timedelta(minutes=5), tick=False)
    services.fund_emails_send()
    assert sorted(m.to[0] for m in mail.outbox) == [
        "ana@example.org",
        "bo@example.org",
        "chen@example.org",
    ]


class DownBackend(EmailBackend):
    down = True

    def open(self):
        if DownBackend.down:
            raise ConnectionRefusedError("relay down")
        return super().open()


def test_an_smtp_outage_delays_email_but_never_drops_it(three_owed, settings, time_machine):
    settings.EMAIL_BACKEND = f"{__name__}.DownBackend"
    DownBackend.down = True
    moment = NOW
    for _ in range(3 * delivery.MAX_ATTEMPTS):
        services.fund_emails_send()
        moment += datetime.timedelta(minutes=5)
        time_machine.move_to(moment, tick=False)
    assert mail.outbox == []
    assert not FundCallDelivery.objects.filter(failed_at__isnull=False).exists()

    DownBackend.down = False
    services.fund_emails_send()

    assert len(mail.outbox) == 3


# ---- Marks ---------------------------------------------------------------------------------


def owe_new_call_alerts(count):
    call = FundCallFactory()
    for _ in range(count):
        alert = FundAlertFactory()
        FundCallDelivery.objects.create(user=alert.user, call=call, kind="new-call")


@pytest.mark.django_db(transaction=True)
def test_every_email_accepted_is_marked_sent_when_sending_returns():
    owe_new_call_alerts(30)

    assert services.fund_emails_send() == 30

    assert FundCallDelivery.objects.filter(sent_at__isnull=True).count() == 0
    assert len(mail.outbox) == 30
    assert len({m.extra_headers["Message-ID"] for m in mail.outbox}) == 30


@pytest.mark.django_db(transaction=True)
def test_when_a_mark_cannot_be_written_sending_stops_and_the_lease_sends_the_rest(
    monkeypatch, time_machine
):
    time_machine.move_to(NOW, tick=False)
    owe_new_call_alerts(5)
    update = QuerySet.update

    def failing(self, **changes):
        if "sent_at" in changes:
            raise DatabaseError("the database went away")
        return update(self, **changes)

    with monkeypatch.context() as patch:
        patch.setattr(QuerySet, "update", failing)
        with pytest.raises(DatabaseError):
            services.fund_emails_send()
    assert FundCallDelivery.objects.filter(sent_at__isnull=False).count() == 0
    assert len(mail.outbox) == 1  # accepted, never marked

    services.fund_emails_send()  # another worker while the claim is live: nothing
    assert len(mail.outbox) == 1

    time_machine.move_to(NOW + delivery.LEASE + datetime.timedelta(seconds=1), tick=False)
    assert services.fund_emails_send() == 5
    # Only the email accepted but never marked goes twice (the duplicate the contract allows),
    # with the same Message-ID, so mail stores can drop it.
    assert len(mail.outbox) == 6
    assert len({m.extra_headers["Message-ID"] for m in mail.outbox}) == 5
    assert FundCallDelivery.objects.filter(sent_at__isnull=True).count() == 0
