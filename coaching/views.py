"""Sessions: browse, register, calendars, and the pages hosts use to run their sessions."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from funds.models import FundCall
from members.models import Member

from . import attendance, calendars, services
from .exports import attendees_csv
from .filters import KnowledgeFilter, SessionFilter
from .forms import AttendanceForm, KnowledgeEntryForm, SessionForm, SessionNotesForm
from .models import (
    CalendarFeed,
    CoachingSession,
    KnowledgeEntry,
    Registration,
    SeriesMembership,
    SessionSeries,
    can_write_knowledge,
)

PAGE_SIZE = 20
# How long a finished or cancelled session stays in a personal feed.
FEED_HISTORY = timedelta(days=90)


def _with_visible_hosts(sessions, user):
    """Prefetch into ``visible_hosts`` the hosts whose profile ``user`` may see (one query)."""
    hosts = Member.objects.visible_to(user).only("pk", "name", "owner_id")
    return sessions.prefetch_related(Prefetch("hosts", queryset=hosts, to_attr="visible_hosts"))


def _get_session_for_user(request, pk, *, manage=False):
    """The session at ``pk``; with ``manage``, only for its hosts and ILO staff."""
    sessions = CoachingSession.objects.select_related("language", "series", "fund_call")
    sessions = sessions.with_seats()
    sessions = _with_visible_hosts(sessions.prefetch_related("categories", "hosts"), request.user)
    session = get_object_or_404(sessions, pk=pk)
    if manage and not session.can_manage(request.user):
        raise PermissionDenied
    return session


def _session_list(request, *, past):
    now = timezone.now()
    sessions = CoachingSession.objects
    base = sessions.past(now=now) if past else sessions.upcoming(now=now)
    filterset = SessionFilter(request.GET or None, queryset=base, request=request)
    sessions = (
        filterset.results.select_related("language")
        .with_seats()
        .with_status_for(request.user)
        .prefetch_related("categories")
    )
    page = Paginator(_with_visible_hosts(sessions, request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "coaching/index.html",
        {
            "filter": filterset,
            "page": page,
            "sessions": page.object_list,
            "past": past,
            "can_create": request.user.has_perm("coaching.add_coachingsession"),
        },
    )


def session_list(request):
    return _session_list(request, past=False)


def session_past(request):
    return _session_list(request, past=True)


def session_detail(request, pk):
    session = _get_session_for_user(request, pk)
    registration = None
    if request.user.is_authenticated:
        registration = Registration.objects.filter(session=session, user=request.user).first()
    holds_seat = registration is not None and registration.status == Registration.Status.REGISTERED
    can_manage = session.can_manage(request.user)
    entries = KnowledgeEntry.objects.visible_to(request.user).filter(session=session)
    fund_call = session.fund_call
    if fund_call and not FundCall.objects.visible_to(request.user).filter(pk=fund_call.pk).exists():
        fund_call = None
    return render(
        request,
        "coaching/detail.html",
        {
            "session": session,
            "registration": registration if registration and registration.is_active else None,
            "waitlist_position": registration.waitlist_position() if registration else None,
            "show_link": holds_seat or can_manage,
            "can_manage": can_manage,
            "knowledge_entries": entries,
            "fund_call": fund_call,
            "series_member": session.series_id
            and request.user.is_authenticated
            and SeriesMembership.objects.filter(
                series_id=session.series_id, user=request.user
            ).exists(),
        },
    )


@require_POST
@login_required
def session_register(request, pk):
    session = get_object_or_404(CoachingSession, pk=pk)
    try:
        registration = services.registration_create(session=session, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if registration.status == Registration.Status.REGISTERED:
            messages.success(request, _("You are registered. See you there!"))
        else:
            messages.info(
                request,
                _("The session is full: you are on the waitlist; we email you if a seat frees up."),
            )
    return redirect(session)


@require_POST
@login_required
def session_unregister(request, pk):
    session = get_object_or_404(CoachingSession, pk=pk)
    try:
        registration = services.registration_cancel(session=session, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if registration is not None:
            messages.success(request, _("Your registration is cancelled."))
    return redirect(session)


def _series_redirect(request, series):
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(next_url)
    session = services.series_coming_sessions(series).first()
    return redirect(session or "coaching:list")


@require_POST
@login_required
def series_join(request, pk):
    series = get_object_or_404(SessionSeries, pk=pk, is_active=True)
    _membership, registrations = services.series_join(series=series, user=request.user)
    seats = sum(1 for r in registrations if r.status == Registration.Status.REGISTERED)
    waitlisted = len(registrations) - seats
    messages.success(
        request,
        ngettext(
            "You joined the series: a seat in %(seats)d coming session.",
            "You joined the series: a seat in %(seats)d coming sessions.",
            seats,
        )
        % {"seats": seats},
    )
    if waitlisted:
        messages.info(
            request,
            ngettext(
                "%(count)d session is full: you are on its waitlist.",
                "%(count)d sessions are full: you are on their waitlists.",
                waitlisted,
            )
            % {"count": waitlisted},
        )
    return _series_redirect(request, series)


@require_POST
@login_required
def series_leave(request, pk):
    series = get_object_or_404(SessionSeries, pk=pk)
    services.series_leave(series=series, user=request.user)
    messages.success(
        request, _("You left the series; your places in its coming sessions are freed.")
    )
    return _series_redirect(request, series)


def _ics_response(content, filename):
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def session_ics(request, pk):
    """ "Add to calendar": the session as METHOD PUBLISH; the link only for those who may see it."""
    session = _get_session_for_user(request, pk)
    show_link = session.can_manage(request.user) or (
        request.user.is_authenticated
        and session.registrations.filter(
            user=request.user, status=Registration.Status.REGISTERED
        ).exists()
    )
    event = calendars.session_event(session, show_link=show_link)
    return _ics_response(calendars.calendar([event]), f"session-{session.pk}.ics")


@never_cache
def calendar_feed(request, token):
    """A person's feed: the sessions they hold a seat in or host, and followed call deadlines."""
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None:
        raise Http404
    user = feed.user
    if not user.is_active:
        raise Http404
    mine = Q(registrations__user=user, registrations__status=Registration.Status.REGISTERED)
    sessions = (
        CoachingSession.objects.filter(mine | Q(hosts__owner=user))
        .filter(end__gte=timezone.now() - FEED_HISTORY)
        .distinct()
        .order_by("start")
    )
    events = [calendars.session_event(session, show_link=True) for session in sessions]
    events += calendars.followed_fund_call_deadlines(user)
    content = calendars.calendar(events, name=_("My Skills Innovation Network calendar"))
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="calendar.ics"'
    return response


