"""What the network app adds to the pages that gather from every app (``registry``)."""

from members.models import Member
from network_portal import registry

from . import world


def home_map(*, request):
    """The world map of the members the viewer can see."""
    codes = Member.objects.visible_to(request.user).values_list("country", flat=True)
    return {"map": world.render_map(world.country_counts(codes))}


def register():
    registry.register(
        registry.HOME_SECTIONS,
        name="network-map",
        order=20,
        template="network/_home_map.html",
        context=home_map,
    )
