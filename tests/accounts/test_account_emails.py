"""Account emails are the network's own, in text and HTML, in the recipient's language."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from ..factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a long and unusual passphrase 42"


def _html(message):
    (html,) = [content for content, mimetype in message.alternatives if mimetype == "text/html"]
    return html


def _assert_ours(message):
    assert message.subject.startswith("[Skills Innovation Network] ")
    for text in (message.body, _html(message)):
        assert "Hello from" not in text
        assert "testserver" not in text.replace("http://testserver/", "")
        assert "Skills Innovation Network" in text


def test_the_verification_email_is_ours_in_text_and_html():
    Client().post(
        "/accounts/signup/",
        {"email": "amina@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )

    (message,) = mail.outbox
    _assert_ours(message)
    assert message.subject.endswith("Confirm your email address to join")
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body).group(0)
    assert f'href="{link}"' in _html(message)


def test_the_reset_email_is_ours_and_greets_by_name():
    UserFactory(email="kofi@example.org", full_name="Kofi Mensah", preferred_language="en")

    Client().post("/accounts/password/reset/", {"email": "kofi@example.org"})

    (message,) = mail.outbox
    _assert_ours(message)
    assert message.subject.endswith("Choose a new password")
    assert message.body.startswith("Hello Kofi,")
    assert "/accounts/password/reset/key/" in message.body
    assert "/accounts/password/reset/key/" in _html(message)


def test_a_french_speaking_user_gets_the_reset_email_in_french_from_an_english_page():
    UserFactory(email="aicha@example.org", full_name="Aïcha Diallo", preferred_language="fr")
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    client.post("/accounts/password/reset/", {"email": "aicha@example.org"})

    (message,) = mail.outbox
    assert message.body.startswith("Bonjour Aïcha,")
    assert "en matière de compétences" in message.body
    assert '<html lang="fr">' in _html(message)


def test_a_nameless_user_is_not_greeted_by_their_address():
    user = UserFactory(email="quiet@example.org", full_name="")

    Client().post("/accounts/password/reset/", {"email": "quiet@example.org"})

    (message,) = mail.outbox
    assert message.body.startswith(f"Hello Member #{user.pk},")
    assert "quiet@example.org" not in message.body


def test_a_taken_address_gets_our_already_have_an_account_email():
    UserFactory(email="taken@example.org", preferred_language="es")

    Client().post(
        "/accounts/signup/",
        {"email": "taken@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )

    (message,) = mail.outbox
    assert message.subject.startswith("[Skills Innovation Network] ")
    assert message.body.startswith("Hola, ")
    assert "La Red de Innovación en Competencias" in message.body
    assert "/accounts/password/reset/" in _html(message)
