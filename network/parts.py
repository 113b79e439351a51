"""What the network app adds to the pages that gather from every app (``registry``)."""

from network_portal import registry

from . import graph, world


def home_map(*, request):
    """The world map of the members the viewer's graph holds, from the last computation (no
    query); None until the first one (it is asked for)."""
    data = graph.cached(graph.audience_for(request.user))
    if data is None:
        graph.mark_dirty()
        return None
    return {"map": world.render_map(data["countries"])}


def register():
    registry.register(
        registry.HOME_SECTIONS,
        name="network-map",
        order=20,
        template="network/_home_map.html",
        context=home_map,
    )
