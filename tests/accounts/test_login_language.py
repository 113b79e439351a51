"""Signing in switches the pages to the person's preferred language, the one of their emails."""

import pytest
from django.conf import settings
from django.test import Client

from ..factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def sign_in(client, user):
    return client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})


def test_signing_in_switches_the_pages_to_the_preferred_language():
    user = UserFactory(email="aminata@example.org", preferred_language="fr")
    client = Client()
    assert '<html lang="en">' in client.get("/accounts/login/").content.decode()

    response = sign_in(client, user)

    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    page = client.get("/").content.decode()
    assert '<html lang="fr">' in page
    assert "API de données ouvertes" in page


def test_the_language_chosen_at_sign_in_beats_the_one_the_visitor_browsed_in():
    user = UserFactory(email="lucia@example.org", preferred_language="es")
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    sign_in(client, user)

    assert '<html lang="es">' in client.get("/members/").content.decode()


def test_the_language_menu_still_changes_the_pages_after_sign_in():
    user = UserFactory(preferred_language="fr")
    client = Client()
    sign_in(client, user)

    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    assert '<html lang="en">' in client.get("/").content.decode()


def test_a_failed_sign_in_changes_no_language():
    user = UserFactory(preferred_language="fr")
    client = Client()

    response = client.post("/accounts/login/", {"login": user.email, "password": "wrong"})

    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert '<html lang="en">' in client.get("/").content.decode()


def test_the_admin_sign_in_switches_the_language_too(staff_officer):
    staff_officer.set_password(PASSWORD)
    staff_officer.preferred_language = "es"
    staff_officer.save()
    client = Client()

    response = client.post(
        "/admin/login/?next=/admin/", {"username": staff_officer.email, "password": PASSWORD}
    )

    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
