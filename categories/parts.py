"""What the categories app adds to the pages that gather from every app."""

from network_portal import registry

from .models import Category


def home_figures(*, request):
    return {"categories": Category.objects.count()}


def register():
    registry.register(
        registry.HOME_FIGURES,
        name="categories",
        order=40,
        template="categories/_home_figures.html",
        context=home_figures,
    )
