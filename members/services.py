"""Writes on member profiles: create, claim, update, approve. Each is atomic."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from network_portal import delivery
from network_portal.emails import absolute_url, build_email_for_user

from .models import PROJECT_FIELDS, ApprovalNotice, Member

APPROVE_PERMISSION = "members.approve_member"

# What an owner fills in; region is derived from country, status and owner are not theirs to set.
PROFILE_FIELDS = (
    "name",
    "kind",
    "member_type",
    "country",
    *PROJECT_FIELDS,
    "contact_name",
    "contact_email",
    "contact_phone",
    "email_visibility",
    "phone_visibility",
    "is_public",
    "accepts_introductions",
)

# Checked elsewhere: region is derived in save(), the owner and the relations by the service.
PROFILE_EXCLUDED_FROM_CLEAN = ["owner", "categories", "languages", "region"]


def verified_emails(user):
    """The user's email addresses that allauth has verified, lower-cased."""
    emails = EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    return {email.lower() for email in emails}


def claimable_members(user):
    """Unclaimed profiles whose contact email is one of ``user``'s verified addresses."""
    emails = verified_emails(user)
    if not emails:
        return Member.objects.none()
    return (
        Member.objects.visible_to(user)
        .alias(contact=Lower("contact_email"))
        .filter(owner__isnull=True, contact__in=emails)
        .order_by("name", "pk")
    )


def _lock_user(user):
    # Serialises one user's create and claim requests, so a double click makes one profile.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()


def _set_fields(member, fields):
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"Not profile fields: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(member, name, value)


def member_create(*, user, categories, languages=(), **fields):
    """Create ``user``'s profile, awaiting approval by a Core Group member or ILO staff.

    Raises ``ValidationError`` when the user already has a profile or a field is invalid;
    nothing is written then. Sends nothing.
    """
    with transaction.atomic():
        _lock_user(user)
        if Member.objects.filter(owner=user).exists():
            raise ValidationError(_("You already have a profile."), code="has_profile")
        # owner_id, not owner: a failed attempt must not leave a phantom profile on request.user.
        member = Member(owner_id=user.pk, status=Member.Status.PENDING)
        _set_fields(member, fields)
        member.full_clean(exclude=PROFILE_EXCLUDED_FROM_CLEAN)
        try:
            with transaction.atomic():
                member.save()
        except IntegrityError as error:
            raise ValidationError(_("You already have a profile."), code="has_profile") from error
        member.categories.set(categories)
        member.languages.set(languages)
    return member


def member_claim(*, user, member_id):
    """Give ``user`` the unclaimed profile ``member_id`` whose contact email they have verified.

    One click, all checks under row locks: the profile is still unclaimed, its contact email is
    one of the user's verified addresses, and the user has no profile yet. Raises
    ``ValidationError`` (nothing changed) otherwise. The profile stays members-only until its
    new owner chooses what is public.
    """
    with transaction.atomic():
        _lock_user(user)
        if Member.objects.filter(owner=user).exists():
            raise ValidationError(_("You already have a profile."), code="has_profile")
        member = Member.objects.select_for_update().filter(pk=member_id).first()
        if member is None:
            raise ValidationError(_("This profile does not exist."), code="not_found")
        if member.owner_id is not None:
            raise ValidationError(_("This profile has already been claimed."), code="claimed")
        if not member.contact_email or member.contact_email.lower() not in verified_emails(user):
            raise ValidationError(
                _("Only a verified address equal to the profile's contact email can claim it."),
                code="email_mismatch",
            )
        member.owner = user
        member.claimed_at = timezone.now()
        member.save(update_fields=["owner", "claimed_at", "updated_at"])
    return member


def member_update(*, member, by, categories=None, languages=None, **fields):
    """Save the owner's changes to their profile; only the owner may call it.

    The region follows the country (``Member.save``). Raises ``PermissionDenied`` for anyone
    but the owner and ``ValidationError`` for an invalid field (nothing saved).
    """
    if member.owner_id is None or member.owner_id != by.pk:
        raise PermissionDenied
    with transaction.atomic():
        _set_fields(member, fields)
        member.full_clean(exclude=PROFILE_EXCLUDED_FROM_CLEAN)
        member.save()
        if categories is not None:
            member.categories.set(categories)
        if languages is not None:
            member.languages.set(languages)
    return member


def member_approve(*, member, by):
    """List a profile awaiting approval; ``by`` needs the ``members.approve_member`` permission.

    Idempotent: approving a listed profile changes nothing and sends nothing. The owner is owed
    one email (in their language), a delivery row written with the approval and sent after the
    commit, or by the next beat round if the broker is down. Returns the member as saved.
    """
    if not by.has_perm(APPROVE_PERMISSION):
        raise PermissionDenied
    from .tasks import send_member_notices

    with transaction.atomic():
        locked = Member.objects.select_for_update().get(pk=member.pk)
        if locked.status == Member.Status.LISTED:
            return locked
        locked.approve(by=by)
        if locked.owner_id is not None:
            ApprovalNotice.objects.create(member=locked, approved_at=locked.approved_at)
            transaction.on_commit(send_member_notices.delay, robust=True)
    member.status, member.approved_by, member.approved_at = (
        locked.status,
        locked.approved_by,
        locked.approved_at,
    )
    return locked


def approval_message(notice):
    """The approval email a notice owes; None once the profile is unlisted, re-approved or
    ownerless."""
    member = notice.member
    if (
        member.owner is None
        or member.status != Member.Status.LISTED
        or member.approved_at != notice.approved_at
    ):
        return None
    return build_email_for_user(
        "member_approved",
        {
            "member": member,
            "profile_url": absolute_url(member.get_absolute_url()),
            "edit_url": absolute_url(reverse("members:edit", args=[member.pk])),
        },
        user=member.owner,
    )


def member_notices_send():
    """Send each pending approval email exactly once; safe to run twice or in two workers."""
    return delivery.deliver(
        ApprovalNotice.objects.all(), approval_message, select_related=("member__owner",)
    )