@login_required
def calendar_settings(request):
    """See the secret feed address, or reset it so the old one stops working at once."""
    if request.method == "POST":
        services.calendar_feed_reset(user=request.user)
        messages.success(
            request, _("Your calendar has a new address; the old one no longer works.")
        )
        return redirect("coaching:calendar")
    feed = services.calendar_feed_get(user=request.user)
    feed_url = f"{settings.PORTAL_BASE_URL}{feed.get_absolute_url()}"
    return render(request, "coaching/calendar.html", {"feed_url": feed_url})


@login_required
@permission_required("coaching.add_coachingsession", raise_exception=True)
def session_create(request):
    form = SessionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        session = services.session_create(
            session=form.save(commit=False),
            creator=request.user,
            categories=form.cleaned_data["categories"],
        )
        messages.success(request, _("The session is published."))
        return redirect(session)
    return render(request, "coaching/session_form.html", {"form": form, "session": None})


@login_required
def session_edit(request, pk):
    session = _get_session_for_user(request, pk, manage=True)
    if session.is_cancelled or session.is_over:
        messages.error(request, _("A cancelled or finished session can no longer be changed."))
        return redirect(session)
    form = SessionForm(request.POST or None, instance=session, user=request.user)
    if request.method == "POST" and form.is_valid():
        session = form.save(commit=False)
        announced = services.session_save(session=session)
        form.save_m2m()
        if announced:
            messages.success(request, _("Saved. Everyone registered is emailed about the change."))
        else:
            messages.success(request, _("Saved."))
        return redirect(session)
    return render(request, "coaching/session_form.html", {"form": form, "session": session})


@login_required
def session_cancel(request, pk):
    session = _get_session_for_user(request, pk, manage=True)
    if session.is_cancelled or session.is_over:
        messages.error(request, _("A cancelled or finished session can no longer be changed."))
        return redirect(session)
    if request.method == "POST":
        services.session_cancel(session=session)
        messages.success(request, _("The session is cancelled; everyone registered is emailed."))
        return redirect(session)
    return render(request, "coaching/cancel.html", {"session": session})


def _attendees(session):
    return (
        session.registrations.exclude(status=Registration.Status.CANCELLED)
        .select_related("user", "user__member")
        .order_by("status", "queued_at", "pk")
    )


@login_required
def session_attendees(request, pk):
    session = _get_session_for_user(request, pk, manage=True)
    return render(
        request,
        "coaching/attendees.html",
        {
            "session": session,
            "registrations": _attendees(session),
            "show_email": request.user.has_perm("members.view_private_contacts"),
        },
    )


