from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from . import services
from .calendars import fundcall_calendar
from .filters import FundCallFilter, PartnerRequestFilter
from .forms import FundAlertForm, FundCallSuggestForm, PartnerRequestForm
from .models import FundAlert, FundCall, FundCallEvent, PartnerRequest
from .tokens import alert_for_token

PAGE_SIZE = 20
FEED_SIZE = 100
PARTNERS_ON_CALL_PAGE = 10


def _get_call_for_user(request, pk):
    """The call ``pk`` if ``request.user`` may see it; the one place that decides."""
    call = (
        FundCall.objects.visible_to(request.user)
        .with_followed(request.user)
        .prefetch_related("categories")
        .filter(pk=pk)
        .first()
    )
    if call is None:
        raise Http404(_("No such fund call."))
    return call


def _filtered_calls(request, *, counts=False):
    calls = FundCall.objects.with_followed(request.user).prefetch_related("categories")
    if counts:
        calls = calls.with_partner_request_counts(request.user)
    return FundCallFilter(request.GET, queryset=calls, request=request)


def _query_without_page(request):
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def fundcall_list(request):
    """Open calls by deadline, filtered from the query string; a bad value shows its error."""
    filterset = _filtered_calls(request, counts=True)
    page = Paginator(filterset.results, PAGE_SIZE).get_page(request.GET.get("page"))
    feed_query = urlencode(filterset.active_filters())
    context = {
        "filterset": filterset,
        "form": filterset.form,
        "valid": filterset.is_valid(),
        "page": page,
        "query": _query_without_page(request),
        "feed_query": f"?{feed_query}" if feed_query else "",
        "show_closed": filterset.is_valid() and filterset.form.cleaned_data.get("closed"),
        "has_profile": filterset.member is not None,
    }
    return render(request, "funds/index.html", context)


def fundcall_detail(request, pk):
    call = _get_call_for_user(request, pk)
    context = {"call": call, "is_open": call.is_open(), "days_left": call.days_left()}
    if request.user.is_authenticated:
        partner_requests = list(
            PartnerRequest.objects.visible_to(request.user)
            .open()
            .filter(call=call)
            .for_list()[: PARTNERS_ON_CALL_PAGE + 1]
        )
        context["partner_requests"] = partner_requests[:PARTNERS_ON_CALL_PAGE]
        context["more_partner_requests"] = len(partner_requests) > PARTNERS_ON_CALL_PAGE
        context["has_profile"] = getattr(request.user, "member", None) is not None
    if request.user.has_perm("funds.view_fundcallevent") and call.status != call.Status.PUBLISHED:
        context["events"] = FundCallEvent.objects.filter(call=call).select_related("actor")[:5]
    return render(request, "funds/detail.html", context)


def fundcall_calendar_file(request, pk):
    call = _get_call_for_user(request, pk)
    response = HttpResponse(fundcall_calendar([call]), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="fund-call-{call.pk}.ics"'
    return response


def _back(request, call):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect(call)


@login_required
@require_POST
def fundcall_follow(request, pk):
    call = _get_call_for_user(request, pk)
    try:
        services.follow_create(user=request.user, call=call)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("You follow this call: we will remind you before its deadline.")
        )
    return _back(request, call)


@login_required
@require_POST
def fundcall_unfollow(request, pk):
    call = _get_call_for_user(request, pk)
    services.follow_delete(user=request.user, call=call)
    messages.success(request, _("You no longer follow this call."))
    return _back(request, call)


@login_required
def following(request):
    calls = (
        FundCall.objects.visible_to(request.user)
        .filter(follows__user=request.user)
        .with_followed(request.user)
        .prefetch_related("categories")
        .order_by("deadline", "pk")
    )
    page = Paginator(calls, PAGE_SIZE).get_page(request.GET.get("page"))
    alert = FundAlert.objects.filter(user=request.user).first()
    return render(request, "funds/following.html", {"page": page, "alert": alert})


@login_required
def suggest(request):
    """Members suggest a call; it waits for a curator, who publishes or rejects it."""
    form = FundCallSuggestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "categories"}
        services.fundcall_suggest(
            by=request.user, categories=form.cleaned_data["categories"], **fields
        )
        messages.success(
            request,
            _(
                "Thank you: your suggestion awaits review by the Core Group. "
                "We will email you when it is published or declined."
            ),
        )
        return redirect("funds:list")
    return render(request, "funds/suggest.html", {"form": form})


@login_required
def alerts(request):
    """Choose what to hear about; the form starts from the person's profile."""
    alert = FundAlert.objects.filter(user=request.user).prefetch_related("categories").first()
    if alert is None:
        initial = services.fundalert_defaults(request.user)
    else:
        initial = {
            "categories": list(alert.categories.all()),
            "regions": alert.regions,
            "frequency": alert.frequency,
            "remind_14": alert.remind_14,
            "remind_7": alert.remind_7,
            "remind_1": alert.remind_1,
            "remind_matching": alert.remind_matching,
        }
    form = FundAlertForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        categories, regions = data.pop("categories"), data.pop("regions")
        services.fundalert_save(user=request.user, categories=categories, regions=regions, **data)
        messages.success(request, _("Your fund alerts are saved."))
        return redirect("funds:alerts")
    context = {"form": form, "alert": alert, "unsubscribed": alert and not alert.is_active}
    return render(request, "funds/alerts.html", context)


