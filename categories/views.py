from django.shortcuts import get_object_or_404, render

from members.models import Member

from .models import Category


def category_list(request):
    visible = Member.objects.visible_to(request.user)
    categories = Category.objects.with_member_counts(visible)
    return render(request, "categories/list.html", {"categories": categories})


def category_detail(request, slug):
    category = get_object_or_404(Category, slug=slug)
    return render(request, "categories/detail.html", {"category": category})
