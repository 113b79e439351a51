"""Sign-up does the same work for a taken address as for a new one, so timing tells nothing.

The timings themselves are measured by bench/signup.py, not here.
"""

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core import mail
from django.test import Client

from ..factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a long and unusual passphrase 42"


class CountingHasher(PBKDF2PasswordHasher):
    algorithm = "counting_pbkdf2"
    iterations = 1000
    calls = 0

    def encode(self, password, salt, iterations=None):
        CountingHasher.calls += 1
        return super().encode(password, salt, iterations)


@pytest.fixture
def counting_hasher(settings):
    settings.PASSWORD_HASHERS = ["tests.accounts.test_signup_work.CountingHasher"]
    CountingHasher.calls = 0
    return CountingHasher


def _signup(email):
    return Client().post(
        "/accounts/signup/", {"email": email, "password1": PASSWORD, "password2": PASSWORD}
    )


def _work(counting_hasher, email):
    counting_hasher.calls = 0
    mail.outbox.clear()
    response = _signup(email)
    return response.status_code, response.url, counting_hasher.calls, len(mail.outbox)


def test_a_taken_address_costs_the_same_hash_and_email_as_a_new_one(counting_hasher):
    UserFactory(email="taken@example.org")

    new = _work(counting_hasher, "fresh@example.org")
    taken = _work(counting_hasher, "taken@example.org")

    assert new == taken == (302, "/accounts/confirm-email/", 1, 1)