# The token is the proof: mail clients' one-click POST (RFC 8058) carries no CSRF token.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """GET shows one button and changes nothing (mail scanners follow links); POST unsubscribes."""
    alert = alert_for_token(token)
    if alert is None:
        return render(request, "funds/unsubscribe_invalid.html", status=400)
    if request.method == "POST":
        services.fundalert_unsubscribe(alert=alert)
        return render(request, "funds/unsubscribed.html", {"alert": alert})
    return render(request, "funds/unsubscribe.html", {"alert": alert, "token": token})


def deadlines_calendar(request):
    """The deadlines of the calls the filters select, as a calendar to subscribe to."""
    filterset = _filtered_calls(request)
    if not filterset.is_valid():
        return HttpResponseBadRequest(
            _("Invalid filter: %(errors)s") % {"errors": filterset.errors.as_text()},
            content_type="text/plain; charset=utf-8",
        )
    content = fundcall_calendar(
        filterset.results[:FEED_SIZE], name=_("Skills Innovation Network: fund deadlines")
    )
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="fund-deadlines.ics"'
    return response


def feed_rss(request):
    """The calls the filters select, as RSS; a bad filter answers 400, never every call."""
    from .feeds import FundCallFeed

    filterset = _filtered_calls(request)
    if not filterset.is_valid():
        return HttpResponseBadRequest(
            _("Invalid filter: %(errors)s") % {"errors": filterset.errors.as_text()},
            content_type="text/plain; charset=utf-8",
        )
    return FundCallFeed()(request)


# ---- Partner requests: members-only, like the profiles they come from -----------------------


def _get_partner_request_for_user(request, pk):
    """The request ``pk`` if ``request.user`` may read it; the one place that decides."""
    partner_request = (
        PartnerRequest.objects.visible_to(request.user).for_list().filter(pk=pk).first()
    )
    if partner_request is None:
        raise Http404(_("No such partner request."))
    return partner_request


def _get_partner_request_for_poster(request, pk):
    """The request ``pk`` if ``request.user`` posted it: 403 for other readers, 404 for the rest."""
    partner_request = _get_partner_request_for_user(request, pk)
    if not partner_request.can_edit(request.user):
        raise PermissionDenied(_("Only its poster may change a partner request."))
    return partner_request


@login_required
def partner_list(request):
    """Open partner requests the viewer may read, filtered; a bad value shows its error."""
    requests = PartnerRequest.objects.visible_to(request.user).open().for_list()
    filterset = PartnerRequestFilter(request.GET, queryset=requests, request=request)
    page = Paginator(filterset.results, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filterset": filterset,
        "form": filterset.form,
        "valid": filterset.is_valid(),
        "page": page,
        "page_numbers": page.paginator.get_elided_page_range(page.number),
        "has_profile": getattr(request.user, "member", None) is not None,
    }
    return render(request, "funds/partners/list.html", context)


@login_required
def partner_detail(request, pk):
    partner_request = _get_partner_request_for_user(request, pk)
    context = {
        "partner_request": partner_request,
        "call": partner_request.call,
        "is_open": partner_request.is_open(),
        "can_edit": partner_request.can_edit(request.user),
    }
    return render(request, "funds/partners/detail.html", context)


def _form_fields(form):
    fields = dict(form.cleaned_data)
    return fields.pop("categories"), fields


@login_required
def partner_create(request, pk):
    """A member applying to an open call looks for partners; no profile: create one first."""
    call = _get_call_for_user(request, pk)
    if getattr(request.user, "member", None) is None:
        messages.info(request, _("Create your profile first: a partner request is posted for it."))
        return redirect("members:start")
    if not call.is_open():
        messages.error(request, _("This call is closed: it takes no more partner requests."))
        return redirect(call)
    form = PartnerRequestForm(request.POST or None, call=call)
    if request.method == "POST" and form.is_valid():
        categories, fields = _form_fields(form)
        try:
            partner_request = services.partner_request_create(
                user=request.user, call=call, categories=categories, **fields
            )
        except ValidationError as error:
            if error.code != "duplicate":
                messages.error(request, " ".join(error.messages))
                return redirect(call)
            form.add_error(None, error)
            return render(request, "funds/partners/form.html", {"form": form, "call": call})
        messages.success(
            request,
            _(
                "Your partner request is posted. Members see it on the call's page and in "
                "partner search; followers of the call read of it in their weekly email."
            ),
        )
        return redirect(partner_request)
    return render(request, "funds/partners/form.html", {"form": form, "call": call})


@login_required
def partner_edit(request, pk):
    partner_request = _get_partner_request_for_poster(request, pk)
    if not partner_request.is_open():
        messages.error(request, _("This partner request is closed: it can no longer change."))
        return redirect(partner_request)
    call = partner_request.call
    form = PartnerRequestForm(request.POST or None, instance=partner_request, call=call)
    if request.method == "POST" and form.is_valid():
        categories, fields = _form_fields(form)
        try:
            services.partner_request_update(
                partner_request=partner_request, by=request.user, categories=categories, **fields
            )
        except ValidationError as error:
            if error.code != "duplicate":
                messages.error(request, " ".join(error.messages))
                return redirect(partner_request)
            form.add_error(None, error)
        else:
            messages.success(request, _("Your partner request is saved."))
            return redirect(partner_request)
    context = {"form": form, "call": call, "partner_request": partner_request}
    return render(request, "funds/partners/form.html", context)


@login_required
@require_POST
def partner_close(request, pk):
    partner_request = _get_partner_request_for_poster(request, pk)
    services.partner_request_close(partner_request=partner_request, by=request.user)
    messages.success(request, _("Your partner request is closed: it no longer shows in lists."))
    return redirect(partner_request)
