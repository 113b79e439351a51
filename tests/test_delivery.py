"""The exactly-once delivery of network_portal/delivery.py, through the fund alerts that use it."""

import datetime

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

from funds import emails, services
from funds.models import FundCallDelivery
from network_portal import delivery

from .funds.factories import FundAlertFactory, SuggestedFundCallFactory

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

    def fragile(row):
        if row.user.email in broken:
            raise ValueError("a template bug")
        return build(row)

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
