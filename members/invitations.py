"""Inviting the call's applicants: rounds, the emails they owe, the one-step sign-up and claim.

Who may be invited: imported profiles nobody has claimed, with a contact email that is not on
the suppression list. A round writes, in one transaction, one ``Invitation`` per profile and two
delivery rows each: the invitation (due now) and the reminder (due in 14 days). The emails go
out through ``network_portal.delivery`` (exactly once) after the commit and on every beat.
"""

import smtplib

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from network_portal import delivery
from network_portal.emails import absolute_url, build_email, unsubscribe_headers

from .invitation_models import (
    LINK_VALID_FOR,
    REMIND_AFTER,
    EmailSuppression,
    Invitation,
    InvitationEmail,
    InvitationRound,
)
from .models import Member
from .services import member_claim

INVITE_PERMISSION = "members.invite_members"
_LINK_SALT = "members.invitation"
_UNSUBSCRIBE_SALT = "members.unsubscribe"


# ---- Who may be invited -----------------------------------------------------------------------


def suppressed(email):
    return EmailSuppression.objects.filter(email__iexact=email).exists()


def invitable_members(queryset=None):
    """Imported, unclaimed profiles with a contact email that has not been suppressed."""
    queryset = Member.objects.all() if queryset is None else queryset
    suppression = EmailSuppression.objects.annotate(address=Lower("email")).filter(
        address=Lower(OuterRef("contact_email"))
    )
    return (
        queryset.filter(imported=True, owner__isnull=True)
        .exclude(contact_email="")
        .exclude(Exists(suppression))
    )


# ---- Sending a round ----------------------------------------------------------------------------


def invitation_round_create(*, by, members, filters=None):
    """Invite each of ``members`` that is still invitable; returns the round (None if nobody).

    ``by`` needs ``members.invite_members``. One invitation per profile per round, two emails
    owed each (now and the reminder), sent after the commit. Atomic.
    """
    if not by.has_perm(INVITE_PERMISSION):
        raise PermissionDenied
    from .tasks import send_invitations

    chosen = list(
        invitable_members(members).only("pk", "contact_email", "contact_language").order_by("pk")
    )
    if not chosen:
        return None
    now = timezone.now()
    with transaction.atomic():
        invitation_round = InvitationRound.objects.create(
            created_by=by, created_at=now, filters=filters or {}
        )
        invitations = Invitation.objects.bulk_create(
            [
                Invitation(
                    round=invitation_round,
                    member=member,
                    email=member.contact_email.lower(),
                    language=member.contact_language or "en",
                    created_at=now,
                    expires_at=now + LINK_VALID_FOR,
                )
                for member in chosen
            ]
        )
        InvitationEmail.objects.bulk_create(
            [
                InvitationEmail(invitation=invitation, kind=kind, due_at=due)
                for invitation in invitations
                for kind, due in (
                    (InvitationEmail.Kind.INVITATION, now),
                    (InvitationEmail.Kind.REMINDER, now + REMIND_AFTER),
                )
            ],
            ignore_conflicts=True,
        )
        transaction.on_commit(send_invitations.delay, robust=True)
    return invitation_round


# ---- Links --------------------------------------------------------------------------------------


def invitation_token(invitation):
    return signing.dumps({"i": invitation.pk, "s": invitation.secret}, salt=_LINK_SALT)


def invitation_url(invitation):
    return reverse("members:invitation_accept", args=[invitation_token(invitation)])


def unsubscribe_url(email):
    token = signing.dumps(email.lower(), salt=_UNSUBSCRIBE_SALT)
    return reverse("members:unsubscribe", args=[token])


