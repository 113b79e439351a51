"""The portal's emails over a real SMTP server: each person gets their own, as Django builds it."""

import datetime
import email
import os
from email import policy

import pytest
from django.core import mail
from django.urls import reverse

from funds import services
from funds.emails import fundcall_message, unsubscribe_url
from funds.models import FundCallDelivery
from funds.tokens import alert_for_token, unsubscribe_token

from .factories import UserFactory
from .funds.factories import FundAlertFactory, SuggestedFundCallFactory
from .processes import run_python

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 6, 15, 0, tzinfo=datetime.UTC)
PEOPLE = [
    {"email": "ana@example.org", "full_name": "Ana Pérez", "lang": "es", "zone": "America/Bogota"},
    {"email": "zoe@example.org", "full_name": "Zoë&<i> Roy", "lang": "fr", "zone": "Europe/Zurich"},
    {"email": "kim@example.org", "full_name": "Kim Lee", "lang": "fr", "zone": "Europe/Zurich"},
    {"email": "li@example.org", "full_name": "", "lang": "en", "zone": "Asia/Manila"},
]


def subscribe(people):
    for person in people:
        user = UserFactory(
            email=person["email"],
            full_name=person["full_name"],
            preferred_language=person["lang"],
            time_zone=person["zone"],
        )
        FundAlertFactory(user=user)


def parsed(data):
    return email.message_from_bytes(data, policy=policy.default)


def ascii_address(address):
    local, domain = address.rsplit("@", 1)
    return f"{local}@{domain.encode('idna').decode()}"


def received_by(relay):
    """``{recipient: message}`` of what the relay accepted, each addressed to its recipient."""
    received = {}
    for (recipient,), content in relay.envelopes:
        message = parsed(content)
        assert message["To"] == recipient
        received[recipient] = message
    return received


def test_a_name_is_escaped_in_the_html_and_kept_as_typed_in_the_text(staff_officer, time_machine):
    time_machine.move_to(NOW, tick=False)
    subscribe(PEOPLE[1:2])
    services.fundcall_publish(call=SuggestedFundCallFactory(suggested_by=None), by=staff_officer)

    message = fundcall_message(FundCallDelivery.objects.get())

    assert "Bonjour Zoë&<i>," in message.body
    assert "Bonjour Zoë&amp;&lt;i&gt;," in message.alternatives[0][0]


def test_over_smtp_each_person_gets_their_own_name_address_and_unsubscribe_link(
    smtp_relay, staff_officer
):
    subscribe([*PEOPLE, {**PEOPLE[2], "email": "ines@exämple.org", "full_name": "Inès Roy"}])
    services.fundcall_publish(call=SuggestedFundCallFactory(suggested_by=None), by=staff_officer)

    assert services.fund_emails_send() == 5

    received = received_by(smtp_relay)
    assert sorted(received) == sorted([*(p["email"] for p in PEOPLE), "ines@xn--exmple-cua.org"])
    for recipient, message in received.items():
        # The Message-ID names the delivery row: a copy sent again carries the same one.
        label, pk = message["Message-ID"].strip("<>").split("@")[0].rsplit(".", 1)
        assert label == "funds.fundcalldelivery"
        owner = FundCallDelivery.objects.get(pk=pk)
        assert message["Message-ID"] == f"<funds.fundcalldelivery.{pk}@portal.example.org>"
        assert ascii_address(owner.user.email) == recipient
        assert owner.sent_at is not None
        link = message["List-Unsubscribe"].strip().strip("<>")
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert alert_for_token(link.rstrip("/").rsplit("/", 1)[1]).user == owner.user
        text, html = message.get_body("plain").get_content(), message.get_body("html").get_content()
        assert link in text
        assert link in html
    assert "Bonjour Zoë&<i>," in received["zoe@example.org"].get_body("plain").get_content()
    assert "Bonjour Kim," in received["kim@example.org"].get_body("plain").get_content()
    # Li has no name: greeted as "Member #n", never by the address.
    li_text = received["li@example.org"].get_body("plain").get_content()
    assert "Hello Member #" in li_text and "Hello li@example.org" not in li_text
    assert mail.outbox == []


def test_over_smtp_a_refused_recipient_is_given_up_and_the_others_arrive(smtp_relay, staff_officer):
    subscribe(PEOPLE[1:3])
    smtp_relay.rcpt["zoe@example.org"] = "550 No such user here"
    services.fundcall_publish(call=SuggestedFundCallFactory(suggested_by=None), by=staff_officer)

    assert services.fund_emails_send() == 1

    assert list(received_by(smtp_relay)) == ["kim@example.org"]
    refused = FundCallDelivery.objects.get(user__email="zoe@example.org")
    assert refused.failed_at is not None
    assert "No such user" in refused.last_error


def test_the_unsubscribe_link_is_the_one_reverse_gives():
    alert = FundAlertFactory()

    expected = reverse("funds:unsubscribe", args=[unsubscribe_token(alert)])
    assert unsubscribe_url(alert) == f"https://portal.example.org{expected}"


@pytest.mark.parametrize(
    ("email_url", "backend"),
    [
        (
            "smtp+tls://user:secret@smtp.example.org:587",
            "django.core.mail.backends.smtp.EmailBackend",
        ),
        ("consolemail://", "django.core.mail.backends.console.EmailBackend"),
    ],
)
def test_an_email_url_chooses_djangos_own_backend(email_url, backend):
    script = "from django.conf import settings; print(settings.EMAIL_BACKEND)"
    env = {**os.environ, "EMAIL_URL": email_url}
    env["DJANGO_SETTINGS_MODULE"] = "network_portal.settings"
    assert run_python(script, env=env) == backend
