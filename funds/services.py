"""Writes of the funds app: a call's moves, follows, alerts, and the emails they owe.

Emails are owed as delivery rows written in the same transaction as the change that owes them,
so a lost Celery message (a Redis restart) only delays them until the next beat run.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from network_portal import delivery
from network_portal.weekly.services import weekly_email_subscribe

from . import emails
from .models import (
    MODERATE_PERMISSION,
    REMINDER_DAYS,
    Follow,
    FundAlert,
    FundCall,
    FundCallDelivery,
    FundCallEvent,
    PartnerRequest,
    contains_slug,
)

Status = FundCall.Status
Kind = FundCallDelivery.Kind


def _locked(call):
    return FundCall.objects.select_for_update().get(pk=call.pk)


def _send_after_commit():
    from .tasks import send_fund_emails

    # Robust: the rows are saved; if the broker is down, the next beat round sends them.
    transaction.on_commit(send_fund_emails.delay, robust=True)


def _owe(call, user_ids, kind, *, due_at=None):
    """Owe ``kind`` about ``call`` to each user once; rows that exist already are left alone."""
    due_at = due_at or timezone.now()
    rows = [
        FundCallDelivery(user_id=user_id, call=call, kind=kind, due_at=due_at)
        for user_id in user_ids
    ]
    FundCallDelivery.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    return len(rows)


# ---- Who wants to hear of a call ----------------------------------------------------------


def alerts_matching(call):
    """Active alerts whose categories and regions fit ``call`` (none chosen: any fits)."""
    alerts = FundAlert.objects.filter(unsubscribed_at__isnull=True, user__is_active=True)
    chosen = FundAlert.categories.through.objects.filter(fundalert_id=OuterRef("pk"))
    shared = chosen.filter(category__in=call.categories.all())
    alerts = alerts.filter(~Exists(chosen) | Exists(shared))
    if call.eligible_regions:
        fits = Q(regions=[])
        for region in call.eligible_regions:
            fits |= contains_slug("regions", region)
        alerts = alerts.filter(fits)
    return alerts


def calls_matching_alert(alert, calls):
    """``calls`` narrowed to those ``alert`` asks about."""
    categories = list(alert.categories.all())
    if categories:
        calls = calls.in_categories(categories)
    if alert.regions:
        fits = Q(eligible_regions=[])
        for region in alert.regions:
            fits |= contains_slug("eligible_regions", region)
        calls = calls.filter(fits)
    return calls


# ---- A call's life --------------------------------------------------------------------------


def fundcall_suggest(*, by, categories, **fields):
    """Record a member's suggestion; nobody else sees it until a curator publishes it."""
    with transaction.atomic():
        call = FundCall.objects.create(status=Status.SUGGESTED, suggested_by=by, **fields)
        call.categories.set(categories)
        FundCallEvent.objects.create(
            call=call, actor=by, from_status="", to_status=Status.SUGGESTED, note="Suggested"
        )
    return call


def fundcall_record_creation(*, call, by):
    """Log that a curator entered ``call`` (in the admin); it starts as a suggestion."""
    return FundCallEvent.objects.create(
        call=call, actor=by, from_status="", to_status=call.status, note="Created"
    )


def fundcall_publish(*, call, by, note=""):
    """Publish ``call``; atomic, sends email after commit.

    Subscribers whose alert matches and asked for immediate news get one email each (never a
    second one, even if the call is closed and published again), and whoever suggested it is
    told. Raises ``ValidationError`` for a move the status map forbids or a past deadline.
    """
    with transaction.atomic():
        call = _locked(call)
        if call.deadline <= timezone.now():
            raise ValidationError(
                _("The deadline of “%(title)s” has passed: change it before publishing."),
                params={"title": call.title},
                code="deadline_passed",
            )
        previous = call.status
        call.transition(Status.PUBLISHED, by=by, note=note)
        subscribers = (
            alerts_matching(call)
            .filter(frequency=FundAlert.Frequency.IMMEDIATE)
            .exclude(user_id=call.suggested_by_id)
            .values_list("user_id", flat=True)
        )
        _owe(call, subscribers, Kind.NEW_CALL)
        if previous == Status.SUGGESTED and call.suggested_by_id:
            _owe(call, [call.suggested_by_id], Kind.SUGGESTION_PUBLISHED)
        _send_after_commit()
    return call


