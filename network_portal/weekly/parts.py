"""The weekly email's own block on a member's home: when it comes, and a link to change it."""

from network_portal import registry

from .models import WeeklyEmail


def home_block(*, request):
    """The signed-in person's weekly email setting (None for visitors)."""
    if not request.user.is_authenticated:
        return None
    setting = WeeklyEmail.objects.filter(user=request.user).select_related("user").first()
    subscribed = setting is not None and setting.is_subscribed
    return {"setting": setting, "next_at": setting.next_moment() if subscribed else None}


def register():
    registry.register(
        registry.MEMBER_HOME_BLOCKS,
        name="weekly-email",
        order=90,
        template="weekly/_home_block.html",
        context=home_block,
    )