def email_for_unsubscribe_token(token):
    """The address an unsubscribe link names, or None when the link was tampered with."""
    try:
        return signing.loads(token, salt=_UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None


class InvitationProblem(ValidationError):
    pass


def invitation_for_token(token, *, lock=False):
    """The invitation a link names, or ``InvitationProblem`` (code: invalid, expired, used)."""
    try:
        data = signing.loads(token, salt=_LINK_SALT, max_age=LINK_VALID_FOR)
    except signing.SignatureExpired as error:
        raise InvitationProblem(_("This invitation has expired."), code="expired") from error
    except signing.BadSignature as error:
        raise InvitationProblem(_("This invitation link is not valid."), code="invalid") from error
    queryset = Invitation.objects.select_related("member")
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    invitation = queryset.filter(pk=data.get("i"), secret=data.get("s")).first()
    if invitation is None:
        raise InvitationProblem(_("This invitation link is not valid."), code="invalid")
    if invitation.accepted_at is not None or invitation.member.owner_id is not None:
        raise InvitationProblem(_("This invitation has already been used."), code="used")
    if invitation.expires_at <= timezone.now():
        raise InvitationProblem(_("This invitation has expired."), code="expired")
    return invitation


def invitation_accept(*, token, full_name, password, preferred_language=None):
    """Sign up and claim in one step: a new account for the invited address (verified, since
    the link reached it), owning the invited profile. Single use.

    Raises ``InvitationProblem`` for a bad, expired or used link, ``ValidationError`` for a
    weak password or an address that already has an account (nothing written then).
    Returns the new user.
    """
    User = get_user_model()
    with transaction.atomic():
        invitation = invitation_for_token(token, lock=True)
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise ValidationError(
                _("An account already uses this address: sign in, then open the link again."),
                code="account_exists",
            )
        user = User(
            email=invitation.email,
            full_name=full_name,
            preferred_language=preferred_language or invitation.language,
        )
        validate_password(password, user)
        user.set_password(password)
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError as error:
            raise ValidationError(
                _("An account already uses this address: sign in, then open the link again."),
                code="account_exists",
            ) from error
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        _claim(invitation, user)
    return user


def invitation_accept_signed_in(*, token, user):
    """Claim the invited profile for a signed-in ``user`` whose verified address it was sent to.

    Raises ``InvitationProblem`` or ``ValidationError`` (nothing written then)."""
    with transaction.atomic():
        invitation = invitation_for_token(token, lock=True)
        _claim(invitation, user)
    return invitation.member


def _claim(invitation, user):
    member_claim(user=user, member_id=invitation.member_id)
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])


# ---- Emails -------------------------------------------------------------------------------------


def unsubscribe(email):
    """Put ``email`` on the suppression list; idempotent."""
    return _suppress(email, EmailSuppression.Reason.UNSUBSCRIBED)


def _suppress(email, reason, detail=""):
    existing = EmailSuppression.objects.filter(email__iexact=email).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            return EmailSuppression.objects.create(
                email=email.lower(), reason=reason, detail=detail[:500]
            )
    except IntegrityError:
        return EmailSuppression.objects.filter(email__iexact=email).first()


def invitation_message(row):
    """The email a row owes; None once the profile is claimed, the address suppressed, or (for
    the reminder) the invitation was never delivered or the link has expired."""
    invitation = row.invitation
    member = invitation.member
    if member.owner_id is not None or invitation.accepted_at is not None:
        return None
    if suppressed(invitation.email):
        return None
    if row.kind == InvitationEmail.Kind.REMINDER:
        delivered = InvitationEmail.objects.filter(
            invitation=invitation, kind=InvitationEmail.Kind.INVITATION, sent_at__isnull=False
        ).exists()
        if not delivered or invitation.expires_at <= timezone.now():
            return None
    unsubscribe_link = absolute_url(unsubscribe_url(invitation.email))
    template = (
        "member_invitation"
        if row.kind == InvitationEmail.Kind.INVITATION
        else "member_invitation_reminder"
    )
    message = build_email(
        template,
        {
            "member": member,
            "recipient_name": member.contact_name.split(" ")[0] if member.contact_name else "",
            "accept_url": absolute_url(invitation_url(invitation)),
            "unsubscribe_url": unsubscribe_link,
            "expires_at": invitation.expires_at,
        },
        to=invitation.email,
        language=invitation.language,
        headers=unsubscribe_headers(unsubscribe_link),
    )
    _record_permanent_refusal(message, invitation.email)
    return message


def _record_permanent_refusal(message, email):
    """When the relay refuses this address for good (5xx), never write to it again."""
    send = message.send

    def send_and_record(fail_silently=False):
        try:
            return send(fail_silently=fail_silently)
        except (smtplib.SMTPException, OSError) as error:
            if delivery.smtp_failure(error) == delivery.PERMANENT:
                _suppress(email, EmailSuppression.Reason.REFUSED, str(error))
            raise

    message.send = send_and_record


def invitations_send():
    """Send each invitation and reminder that is due, exactly once; safe in two workers."""
    return delivery.deliver(
        InvitationEmail.objects.all(),
        invitation_message,
        select_related=("invitation__member",),
    )
