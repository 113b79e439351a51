"""Two-factor sign-in: offered to everyone, required of ILO staff before any staff page."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from django.test import Client
from django.urls import reverse

from accounts.roles import ILO_STAFF
from members.models import MemberExport

from ..factories import UserFactory, give_second_factor, totp_code

pytestmark = pytest.mark.django_db

EXPORT = "/members/export/?format=csv"
PASSWORD = "correct horse battery staple"


def signed_in(email):
    """A client signed in through the sign-in form (allauth records when, for reauthentication)."""
    client = Client()
    response = client.post(reverse("account_login"), {"login": email, "password": PASSWORD})
    assert response.status_code == 302
    return client


@pytest.fixture
def staff_without_second_factor():
    return UserFactory(
        email="new.officer@ilo.example.org",
        is_staff=True,
        groups=[ILO_STAFF],
        second_factor=False,
    )


def test_staff_cannot_export_without_a_second_factor(staff_without_second_factor):
    client = signed_in(staff_without_second_factor.email)

    export = client.get(EXPORT)
    admin = client.get("/admin/members/member/")

    activate = reverse("mfa_activate_totp")
    assert export.status_code == 302
    assert export["Location"].startswith(activate)
    assert admin["Location"].startswith(activate)
    assert not MemberExport.objects.exists()
    # Setting it up stays open to them (allauth asks for the password again first).
    assert client.get(activate)["Location"].startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert client.get(activate).status_code == 200


def test_the_staff_persona_with_its_authenticator_exports(client_for, staff_officer):
    assert Authenticator.objects.filter(user=staff_officer, type="totp").exists()
    assert client_for(staff_officer).get(EXPORT).status_code == 200


def test_the_requirement_can_be_switched_off(settings, client_for, staff_without_second_factor):
    settings.PORTAL_STAFF_REQUIRE_MFA = False
    assert client_for(staff_without_second_factor).get(EXPORT).status_code == 200


def test_members_and_the_core_group_are_offered_it_not_forced(
    client_for, innovator, core_group_member
):
    for user in (innovator, core_group_member):
        client = client_for(user)
        assert client.get("/members/").status_code == 200
        assert client.get(reverse("mfa_index")).status_code == 200


def test_staff_set_up_an_authenticator_app_then_export(staff_without_second_factor):
    client = signed_in(staff_without_second_factor.email)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    secret = client.session[SECRET_SESSION_KEY]

    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})

    assert response.status_code == 302
    assert Authenticator.objects.filter(user=staff_without_second_factor, type="totp").exists()
    assert client.get(EXPORT).status_code == 200


def test_signing_in_asks_for_the_code_of_the_authenticator_app():
    user = give_second_factor(UserFactory(email="careful@example.org"))
    client = Client()

    first = client.post(
        reverse("account_login"), {"login": "careful@example.org", "password": PASSWORD}
    )
    assert first.status_code == 302
    assert first["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session

    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200
    assert "_auth_user_id" not in client.session

    right = client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert right.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_recovery_code_signs_in_when_the_phone_is_lost(client_for):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    user = give_second_factor(UserFactory(email="lost.phone@example.org"))
    codes = RecoveryCodes.activate(user).generate_codes()
    client = Client()
    client.post(reverse("account_login"), {"login": "lost.phone@example.org", "password": PASSWORD})

    response = client.post(reverse("mfa_authenticate"), {"code": codes[0]})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_staff_who_remove_their_authenticator_are_stopped_again(staff_officer):
    client = signed_in_with_code(staff_officer.email)
    assert client.get(EXPORT).status_code == 200

    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    client.post(reverse("mfa_deactivate_totp"))

    assert not Authenticator.objects.filter(user=staff_officer, type="totp").exists()
    assert client.get(EXPORT)["Location"].startswith(reverse("mfa_activate_totp"))


def signed_in_with_code(email):
    client = Client()
    client.post(reverse("account_login"), {"login": email, "password": PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert "_auth_user_id" in client.session
    return client
