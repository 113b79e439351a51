"""Contact email and phone are shown only as far as the owner chose, to each persona."""

import pytest

from members.models import Visibility
from members.privacy import can_see_email, can_see_phone, visible_contact

from ..factories import MemberFactory

pytestmark = pytest.mark.django_db

EMAIL = "private-contact@example.org"
PHONE = "+41 22 799 61 11"

# Who sees a field of someone else's profile, per visibility. Core Group members enter the admin
# (is_staff) but do not hold the permission to see private contacts.
SEES = {
    Visibility.PUBLIC: {
        "visitor",
        "user_without_profile",
        "innovator",
        "core_group_member",
        "staff_officer",
    },
    Visibility.MEMBERS: {"user_without_profile", "innovator", "core_group_member", "staff_officer"},
    Visibility.STAFF: {"staff_officer"},
}


@pytest.mark.parametrize("visibility", Visibility.values)
def test_contact_email_on_the_profile_page_follows_the_owners_choice(persona, visibility):
    name, _user, client = persona
    member = MemberFactory(
        contact_email=EMAIL, email_visibility=visibility, phone_visibility=Visibility.STAFF
    )

    page = client.get(member.get_absolute_url()).content.decode()

    assert (EMAIL in page) == (name in SEES[visibility])


@pytest.mark.parametrize("visibility", Visibility.values)
def test_contact_phone_on_the_profile_page_follows_the_owners_choice(persona, visibility):
    name, _user, client = persona
    member = MemberFactory(
        contact_phone=PHONE, phone_visibility=visibility, email_visibility=Visibility.STAFF
    )

    page = client.get(member.get_absolute_url()).content.decode()

    assert (PHONE in page) == (name in SEES[visibility])


def test_owner_always_sees_their_own_staff_only_contacts(innovator, client_for):
    member = innovator.member
    member.contact_email, member.contact_phone = EMAIL, PHONE
    member.email_visibility = member.phone_visibility = Visibility.STAFF
    member.save()

    page = client_for(innovator).get(member.get_absolute_url()).content.decode()

    assert EMAIL in page and PHONE in page
    assert visible_contact(innovator, member) == {"email": EMAIL, "phone": PHONE}


def test_core_group_member_is_staff_but_does_not_see_staff_only_contacts(core_group_member):
    member = MemberFactory(email_visibility=Visibility.STAFF, phone_visibility=Visibility.MEMBERS)

    assert core_group_member.is_staff
    assert not can_see_email(core_group_member, member)
    assert can_see_phone(core_group_member, member)


def test_staff_officer_sees_every_contact(staff_officer):
    member = MemberFactory(email_visibility=Visibility.STAFF, phone_visibility=Visibility.STAFF)

    assert visible_contact(staff_officer, member) == {
        "email": member.contact_email,
        "phone": member.contact_phone,
    }


def test_a_visitor_sees_only_public_fields():
    from django.contrib.auth.models import AnonymousUser

    member = MemberFactory(email_visibility=Visibility.PUBLIC, phone_visibility=Visibility.MEMBERS)

    assert visible_contact(AnonymousUser(), member) == {"email": member.contact_email, "phone": ""}
    assert visible_contact(None, member)["phone"] == ""


def test_new_profiles_keep_contacts_for_staff_by_default():
    from members.models import Member

    member = Member(name="Default", country="KE")

    assert member.email_visibility == Visibility.STAFF
    assert member.phone_visibility == Visibility.STAFF