def fundcall_reject(*, call, by, reason):
    """Reject a suggestion with a reason the suggester receives by email; atomic."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give a reason: the person who suggested it will read it."))
    with transaction.atomic():
        call = _locked(call)
        call.transition(Status.REJECTED, by=by, note=reason)
        if call.suggested_by_id:
            _owe(call, [call.suggested_by_id], Kind.SUGGESTION_REJECTED)
            _send_after_commit()
    return call


def fundcall_close(*, call, by, note=""):
    """Close a published call before its deadline (the funder withdrew it); atomic."""
    with transaction.atomic():
        call = _locked(call)
        call.transition(Status.CLOSED, by=by, note=note)
    return call


def fundcall_archive(*, call, by, note=""):
    """Take a call off the portal for good; atomic. Its history stays in the admin."""
    with transaction.atomic():
        call = _locked(call)
        call.transition(Status.ARCHIVED, by=by, note=note)
    return call


# ---- Follows and alerts ---------------------------------------------------------------------


def fundalert_defaults(user):
    """What a new alert starts with: the categories and region of the person's profile."""
    member = getattr(user, "member", None)
    return {
        "categories": list(member.categories.all()) if member else [],
        "regions": [member.region] if member and member.region else [],
        "frequency": FundAlert.Frequency.IMMEDIATE,
        "remind_14": False,
        "remind_7": True,
        "remind_1": True,
        "remind_matching": False,
    }


def _alert_for(user, *, frequency):
    alert = FundAlert.objects.filter(user=user).first()
    if alert is not None:
        return alert
    defaults = fundalert_defaults(user)
    categories = defaults.pop("categories")
    defaults["frequency"] = frequency
    alert, created = FundAlert.objects.get_or_create(user=user, defaults=defaults)
    if created:
        alert.categories.set(categories)
    return alert


def follow_create(*, user, call):
    """Follow a published call (idempotent); reminders come by the person's alert settings.

    Someone who never set up alerts gets an alert for reminders only (7 and 1 days before),
    never news of other calls they did not ask for.
    """
    if not call.is_open():
        raise ValidationError(_("Only open calls can be followed."))
    with transaction.atomic():
        _alert_for(user, frequency=FundAlert.Frequency.NEVER)
        follow, _created = Follow.objects.get_or_create(user=user, call=call)
    return follow


def follow_delete(*, user, call):
    """Stop following (idempotent); reminders not yet sent are dropped at sending time."""
    deleted, _details = Follow.objects.filter(user=user, call=call).delete()
    return bool(deleted)


def fundalert_save(*, user, categories, regions, **settings):
    """Create or change the person's alert; saving it subscribes them again after an unsubscribe."""
    with transaction.atomic():
        alert, _created = FundAlert.objects.update_or_create(
            user=user, defaults={"regions": list(regions), "unsubscribed_at": None, **settings}
        )
        alert.categories.set(categories)
        if alert.frequency == FundAlert.Frequency.WEEKLY:
            weekly_email_subscribe(user=user)  # where its new calls now arrive
    return alert


def fundalert_unsubscribe(*, alert):
    """Stop every fund email to the alert's owner; idempotent. Returns whether it changed."""
    changed = FundAlert.objects.filter(pk=alert.pk, unsubscribed_at__isnull=True).update(
        unsubscribed_at=timezone.now()
    )
    return bool(changed)


# ---- Emails due later, found by the beat --------------------------------------------------------


def reminder_window(call, *, now):
    """The reminder whose window ``now`` is in (1, 7 or 14 days), None before the first."""
    for days in sorted(REMINDER_DAYS):
        if call.deadline - datetime.timedelta(days=days) <= now:
            return days
    return None


def fund_reminders_create_due(*, now=None):
    """Owe the deadline reminders now due; idempotent (one row per person, call and window).

    Only the current window counts: someone who follows a call three days before its deadline
    gets the 7-day reminder, never a late "14 days left". Returns how many rows were owed.
    """
    now = now or timezone.now()
    horizon = now + datetime.timedelta(days=max(REMINDER_DAYS))
    owed = 0
    for call in FundCall.objects.open(now=now).filter(deadline__lte=horizon):
        days = reminder_window(call, now=now)
        kind = FundCallDelivery.reminder_kind(days)
        follows = Follow.objects.filter(call=call, user=OuterRef("user"))
        already = FundCallDelivery.objects.filter(call=call, kind=kind, user=OuterRef("user"))
        alerts = (
            FundAlert.objects.filter(
                unsubscribed_at__isnull=True, user__is_active=True, **{f"remind_{days}": True}
            )
            .filter(
                Exists(follows) | Q(remind_matching=True, pk__in=alerts_matching(call).values("pk"))
            )
            .filter(~Exists(already))
        )
        owed += _owe(call, alerts.values_list("user_id", flat=True), kind, due_at=now)
    return owed


