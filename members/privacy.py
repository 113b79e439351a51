"""Who may see a member's contact email and phone: the one place that decides it.

Each field has its own visibility chosen by the owner (``Member.email_visibility`` and
``Member.phone_visibility``): everyone, signed-in members, or ILO staff only. Permissions decide,
never ``is_staff``: a Core Group member enters the admin but does not see staff-only contacts.
Pages, the API and the export all ask here (which profiles a user sees at all is
``Member.objects.visible_to``).
"""

from .models import Visibility

PRIVATE_CONTACTS_PERMISSION = "members.view_private_contacts"


def visibility_levels(user):
    """The visibility settings whose fields ``user`` may read on profiles they do not own."""
    if user is None or not user.is_authenticated:
        return frozenset({Visibility.PUBLIC})
    if user.has_perm(PRIVATE_CONTACTS_PERMISSION):
        return frozenset(Visibility.values)
    return frozenset({Visibility.PUBLIC, Visibility.MEMBERS})


def _may_see(user, member, visibility, levels):
    owns = user is not None and user.is_authenticated and member.owner_id == user.pk
    return owns or visibility in levels


def can_see_email(user, member):
    return _may_see(user, member, member.email_visibility, visibility_levels(user))


def can_see_phone(user, member):
    return _may_see(user, member, member.phone_visibility, visibility_levels(user))


def visible_contact(user, member, *, levels=None):
    """``{"email": ..., "phone": ...}`` with what ``user`` may see of ``member``, else "".

    Pass ``levels=visibility_levels(user)`` when looping over many members to ask the
    permission system once.
    """
    if levels is None:
        levels = visibility_levels(user)
    return {
        "email": member.contact_email
        if _may_see(user, member, member.email_visibility, levels)
        else "",
        "phone": member.contact_phone
        if _may_see(user, member, member.phone_visibility, levels)
        else "",
    }
