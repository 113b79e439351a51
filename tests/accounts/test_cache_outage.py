"""With Redis down, sign-in refuses with a clear 503: never a 500, never unlimited attempts."""

import pytest
from django.core import mail
from django.test import Client

from accounts.models import User
from network_portal import settings as portal_settings

from ..conftest import free_port
from ..factories import ImportedMemberFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a long and unusual passphrase 42"


@pytest.fixture
def redis_down(settings):
    settings.ACCOUNT_RATE_LIMITS = portal_settings.ACCOUNT_RATE_LIMITS
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }


def _assert_refused(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "Sign-in is briefly unavailable" in response.content.decode()


def test_signing_in_answers_503_and_signs_nobody_in(redis_down):
    UserFactory(email="known@example.org", password=PASSWORD)
    client = Client()

    response = client.post("/accounts/login/", {"login": "known@example.org", "password": PASSWORD})

    _assert_refused(response)
    assert "_auth_user_id" not in client.session


def test_a_wrong_password_is_not_counted_as_allowed_either(redis_down):
    UserFactory(email="known@example.org", password=PASSWORD)

    statuses = {
        Client()
        .post("/accounts/login/", {"login": "known@example.org", "password": guess})
        .status_code
        for guess in ("one", "two", "three")
    }

    assert statuses == {503}


def test_a_password_reset_answers_503_and_sends_nothing(redis_down):
    UserFactory(email="known@example.org")

    response = Client().post("/accounts/password/reset/", {"email": "known@example.org"})

    _assert_refused(response)
    assert mail.outbox == []


def test_signing_up_answers_503_and_creates_nothing(redis_down):
    response = Client().post(
        "/accounts/signup/",
        {"email": "new@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )

    _assert_refused(response)
    assert not User.objects.filter(email="new@example.org").exists()


def test_the_sign_in_page_itself_still_shows(redis_down):
    assert Client().get("/accounts/login/").status_code == 200


def test_the_api_answers_503_in_json(redis_down):
    ImportedMemberFactory()

    response = Client().get("/api/members/")

    assert response.status_code == 503
    assert "briefly unavailable" in response.json()["detail"]
