from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from . import services
from .calendars import fundcall_calendar
from .filters import FundCallFilter
from .forms import FundAlertForm, FundCallSuggestForm
from .models import FundAlert, FundCall, FundCallEvent
from .tokens import alert_for_token

PAGE_SIZE = 20
FEED_SIZE = 100


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


def _filtered_calls(request):
    calls = FundCall.objects.with_followed(request.user).prefetch_related("categories")
    return FundCallFilter(request.GET, queryset=calls, request=request)


def _query_without_page(request):
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def fundcall_list(request):
    """Open calls by deadline, filtered from the query string; a bad value shows its error."""
    filterset = _filtered_calls(request)
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
