"""Letters and certificates: the public verification page, PDFs, and members' requests."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import letters
from .documents import document_pdf
from .forms import DocumentRevokeForm, LetterRequestForm
from .models import IssuedDocument, LetterRequest, Member

REVOKE_PERMISSION = "members.revoke_document"


def _get_document(token):
    documents = IssuedDocument.objects.select_related("member", "revoked_by")
    return get_object_or_404(documents, token=token)


def document_verify(request, token):
    """Anyone holding the document's link learns whether it is genuine and still valid."""
    document = _get_document(token)
    can_revoke = request.user.has_perm(REVOKE_PERMISSION)
    return render(
        request,
        "members/document_verify.html",
        {
            "document": document,
            "can_revoke": can_revoke,
            "revoke_form": DocumentRevokeForm() if can_revoke and not document.is_revoked else None,
            "can_download": document.can_download(request.user),
        },
    )


@require_POST
@login_required
def document_revoke(request, token):
    if not request.user.has_perm(REVOKE_PERMISSION):
        raise PermissionDenied
    document = _get_document(token)
    form = DocumentRevokeForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "members/document_verify.html",
            {"document": document, "can_revoke": True, "revoke_form": form},
            status=400,
        )
    letters.document_revoke(document=document, by=request.user, reason=form.cleaned_data["reason"])
    messages.success(request, _("The document is revoked; its page now says so."))
    return redirect(document)


@login_required
def document_download(request, token):
    document = _get_document(token)
    if not document.can_download(request.user):
        raise PermissionDenied
    response = HttpResponse(document_pdf(document), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{document.kind}-{document.pk}.pdf"'
    return response


def _my_member(user):
    return Member.objects.filter(owner=user).first()


@login_required
def my_documents(request):
    """The signed-in person's letters and certificates, and their letter request."""
    member = _my_member(request.user)
    documents = IssuedDocument.objects.held_by(request.user).select_related("member")
    latest_request = member.letter_requests.first() if member else None
    pending = latest_request and latest_request.status == LetterRequest.Status.PENDING
    return render(
        request,
        "members/my_documents.html",
        {
            "member": member,
            "documents": documents,
            "letter_request": latest_request,
            "form": LetterRequestForm() if member and not pending else None,
        },
    )


@require_POST
@login_required
def letter_request_create(request):
    member = _my_member(request.user)
    if member is None:
        raise PermissionDenied
    form = LetterRequestForm(request.POST)
    if form.is_valid():
        try:
            letters.letter_request(
                member=member, user=request.user, purpose=form.cleaned_data["purpose"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("Your request is sent: ILO staff will issue your letter here.")
            )
    else:
        messages.error(request, " ".join(form.errors.get("purpose", [])))
    return redirect("letters:mine")
