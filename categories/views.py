from django.shortcuts import get_object_or_404, render

from .models import Category


def category_list(request):
    """The categories; their member counts come from the members app's template tag."""
    return render(request, "categories/list.html", {"categories": Category.objects.all()})


def category_detail(request, slug):
    """A category's definition; the apps above add its members, calls and sessions.

    Each of them offers a template tag that ``categories/detail.html`` includes, so that this
    app, the vocabulary at the bottom of the layers, imports none of them.
    """
    category = get_object_or_404(Category, slug=slug)
    return render(request, "categories/detail.html", {"category": category})
