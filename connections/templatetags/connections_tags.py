"""What pages of lower apps include from connections (they never import it)."""

from django import template
from django.db.models import Q

from members.models import Member

from .. import services, unread
from ..models import Introduction
from ..similarity import similar_members

register = template.Library()


@register.inclusion_tag("connections/_similar_members.html", takes_context=True)
def similar_members_of(context, member, limit=6):
    """The "Similar members" box of a profile page, as the signed-in user (or visitor) sees it.

    For a member with a listed profile, each suggestion they may write to has its "Introduce
    yourself" link (one more query).
    """
    request = context["request"]
    suggestions = similar_members(member, request.user, limit)
    sender = services.own_member(request.user)
    introducible = set()
    if suggestions and sender is not None and sender.status == Member.Status.LISTED:
        introducible = set(
            Member.objects.filter(
                pk__in=[suggestion.member.pk for suggestion in suggestions],
                owner__isnull=False,
                accepts_introductions=True,
                status=Member.Status.LISTED,
            )
            .exclude(pk=sender.pk)
            .values_list("pk", flat=True)
        )
    return {
        "member": member,
        "suggestions": suggestions,
        "introducible": introducible,
        "request": request,
        "user": request.user,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("connections/_introduce_button.html", takes_context=True)
def introduce_button(context, member):
    """An "Introduce yourself" button to ``member``'s owner, where the signed-in user may press it.

    Pages of lower apps (a profile, a partner request) include it; it renders nothing to those
    who may not introduce themselves (visitors, users without a listed profile, the owner, a
    profile unclaimed or closed to introductions). Where the two are connected it links to
    their conversation, where an introduction is on its way to it ("Introduction sent").
    """
    request = context["request"]
    sender = services.own_member(request.user)
    result = {"member": member, "may_introduce": False}
    if services.introduction_refusal(sender=sender, recipient=member) is not None:
        return result
    existing = _introductions_by_other(request, sender).get(member.pk)
    if existing is None:
        result["may_introduce"] = True
    elif existing.status == Introduction.Status.ACCEPTED:
        result["conversation_url"] = existing.conversation.get_absolute_url()
    else:
        result["introduction_url"] = existing.get_absolute_url()
    return result


def _introductions_by_other(request, sender):
    """The introduction between ``sender`` and each member they are connected with or have
    written to (still unanswered), by that member's pk: one query per request, however many
    buttons the page shows (a list of partner requests, similar members)."""
    kept = getattr(request, "_introductions_by_other", None)
    if kept is None:
        kept = {}
        involving = Introduction.objects.filter(Q(sender=sender) | Q(recipient=sender)).filter(
            Q(status=Introduction.Status.ACCEPTED)
            | Q(sender=sender, status__in=Introduction.OPEN_STATUSES)
        )
        for introduction in involving.select_related("conversation"):
            other = (
                introduction.recipient_id
                if introduction.sender_id == sender.pk
                else introduction.sender_id
            )
            if other not in kept or introduction.status == Introduction.Status.ACCEPTED:
                kept[other] = introduction
        request._introductions_by_other = kept
    return kept


@register.inclusion_tag("connections/_nav_link.html", takes_context=True)
def connections_nav_link(context):
    """The navigation's "Connections" link for a signed-in user, with a badge counting unread
    messages and introductions to answer (from the cache only; see ``connections/unread.py``)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"show": False}
    return {
        "show": True,
        "count": unread.badge_count(user),
        "active": getattr(request.resolver_match, "namespace", "") == "connections",
    }
