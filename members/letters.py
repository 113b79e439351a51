"""Letters of introduction: requested by members, issued and revoked by ILO staff.

Letters and coaching's certificates are both ``IssuedDocument`` rows: ``document_issue`` writes
one, ``document_revoke`` revokes one; each is atomic. What a letter says is decided here, once,
in the member's language, and kept as printed.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .models import IssuedDocument, LetterRequest, Member

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def member_language(member):
    """The language of the member's documents: the owner's, else a working language, else en."""
    if member.owner_id and member.owner.preferred_language in LANGUAGE_CODES:
        return member.owner.preferred_language
    for language in member.languages.all():
        if language.code in LANGUAGE_CODES:
            return language.code
    return "en"


def letter_content(member, *, language, officer_name):
    """The statement and the [label, value] facts of ``member``'s letter, in ``language``."""
    with translation.override(language):
        since = date_format(timezone.localdate(member.approved_at or member.created_at))
        country = str(member.country.name)
        facts = [
            [
                _("Organization") if member.kind == Member.Kind.ORGANIZATION else _("Name"),
                member.name,
            ],
            [_("Country"), country],
            [
                _("Skills categories"),
                ", ".join(category.display_name for category in member.categories.all()),
            ],
        ]
        if member.project_title:
            facts.append([_("Project"), member.project_title])
        facts.append([_("Member since"), since])
        recognition = [_("Top Innovator")] if member.is_top_innovator else []
        recognition += [
            str(role.label) for role in member.roles.select_related("category") if role.is_current
        ]
        if recognition:
            facts.append([_("Recognition"), ", ".join(recognition)])
        facts.append([_("Issuing officer"), officer_name])
        statement = _(
            "The Skills Innovation Network of the International Labour Organization (ILO) "
            "introduces %(name)s (%(country)s), a member of the network since %(since)s. The "
            "network connects innovators who work on skills mismatch across the world. We would "
            "be grateful for any support you can give them."
        ) % {"name": member.name, "country": country, "since": since}
    return statement, facts


def document_issue(
    *,
    kind,
    holder_name,
    language,
    statement,
    facts,
    issued_by_name,
    member=None,
    holder=None,
    issued_by=None,
    reference="",
):
    """Write one verifiable document as it will be printed; atomic, sends nothing."""
    return IssuedDocument.objects.create(
        kind=kind,
        member=member,
        holder=holder,
        holder_name=holder_name,
        language=language,
        statement=statement,
        facts=facts,
        issued_by=issued_by,
        issued_by_name=issued_by_name,
        reference=reference,
    )


@transaction.atomic
def letter_issue(*, member, by):
    """Issue a letter of introduction for ``member``, signed by ``by`` (ILO staff).

    Answers the member's waiting request, if any, with this letter. Sends nothing: the member
    downloads the PDF from their letters page.
    """
    if not by.has_perm("members.issue_letter"):
        raise ValidationError(_("Only ILO staff issue letters of introduction."))
    member = Member.objects.select_related("owner").get(pk=member.pk)
    language = member_language(member)
    officer_name = by.display_name
    statement, facts = letter_content(member, language=language, officer_name=officer_name)
    document = document_issue(
        kind=IssuedDocument.Kind.LETTER,
        member=member,
        holder=member.owner,
        holder_name=member.name,
        language=language,
        statement=statement,
        facts=facts,
        issued_by=by,
        issued_by_name=officer_name,
    )
    LetterRequest.objects.filter(member=member, status=LetterRequest.Status.PENDING).update(
        status=LetterRequest.Status.ISSUED,
        document=document,
        handled_by=by,
        handled_at=document.issued_at,
    )
    return document


def letter_request(*, member, user, purpose=""):
    """Ask for a letter for ``member`` (its owner only); one waiting request per member."""
    if member.owner_id != user.pk:
        raise ValidationError(_("Only the profile's owner can ask for its letter."))
    try:
        with transaction.atomic():
            return LetterRequest.objects.create(member=member, requested_by=user, purpose=purpose)
    except IntegrityError:
        raise ValidationError(_("Your request is already waiting for ILO staff.")) from None


@transaction.atomic
def letter_request_decline(*, letter_request, by):
    """Decline a waiting request; a request already answered stays as it is."""
    return LetterRequest.objects.filter(
        pk=letter_request.pk, status=LetterRequest.Status.PENDING
    ).update(status=LetterRequest.Status.DECLINED, handled_by=by, handled_at=timezone.now())


@transaction.atomic
def document_revoke(*, document, by, reason):
    """Revoke a letter or certificate for good; the verification page says so from now on.

    Only for ``members.revoke_document``; revoking twice keeps the first revocation.
    """
    if not by.has_perm("members.revoke_document"):
        raise ValidationError(_("You may not revoke documents."))
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why the document is revoked."))
    document = IssuedDocument.objects.select_for_update().get(pk=document.pk)
    if document.revoked_at is None:
        document.revoked_at = timezone.now()
        document.revoked_by = by
        document.revocation_reason = reason
        document.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
    return document
