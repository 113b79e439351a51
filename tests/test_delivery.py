"""The exactly-once delivery of network_portal/delivery.py, through the fund alerts that use it."""

import datetime

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import DatabaseError
from django.db.models import QuerySet

from coaching.models import SessionReminder
from funds import emails, services
from funds.models import FundCallDelivery
from network_portal import delivery

from .coaching.factories import RegistrationFactory
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


# ---- What the SMTP server answers (a real server on loopback) ---------------------------------


def owe_to(*addresses):
    call = FundCallFactory()
    for address in addresses:
        alert = FundAlertFactory(user__email=address)
        FundCallDelivery.objects.create(user=alert.user, call=call, kind="new-call")


def states():
    """``{address: (sent, given up, attempts)}`` of every row."""
    return {
        row.user.email: (row.sent_at is not None, row.failed_at is not None, row.attempts)
        for row in FundCallDelivery.objects.select_related("user")
    }


def test_a_recipient_deferred_at_rcpt_is_retried_for_a_day_then_given_up(smtp_relay, time_machine):
    time_machine.move_to(NOW, tick=False)
    owe_to("busy@example.org", "fine@example.org")
    smtp_relay.rcpt["busy@example.org"] = "451 4.2.1 Mailbox busy, try later"

    assert services.fund_emails_send() == 1
    assert smtp_relay.received() == ["fine@example.org"]

    moment = NOW
    while moment < NOW + delivery.DEFER_FOR - datetime.timedelta(hours=1):
        moment += datetime.timedelta(hours=1, seconds=1)
        time_machine.move_to(moment, tick=False)
        services.fund_emails_send()
        assert states()["busy@example.org"] == (False, False, 0)

    time_machine.move_to(NOW + delivery.DEFER_FOR + datetime.timedelta(minutes=1), tick=False)
    services.fund_emails_send()

    assert states()["busy@example.org"][:2] == (False, True)
    assert "Mailbox busy" in FundCallDelivery.objects.get(user__email="busy@example.org").last_error
    assert smtp_relay.received() == ["fine@example.org"]


def test_a_deferred_recipient_gets_the_email_once_the_server_takes_it(smtp_relay, time_machine):
    time_machine.move_to(NOW, tick=False)
    owe_to("busy@example.org")
    smtp_relay.rcpt["busy@example.org"] = "450 4.2.0 Greylisted"
    services.fund_emails_send()
    assert smtp_relay.received() == []

    del smtp_relay.rcpt["busy@example.org"]
    services.fund_emails_send()
    assert smtp_relay.received() == []  # not before its backoff
    time_machine.move_to(NOW + datetime.timedelta(minutes=2), tick=False)
    services.fund_emails_send()
    services.fund_emails_send()

    assert smtp_relay.received() == ["busy@example.org"]
    assert states()["busy@example.org"][:2] == (True, False)


@pytest.mark.parametrize(
    ("stage", "answer"),
    [
        ("mail", "451 4.3.0 Temporary local problem"),
        ("data", "451 4.3.0 Queue full, try later"),
        ("data", "421 4.3.2 Shutting down"),
        ("rcpt", "421 4.3.2 Too busy, closing"),
    ],
)
def test_a_server_refusing_everyone_for_now_delays_email_without_using_up_attempts(
    smtp_relay, time_machine, stage, answer
):
    time_machine.move_to(NOW, tick=False)
    addresses = ["ana@example.org", "bo@example.org", "chen@example.org"]
    owe_to(*addresses)
    if stage == "rcpt":
        smtp_relay.rcpt.update(dict.fromkeys(addresses, answer))
    else:
        setattr(smtp_relay, stage, answer)

    moment = NOW
    for _ in range(3 * delivery.MAX_ATTEMPTS):  # an hour and a half of it
        services.fund_emails_send()
        moment += datetime.timedelta(minutes=5)
        time_machine.move_to(moment, tick=False)
    assert smtp_relay.received() == []
    assert set(states().values()) == {(False, False, 0)}

    smtp_relay.mail = smtp_relay.data = None
    smtp_relay.rcpt.clear()
    assert services.fund_emails_send() == 3
    assert smtp_relay.received() == addresses


def test_a_row_whose_claims_keep_dying_ends_given_up_never_left_owed(time_machine):
    time_machine.move_to(NOW, tick=False)
    owe_to("ana@example.org")
    moment = NOW
    for _ in range(delivery.MAX_ATTEMPTS):
        assert delivery.claim(FundCallDelivery.objects.all())[1]  # the worker dies each time
        moment += delivery.LEASE + datetime.timedelta(seconds=1)
        time_machine.move_to(moment, tick=False)

    assert services.fund_emails_send() == 0

    row = FundCallDelivery.objects.get()
    assert row.failed_at is not None and row.sent_at is None
    assert "never finished" in row.last_error
    assert mail.outbox == []


# ---- Liveness in /healthz ---------------------------------------------------------------------


