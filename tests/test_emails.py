"""An email rendered once for many recipients reads, and goes out, as if rendered for each alone."""

import datetime
import email
import os
import socket
from email import policy

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.urls import reverse

from accounts.models import User
from funds import services
from funds.emails import fundcall_message, unsubscribe_url
from funds.models import FundCallDelivery
from funds.tokens import alert_for_token, unsubscribe_token
from network_portal import emails
from network_portal.emails import SharedRenderings

from .factories import UserFactory
from .funds.factories import FundAlertFactory, FundCallFactory, SuggestedFundCallFactory
from .processes import run_python

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 6, 15, 0, tzinfo=datetime.UTC)
# Two of them share a language and a time zone, hence one rendering.
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


@pytest.fixture
def new_call_rows(staff_officer, time_machine):
    time_machine.move_to(NOW, tick=False)  # signed links carry the second they were made
    subscribe(PEOPLE)
    call = SuggestedFundCallFactory(title="Fonds « Compétences » 2027", suggested_by=None)
    services.fundcall_publish(call=call, by=staff_officer)
    return list(
        FundCallDelivery.objects.select_related("user", "call", "user__fund_alert").order_by("pk")
    )


def sent_fields(message):
    return {
        "to": message.to,
        "from": message.from_email,
        "subject": message.subject,
        "body": message.body,
        "alternatives": list(message.alternatives),
        "headers": message.extra_headers,
        "attachments": message.attachments,
    }


def parsed(data):
    return email.message_from_bytes(data, policy=policy.default)


def headers_but_date(message):
    """Headers in order; of Content-Type only the type (each encoding draws its own boundary)."""
    return [
        (name, message.get_content_type() if name == "Content-Type" else value.strip())
        for name, value in message.items()
        if name != "Date"
    ]


def parts(message):
    return [
        (part.get_content_type(), part.get_content())
        for part in message.walk()
        if not part.is_multipart()
    ]


def ascii_address(address):
    local, domain = address.rsplit("@", 1)
    return f"{local}@{domain.encode('idna').decode()}"


def test_a_shared_rendering_reads_as_each_email_rendered_alone(new_call_rows):
    shared = SharedRenderings()
    for row in new_call_rows:
        alone = fundcall_message(row)
        together = fundcall_message(row, renderings=shared)
        assert sent_fields(together) == sent_fields(alone)
    (zoe,) = [row for row in new_call_rows if row.user.email == "zoe@example.org"]
    zoe = fundcall_message(zoe, renderings=shared)
    assert "Bonjour Zoë&<i>," in zoe.body
    assert "Bonjour Zoë&amp;&lt;i&gt;," in zoe.alternatives[0][0]


def test_the_bytes_sent_are_those_django_would_encode(new_call_rows):
    shared = SharedRenderings()
    for row in new_call_rows:
        message = fundcall_message(row, renderings=shared)
        from_email, recipients, data = message.wire()
        django = parsed(message.message().as_bytes(linesep="\r\n"))
        ours = parsed(data)
        assert recipients == [row.user.email]
        assert from_email == "Skills Innovation Network <network@localhost>"
        assert headers_but_date(ours) == headers_but_date(django)
        assert parts(ours) == parts(django)
        assert ours["Message-ID"] == f"<funds.fundcalldelivery.{row.pk}@portal.example.org>"
        assert email.utils.parsedate_to_datetime(ours["Date"]).date() == NOW.date()


def test_a_reminder_with_its_calendar_file_is_shared_too(time_machine):
    deadline = datetime.datetime(2026, 3, 27, 16, 0, tzinfo=datetime.UTC)
    time_machine.move_to(deadline - datetime.timedelta(days=20), tick=False)
    call = FundCallFactory(deadline=deadline)
    subscribe(PEOPLE)
    for user in User.objects.filter(email__in=[p["email"] for p in PEOPLE]):
        services.follow_create(user=user, call=call)
    time_machine.move_to(deadline - datetime.timedelta(days=6), tick=False)
    services.fund_reminders_create_due()
    shared = SharedRenderings()
    rows = FundCallDelivery.objects.select_related("user", "call", "user__fund_alert")
    assert len(rows) == len(PEOPLE)
    for row in rows:
        together = fundcall_message(row, renderings=shared)
        assert sent_fields(together) == sent_fields(fundcall_message(row))
        django = parsed(together.message().as_bytes(linesep="\r\n"))
        assert parts(parsed(together.wire()[2])) == parts(django)
        assert parts(django)[-1][0] == "text/calendar"


def test_each_language_and_time_zone_is_rendered_once(new_call_rows, monkeypatch):
    rendered = []
    render = emails.render_to_string

    def counting(name, context):
        rendered.append(name)
        return render(name, context)

    monkeypatch.setattr(emails, "render_to_string", counting)
    shared = SharedRenderings()
    for row in new_call_rows:
        fundcall_message(row, renderings=shared)

    # es in Bogotá, fr in Zurich (Zoë and Kim), en in Manila: three groups of three templates.
    assert len(rendered) == 9