@login_required
def session_attendees_csv(request, pk):
    session = _get_session_for_user(request, pk, manage=True)
    show_email = request.user.has_perm("members.view_private_contacts")
    return attendees_csv(session, _attendees(session), show_email=show_email)


@login_required
def session_notes(request, pk):
    session = _get_session_for_user(request, pk, manage=True)
    form = SessionNotesForm(request.POST or None, instance=session)
    if request.method == "POST" and form.is_valid():
        session = form.save(commit=False)
        # Only these columns: a whole-row save would undo a cancellation made meanwhile.
        session.save(update_fields=[*form.changed_data, "updated_at"])
        messages.success(request, _("Notes and resources saved."))
        return redirect(session)
    return render(request, "coaching/notes_form.html", {"form": form, "session": session})


# ---- Knowledge base -------------------------------------------------------------------------


def _get_entry_for_user(request, slug, *, edit=False):
    """The entry at ``slug`` if ``user`` may read it (and, with ``edit``, change it)."""
    entry = get_object_or_404(
        KnowledgeEntry.objects.select_related("language", "session", "author"), slug=slug
    )
    if not KnowledgeEntry.objects.visible_to(request.user).filter(pk=entry.pk).exists():
        raise PermissionDenied
    if edit and not entry.can_edit(request.user):
        raise PermissionDenied
    return entry


def knowledge_list(request):
    entries = KnowledgeEntry.objects.visible_to(request.user)
    filterset = KnowledgeFilter(request.GET or None, queryset=entries, request=request)
    results = filterset.results.select_related("language").prefetch_related("categories")
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "coaching/knowledge_list.html",
        {
            "filter": filterset,
            "page": page,
            "entries": page.object_list,
            "can_write": can_write_knowledge(request.user),
        },
    )


def knowledge_detail(request, slug):
    try:
        entry = _get_entry_for_user(request, slug)
    except PermissionDenied:
        if request.user.is_authenticated:
            raise
        return redirect_to_login(request.get_full_path())
    return render(
        request,
        "coaching/knowledge_detail.html",
        {
            "entry": entry,
            "categories": entry.categories.all(),
            "can_edit": entry.can_edit(request.user),
        },
    )


@login_required
def knowledge_create(request):
    if not can_write_knowledge(request.user):
        raise PermissionDenied
    form = KnowledgeEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        entry = form.save(commit=False)
        entry.author = request.user
        entry.save()
        form.save_m2m()
        messages.success(request, _("The entry is published."))
        return redirect(entry)
    return render(request, "coaching/knowledge_form.html", {"form": form, "entry": None})


@login_required
def knowledge_edit(request, slug):
    entry = _get_entry_for_user(request, slug, edit=True)
    form = KnowledgeEntryForm(request.POST or None, instance=entry)
    if request.method == "POST" and form.is_valid():
        entry = form.save()
        messages.success(request, _("Saved."))
        return redirect(entry)
    return render(request, "coaching/knowledge_form.html", {"form": form, "entry": entry})


# ---- Attendance and certificates of participation --------------------------------------------


@login_required
def session_attendance(request, pk):
    """Hosts (and ILO staff) tick who attended, once the session has started."""
    session = _get_session_for_user(request, pk, manage=True)
    if not session.can_take_attendance:
        messages.error(request, _("Attendance is taken once the session has started."))
        return redirect(session)
    registrations = _attendees(session)
    # Unticking everyone posts no field at all: bind on the method, not on the data.
    data = request.POST if request.method == "POST" else None
    form = AttendanceForm(data, registrations=registrations)
    if request.method == "POST" and form.is_valid():
        present = attendance.attendance_record(
            session=session, attended=form.cleaned_data["attended"]
        )
        messages.success(
            request,
            ngettext(
                "Attendance saved: %(count)d person attended.",
                "Attendance saved: %(count)d people attended.",
                present,
            )
            % {"count": present},
        )
        return redirect("coaching:attendance", pk=session.pk)
    return render(request, "coaching/attendance.html", {"session": session, "form": form})


@login_required
def my_certificates(request):
    """The series giving certificates that the signed-in person attended, and their progress."""
    return render(
        request,
        "coaching/certificates.html",
        {"series_list": attendance.series_with_progress(request.user)},
    )


@require_POST
@login_required
def series_certificate(request, pk):
    series = get_object_or_404(SessionSeries, pk=pk)
    try:
        document = attendance.certificate_issue(user=request.user, series=series)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("coaching:certificates")
    return redirect("letters:pdf", token=document.token)