def test_healthz_tells_how_long_the_oldest_due_email_has_waited(visitor, time_machine):
    time_machine.move_to(NOW, tick=False)
    owe_to("waiting@example.org", "sent@example.org", "given-up@example.org")
    FundCallDelivery.objects.filter(user__email="sent@example.org").update(
        sent_at=NOW, due_at=NOW - datetime.timedelta(hours=5)
    )
    FundCallDelivery.objects.filter(user__email="given-up@example.org").update(
        failed_at=NOW, due_at=NOW - datetime.timedelta(hours=5)
    )
    FundCallDelivery.objects.filter(user__email="waiting@example.org").update(
        due_at=NOW - datetime.timedelta(minutes=10)
    )
    registration = RegistrationFactory()
    SessionReminder.objects.create(  # not due yet
        registration=registration,
        kind="1h",
        session_start=registration.session.start,
        due_at=NOW + datetime.timedelta(hours=1),
    )

    response = visitor.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "database": "ok",
        "cache": "ok",
        "oldest_unsent_email_seconds": 600,
    }


def test_healthz_says_when_the_cache_is_down_and_still_answers_200(visitor, settings):
    from .conftest import free_port

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",  # nothing listens there
        }
    }

    response = visitor.get("/healthz")

    assert response.status_code == 200
    assert response.json()["cache"] == "unavailable"
    assert response.json()["oldest_unsent_email_seconds"] == 0


# ---- The admin's page of failed and stalled emails -------------------------------------------


@pytest.fixture
def troubled_rows(time_machine):
    time_machine.move_to(NOW, tick=False)
    owe_to("refused@example.org", "stalled@example.org", "fresh@example.org", "sent@example.org")
    rows = {row.user.email: row for row in FundCallDelivery.objects.select_related("user")}
    FundCallDelivery.objects.filter(pk=rows["refused@example.org"].pk).update(
        failed_at=NOW, last_error="550 No such user here", attempts=1
    )
    FundCallDelivery.objects.filter(pk=rows["stalled@example.org"].pk).update(
        due_at=NOW - datetime.timedelta(hours=2)
    )
    FundCallDelivery.objects.filter(pk=rows["sent@example.org"].pk).update(
        sent_at=NOW, due_at=NOW - datetime.timedelta(hours=2)
    )
    return rows


def test_staff_sees_the_failed_and_stalled_emails_in_a_fixed_number_of_queries(
    troubled_rows, staff_officer, client_for, django_assert_max_num_queries
):
    client = client_for(staff_officer)
    client.get("/admin/deliveries/")  # sessions, permissions cached

    with django_assert_max_num_queries(12) as first:
        page = client.get("/admin/deliveries/")
    owe_to(*(f"more-{n}@example.org" for n in range(5)))
    FundCallDelivery.objects.filter(user__email__startswith="more-").update(failed_at=NOW)
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get("/admin/deliveries/")

    assert page.status_code == 200
    text = page.content.decode()
    assert f'value="funds.fundcalldelivery:{troubled_rows["refused@example.org"].pk}"' in text
    assert f'value="funds.fundcalldelivery:{troubled_rows["stalled@example.org"].pk}"' in text
    assert "550 No such user here" in text
    for address in ("fresh@example.org", "sent@example.org"):
        assert f'value="funds.fundcalldelivery:{troubled_rows[address].pk}"' not in text


def test_staff_retries_a_given_up_email_and_it_goes_out(troubled_rows, staff_officer, client_for):
    refused = troubled_rows["refused@example.org"]

    response = client_for(staff_officer).post(
        "/admin/deliveries/",
        {"retry": [f"funds.fundcalldelivery:{refused.pk}"]},
    )

    assert response.status_code == 302
    refused.refresh_from_db()
    assert refused.failed_at is None and refused.attempts == 0
    services.fund_emails_send()
    assert "refused@example.org" in [m.to[0] for m in mail.outbox]


def test_the_deliveries_page_is_staff_of_the_ilo_only(
    troubled_rows, core_group_member, innovator, client_for
):
    assert client_for(core_group_member).get("/admin/deliveries/").status_code == 403
    assert client_for(core_group_member).post("/admin/deliveries/").status_code == 403
    response = client_for(innovator).get("/admin/deliveries/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_a_row_a_worker_is_sending_right_now_is_not_offered_for_retry(
    troubled_rows, staff_officer, client_for
):
    stalled = troubled_rows["stalled@example.org"]
    delivery.claim(FundCallDelivery.objects.filter(pk=stalled.pk))  # a live worker holds it

    page = client_for(staff_officer).get("/admin/deliveries/")
    client_for(staff_officer).post(
        "/admin/deliveries/", {"retry": [f"funds.fundcalldelivery:{stalled.pk}"]}
    )

    assert f'value="funds.fundcalldelivery:{stalled.pk}"' not in page.content.decode()
    stalled.refresh_from_db()
    assert stalled.claim_id is not None
