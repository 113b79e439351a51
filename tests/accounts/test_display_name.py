"""A person is named by name, profile contact person or "Member #n": never by their email."""

import pytest

from network_portal.emails import build_email_for_user

from ..factories import MemberFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_user_with_a_name_is_called_by_it():
    user = UserFactory(full_name="Aïcha Diallo")

    assert (str(user), user.get_full_name(), user.get_short_name()) == (
        "Aïcha Diallo",
        "Aïcha Diallo",
        "Aïcha",
    )


def test_a_user_without_a_name_or_profile_is_member_number_n():
    user = UserFactory(email="quiet@example.org", full_name="")

    assert str(user) == user.get_full_name() == user.display_name == f"Member #{user.pk}"
    assert user.get_short_name() == f"Member #{user.pk}"


def test_a_user_without_a_name_is_called_by_their_profiles_contact_person():
    user = UserFactory(email="quiet@example.org", full_name="")
    MemberFactory(owner=user, contact_name="Kofi Mensah")

    assert str(user) == "Kofi Mensah"
    assert user.get_short_name() == "Kofi"


@pytest.mark.parametrize("typed", ["quiet@example.org", "  ", "mail me: a@b.org"])
def test_an_address_typed_as_a_name_is_never_shown(typed):
    user = UserFactory(email="quiet@example.org", full_name=typed)
    MemberFactory(owner=user, contact_name="contact@example.org")

    assert "@" not in str(user)
    assert "@" not in user.get_full_name()
    assert "@" not in user.get_short_name()


def test_an_email_greets_a_nameless_user_without_their_address():
    user = UserFactory(email="quiet@example.org", full_name="", preferred_language="en")
    member = MemberFactory(owner=user, contact_name="")

    message = build_email_for_user(
        "member_approved",
        {"member": member, "profile_url": "https://x.test/p", "edit_url": "https://x.test/e"},
        user=user,
    )

    assert message.to == ["quiet@example.org"]
    assert f"Hello Member #{user.pk}," in message.body
    assert "quiet@example.org" not in message.body
    assert all("quiet@example.org" not in html for html, _type in message.alternatives)
