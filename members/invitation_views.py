"""Pages of the invitations: staff choose and invite; applicants accept or unsubscribe."""

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from network_portal.forms import BootstrapFormMixin

from . import invitations
from .filters import MemberFilter
from .invitation_models import EmailSuppression, InvitationEmail, InvitationRound
from .models import Member

PAGE_SIZE = 50


def _invitable_filter(request, data):
    """The directory's FilterSet over the profiles that may be invited."""
    queryset = invitations.invitable_members(Member.objects.visible_to(request.user))
    return MemberFilter(data or None, queryset=queryset, request=request)


@login_required
@permission_required(invitations.INVITE_PERMISSION, raise_exception=True)
def invitation_list(request):
    """Imported, unclaimed profiles (filtered like the directory) to invite, and past rounds."""
    data = request.GET.copy()
    data.pop("page", None)
    filterset = _invitable_filter(request, data)
    results = filterset.results.only(
        "pk", "name", "country", "contact_language", "contact_name", "created_at"
    ).annotate(invitation_count=Count("invitations"))
    paginator = Paginator(results.order_by("name", "pk"), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    rounds = InvitationRound.objects.select_related("created_by__member").annotate(
        invited=Count("invitations", distinct=True),
        accepted=Count(
            "invitations", filter=Q(invitations__accepted_at__isnull=False), distinct=True
        ),
        sent=Count(
            "invitations__emails",
            filter=Q(
                invitations__emails__kind=InvitationEmail.Kind.INVITATION,
                invitations__emails__sent_at__isnull=False,
            ),
            distinct=True,
        ),
        reminded=Count(
            "invitations__emails",
            filter=Q(
                invitations__emails__kind=InvitationEmail.Kind.REMINDER,
                invitations__emails__sent_at__isnull=False,
            ),
            distinct=True,
        ),
    )[:20]
    return render(
        request,
        "members/invitations.html",
        {
            "filterset": filterset,
            "form": filterset.form,
            "page": page,
            "hidden_filters": [
                (name, value) for name in filterset.filters for value in data.getlist(name)
            ],
            "rounds": rounds,
            "suppressed": EmailSuppression.objects.count(),
        },
    )


@login_required
@permission_required(invitations.INVITE_PERMISSION, raise_exception=True)
@require_POST
def invitation_send(request):
    """Invite the profiles ticked, or every profile the filters match (``all``)."""
    filterset = _invitable_filter(request, request.POST.copy())
    if filterset.is_bound and not filterset.is_valid():
        messages.error(request, _("These filters are not valid: nobody was invited."))
        return redirect("members:invitations")
    if request.POST.get("all") == "1":
        chosen = filterset.results
    else:
        ids = [value for value in request.POST.getlist("member") if value.isdigit()]
        chosen = filterset.results.filter(pk__in=ids)
    invitation_round = invitations.invitation_round_create(
        by=request.user, members=chosen, filters=filterset.active_filters()
    )
    if invitation_round is None:
        messages.warning(request, _("Nobody to invite: choose at least one profile."))
    else:
        count = invitation_round.invitations.count()
        messages.success(
            request,
            _("%(count)s invitations are on their way.") % {"count": count},
        )
    return redirect("members:invitations")


class AcceptForm(BootstrapFormMixin, forms.Form):
    full_name = forms.CharField(label=gettext_lazy("Your full name"), max_length=150)
    password1 = forms.CharField(
        label=gettext_lazy("Choose a password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=gettext_lazy("The same password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", gettext_lazy("The two passwords differ."))
        return cleaned


def invitation_accept(request, token):
    """The personal link: sign up and claim the profile in one step (or claim, signed in)."""
    try:
        invitation = invitations.invitation_for_token(token)
    except invitations.InvitationProblem as problem:
        return render(request, "members/invitation_invalid.html", {"problem": problem}, status=410)
    signed_in = request.user.is_authenticated
    form = None if signed_in else AcceptForm(request.POST or None)
    if request.method == "POST":
        try:
            if signed_in:
                member = invitations.invitation_accept_signed_in(token=token, user=request.user)
            elif form.is_valid():
                user = invitations.invitation_accept(
                    token=token,
                    full_name=form.cleaned_data["full_name"],
                    password=form.cleaned_data["password1"],
                )
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                member = invitation.member
            else:
                member = None
        except invitations.InvitationProblem as problem:
            return render(
                request, "members/invitation_invalid.html", {"problem": problem}, status=410
            )
        except ValidationError as error:
            if form is not None and getattr(error, "code", None) != "account_exists":
                form.add_error("password1", error)
            else:
                for message in error.messages:
                    messages.error(request, message)
            member = None
        if member is not None:
            messages.success(
                request,
                _("Welcome! This profile is now yours: check it and choose what others may see."),
            )
            return redirect("members:edit", pk=member.pk)
    return render(
        request,
        "members/invitation_accept.html",
        {"invitation": invitation, "member": invitation.member, "form": form},
    )


# Mail clients send the one-click unsubscribe (RFC 8058) as a POST without our CSRF token; the
# signed address in the URL is what authorises it.
@csrf_exempt
def unsubscribe(request, token):
    """Stop invitations to an address: the link shows a button (GET changes nothing, so link
    scanners unsubscribe nobody), the button or a mail client's one-click POST does it."""
    email = invitations.email_for_unsubscribe_token(token)
    if email is None:
        return render(request, "members/unsubscribe.html", {"invalid": True}, status=400)
    done = False
    if request.method == "POST":
        invitations.unsubscribe(email)
        done = True
    return render(request, "members/unsubscribe.html", {"done": done, "token": token})
