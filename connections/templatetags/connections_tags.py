"""What pages of lower apps include from connections (they never import it)."""

from django import template

from ..similarity import similar_members

register = template.Library()


@register.inclusion_tag("connections/_similar_members.html", takes_context=True)
def similar_members_of(context, member, limit=6):
    """The "Similar members" box of a profile page, as the signed-in user (or visitor) sees it."""
    request = context["request"]
    return {
        "member": member,
        "suggestions": similar_members(member, request.user, limit),
        "request": request,
        "user": request.user,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("connections/_introduce_button.html", takes_context=True)
def introduce_button(context, member):
    """An "Introduce yourself" button to ``member``'s owner, where the signed-in user may press it.

    Pages of lower apps (a profile, a partner request) include it; it renders nothing to those
    who may not introduce themselves (visitors, the owner, a profile that takes no introductions).
    """
    return {"member": member, "request": context["request"], "may_introduce": False}