@pytest.mark.parametrize(
    "change",
    [
        {"email": "ines@exämple.org"},  # the domain needs IDNA: Django encodes it
        {"full_name": "Line\nbreak"},
    ],
)
def test_values_the_bytes_cannot_take_as_they_are_fall_back_to_django(
    change, staff_officer, time_machine
):
    time_machine.move_to(NOW, tick=False)
    subscribe([{**PEOPLE[0], **change}])
    services.fundcall_publish(call=SuggestedFundCallFactory(suggested_by=None), by=staff_officer)
    row = FundCallDelivery.objects.select_related("user", "call").get()

    message = fundcall_message(row, renderings=SharedRenderings())

    assert message.wire() is None
    assert sent_fields(message) == sent_fields(fundcall_message(row))


def test_an_email_changed_after_it_was_built_is_encoded_by_django(new_call_rows):
    message = fundcall_message(new_call_rows[0], renderings=SharedRenderings())
    assert message.wire() is not None

    message.subject = "Changed"

    assert message.wire() is None


def test_a_personal_value_too_long_for_one_line_falls_back_to_django():
    call = SuggestedFundCallFactory()
    context = {"call": call, "call_url": "https://portal.example.org/", "alerts_url": ""}
    message = SharedRenderings().build_for_user(
        "fund_new_call",
        context,
        user=UserFactory(),
        group=call.pk,
        personal={"unsubscribe_url": "https://portal.example.org/" + "u" * 1000},
        headers={"Message-ID": "<one@portal.example.org>"},
    )

    assert message.wire() is None
    assert "u" * 1000 in message.body


def test_a_personal_value_in_the_subject_is_refused(monkeypatch):
    def render(template, context, **kwargs):
        return f"Hello {context['recipient_name']}", "text", "html"

    monkeypatch.setattr(emails, "_render", render)
    with pytest.raises(ValueError, match="subject"):
        SharedRenderings().build_for_user("any", {}, user=UserFactory(), group=1)


def test_a_line_too_long_for_8bit_is_encoded_by_django(monkeypatch):
    def render(template, context, **kwargs):
        html = (kwargs.get("html_context") or context)["recipient_name"]
        return "Subject", "x" * 1200 + context["recipient_name"], html

    monkeypatch.setattr(emails, "_render", render)
    user = UserFactory(full_name="Ana Pérez")
    message = SharedRenderings().build_for_user("any", {}, user=user, group=1)

    assert message.wire() is None
    assert message.body == "x" * 1200 + "Ana"


# ---- Through a real SMTP server on loopback ---------------------------------------------------


class Sink:
    """An SMTP server on loopback that keeps what it accepts and refuses the ``refused``."""

    def __init__(self):
        self.envelopes = []
        self.refused = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append((envelope.rcpt_tos, envelope.content))
        return "250 OK"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_sink(settings):
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "network_portal.emails.SMTPBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield sink
    controller.stop()


def received_by(sink):
    """``{recipient: message}`` of what the sink accepted, each addressed to its recipient."""
    received = {}
    for (recipient,), content in sink.envelopes:
        message = parsed(content)
        assert message["To"] == recipient
        received[recipient] = message
    return received


def test_over_smtp_each_person_gets_their_own_name_address_and_unsubscribe_link(
    smtp_sink, staff_officer
):
    subscribe([*PEOPLE, {**PEOPLE[2], "email": "ines@exämple.org", "full_name": "Inès Roy"}])
    services.fundcall_publish(call=SuggestedFundCallFactory(suggested_by=None), by=staff_officer)

    assert services.fund_emails_send() == 5

    received = received_by(smtp_sink)
    assert sorted(received) == sorted([*(p["email"] for p in PEOPLE), "ines@xn--exmple-cua.org"])
    for recipient, message in received.items():
        owner = FundCallDelivery.objects.get(pk=message["Message-ID"].split(".")[2].split("@")[0])
        assert ascii_address(owner.user.email) == recipient
        assert owner.sent_at is not None
        link = message["List-Unsubscribe"].strip().strip("<>")
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


def test_over_smtp_a_refused_recipient_is_given_up_and_the_others_arrive(smtp_sink, staff_officer):
    subscribe(PEOPLE[1:3])
    smtp_sink.refused.add("zoe@example.org")
    services.fundcall_publish(call=SuggestedFundCallFactory(suggested_by=None), by=staff_officer)

    assert services.fund_emails_send() == 1

    assert list(received_by(smtp_sink)) == ["kim@example.org"]
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
        ("smtp+tls://user:secret@smtp.example.org:587", "network_portal.emails.SMTPBackend"),
        ("consolemail://", "django.core.mail.backends.console.EmailBackend"),
    ],
)
def test_an_smtp_email_url_sends_through_our_backend(email_url, backend):
    script = "from django.conf import settings; print(settings.EMAIL_BACKEND)"
    env = {**os.environ, "EMAIL_URL": email_url}
    env["DJANGO_SETTINGS_MODULE"] = "network_portal.settings"
    assert run_python(script, env=env) == backend