def fund_emails_send(*, limit=delivery.CHUNK_SIZE):
    """Send every fund email now due, each exactly once; safe to run twice or in two workers.

    Returns how many emails the SMTP server accepted.
    """
    sent = delivery.deliver(
        FundCallDelivery.objects.all(),
        emails.fundcall_message,
        select_related=("user", "user__fund_alert"),
        prefetch_related=("call",),
        limit=limit,
    )
    return sent


def fund_alerts_run_due(*, now=None):
    """The beat's round: owe the reminders now due, then send all that is pending.

    New calls for alerts set to "weekly" go in the weekly email (``funds/parts.py``).
    """
    fund_reminders_create_due(now=now)
    return fund_emails_send()


# ---- Partner requests -----------------------------------------------------------------------


def _check_call_open(call):
    if not call.is_open():
        raise ValidationError(
            _("This call is closed: it takes no more partner requests."), code="call_closed"
        )


@transaction.atomic
def partner_request_create(*, user, call, categories, **fields):
    """Post a partner request on an open ``call`` for ``user``'s own profile.

    Sends nothing now: followers of the call read it in their weekly email (``funds.parts``).
    Raises ``ValidationError`` when the user has no profile or the call is closed.
    """
    member = getattr(user, "member", None)
    if member is None:
        raise ValidationError(
            _("Create your profile first: a partner request is posted for it."), code="no_profile"
        )
    call = FundCall.objects.select_for_update().get(pk=call.pk)  # a closing call waits for us
    _check_call_open(call)
    same_role = PartnerRequest.objects.filter(
        call=call, member=member, role=fields.get("role"), closed_at__isnull=True
    )
    # One past its own last day is closed in fact: record it, so a new one may take its place.
    same_role.filter(open_until__lte=timezone.now()).update(closed_at=F("open_until"))
    if same_role.exists():
        raise ValidationError(
            _("You already look for this role on this call: edit that request instead."),
            code="duplicate",
        )
    partner_request = PartnerRequest.objects.create(call=call, member=member, user=user, **fields)
    partner_request.categories.set(categories)
    return partner_request


@transaction.atomic
def partner_request_update(*, partner_request, by, categories, **fields):
    """Change the poster's own open request; only the poster may (``PartnerRequest.can_edit``)."""
    if not partner_request.can_edit(by):
        raise PermissionDenied
    _check_call_open(partner_request.call)
    others = PartnerRequest.objects.filter(
        call_id=partner_request.call_id,
        member_id=partner_request.member_id,
        role=fields.get("role", partner_request.role),
        closed_at__isnull=True,
    ).exclude(pk=partner_request.pk)
    if others.exists():
        raise ValidationError(
            _("You already look for this role on this call: edit that request instead."),
            code="duplicate",
        )
    for name, value in fields.items():
        setattr(partner_request, name, value)
    partner_request.save(update_fields=[*fields, "updated_at"])
    partner_request.categories.set(categories)
    return partner_request


def partner_request_close(*, partner_request, by):
    """The poster closes their request (idempotent: closing twice keeps the first time)."""
    if not partner_request.can_edit(by):
        raise PermissionDenied
    PartnerRequest.objects.filter(pk=partner_request.pk, closed_at__isnull=True).update(
        closed_at=timezone.now(), updated_at=timezone.now()
    )
    partner_request.refresh_from_db(fields=["closed_at", "updated_at"])
    return partner_request


def partner_requests_hide(*, queryset, by):
    """Moderators hide requests from every list (idempotent); returns how many were hidden now."""
    if not by.has_perm(MODERATE_PERMISSION):
        raise PermissionDenied
    return queryset.filter(hidden_at__isnull=True).update(
        hidden_at=timezone.now(), hidden_by=by, updated_at=timezone.now()
    )


def partner_requests_show(*, queryset, by):
    """Moderators show hidden requests again; returns how many."""
    if not by.has_perm(MODERATE_PERMISSION):
        raise PermissionDenied
    return queryset.filter(hidden_at__isnull=False).update(
        hidden_at=None, hidden_by=None, updated_at=timezone.now()
    )
