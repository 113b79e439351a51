"""Accounts: sign up, verify the email, sign in by email, reset a password, settings."""

import re
import uuid

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail
from django.test import Client

from accounts.models import User

from ..factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a long and unusual passphrase 42"


def _signup(client, email, **extra):
    return client.post(
        "/accounts/signup/", {"email": email, "password1": PASSWORD, "password2": PASSWORD}, **extra
    )


def _confirmation_path(message):
    return re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", message.body).group(1)


def test_signup_sends_a_verification_email_and_waits_for_it(visitor):
    response = _signup(visitor, "amina@example.org")

    assert response.status_code == 302
    assert response.url == "/accounts/confirm-email/"
    user = User.objects.get(email="amina@example.org")
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["amina@example.org"]
    assert "/accounts/confirm-email/" in mail.outbox[0].body


def test_signup_remembers_the_language_of_the_pages(visitor):
    visitor.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"

    _signup(visitor, "lucia@example.org")

    assert User.objects.get(email="lucia@example.org").preferred_language == "es"


def test_after_verifying_their_email_a_user_signs_in_with_it():
    client = Client()
    _signup(client, "kwame@example.org")
    unverified = Client().post(
        "/accounts/login/", {"login": "kwame@example.org", "password": PASSWORD}
    )
    assert unverified.status_code == 302 and unverified.url == "/accounts/confirm-email/"

    confirmed = client.post(_confirmation_path(mail.outbox[0]))
    fresh = Client()
    signed_in = fresh.post("/accounts/login/", {"login": "KWAME@example.org", "password": PASSWORD})

    assert confirmed.status_code == 302
    assert EmailAddress.objects.get(email="kwame@example.org").verified
    assert signed_in.status_code == 302 and signed_in.url == "/"
    assert fresh.get("/accounts/settings/").status_code == 200


def test_wrong_password_is_refused_with_a_message(visitor):
    UserFactory(email="known@example.org")

    response = visitor.post("/accounts/login/", {"login": "known@example.org", "password": "nope"})

    assert response.status_code == 200
    assert "not correct" in response.content.decode()


def test_password_reset_does_not_reveal_whether_an_account_exists():
    UserFactory(email="exists@example.org")

    known = Client().post("/accounts/password/reset/", {"email": "exists@example.org"})
    unknown = Client().post("/accounts/password/reset/", {"email": "nobody@example.org"})

    assert (known.status_code, known.url) == (unknown.status_code, unknown.url)
    assert known.url == "/accounts/password/reset/done/"
    page = Client().get(known.url).content.decode()
    assert "exists@example.org" not in page


def test_signup_with_a_taken_email_does_not_reveal_the_account(visitor):
    UserFactory(email="taken@example.org")

    response = _signup(visitor, "taken@example.org")

    assert response.status_code == 302 and response.url == "/accounts/confirm-email/"
    assert User.objects.filter(email="taken@example.org").count() == 1


def test_login_rate_limit_trips_on_the_shared_cache(settings):
    assert "redis" in settings.CACHES["default"]["BACKEND"].lower()
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/m/ip,3/m/key"}
    email = f"target-{uuid.uuid4().hex}@example.org"
    UserFactory(email=email, password=PASSWORD)
    ip = f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"
    client = Client(REMOTE_ADDR=ip)

    for _attempt in range(3):
        client.post("/accounts/login/", {"login": email, "password": "wrong guess"})
    blocked = client.post("/accounts/login/", {"login": email, "password": PASSWORD})

    assert blocked.status_code in (200, 429)
    assert "_auth_user_id" not in client.session
    assert "Too many failed login attempts" in blocked.content.decode()


def test_signup_rate_limit_trips(settings):
    settings.ACCOUNT_RATE_LIMITS = {"signup": "2/m/ip"}
    client = Client(REMOTE_ADDR=f"10.200.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}")

    statuses = [
        _signup(client, f"flood-{n}-{uuid.uuid4().hex}@example.org").status_code for n in range(3)
    ]

    assert statuses[:2] == [302, 302]
    assert statuses[2] == 429


@pytest.mark.parametrize(
    "url", ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]
)
def test_account_pages_use_the_portal_layout(visitor, url):
    page = visitor.get(url).content.decode()

    assert 'href="#main"' in page
    assert page.count("<h1") == 1
    assert "form-control" in page
    for field_id in re.findall(r'<input[^>]+type="(?:email|password)"[^>]+id="([^"]+)"', page):
        assert f'for="{field_id}"' in page


def test_account_pages_are_translated(visitor):
    visitor.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    page = visitor.get("/accounts/login/").content.decode()

    assert '<html lang="fr">' in page
    assert "Connexion" in page


def test_settings_change_the_language_of_emails_and_pages(client_for):
    user = UserFactory(preferred_language="en")
    client = client_for(user)

    response = client.post(
        "/accounts/settings/",
        {"full_name": "Aïcha", "preferred_language": "fr", "time_zone": "Africa/Dakar"},
    )

    user.refresh_from_db()
    assert (user.preferred_language, user.time_zone) == ("fr", "Africa/Dakar")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    assert '<html lang="fr">' in client.get("/accounts/settings/").content.decode()


def test_settings_refuse_an_unknown_time_zone(client_for):
    user = UserFactory(time_zone="UTC")

    response = client_for(user).post(
        "/accounts/settings/", {"preferred_language": "en", "time_zone": "Mars/Olympus"}
    )

    assert response.status_code == 200
    assert "time_zone" in response.context["form"].errors
    user.refresh_from_db()
    assert user.time_zone == "UTC"


def test_settings_need_a_signed_in_user(visitor):
    response = visitor.get("/accounts/settings/")

    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


@pytest.mark.parametrize("url", ["/accounts/email/", "/accounts/password/change/"])
def test_account_management_pages_use_the_portal_layout(client_for, url):
    page = client_for(UserFactory()).get(url).content.decode()

    assert 'href="#main"' in page
    assert page.count("<h1") == 1
    assert "btn btn-" in page
