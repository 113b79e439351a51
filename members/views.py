from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from . import exports
from .filters import MemberFilter, with_card_relations
from .imports import COLUMNS, ApplicantImportForm, applicants_import
from .models import Member


def member_list(request):
    """The directory: filters kept in the URL, facet counts, one page of cards.

    A value that does not validate shows its error and no members, never everyone.
    """
    members = with_card_relations(Member.objects.visible_to(request.user))
    filterset = MemberFilter(request.GET or None, queryset=members, request=request)
    paginator = Paginator(filterset.results, settings.MEMBERS_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    valid = not filterset.is_bound or filterset.is_valid()
    facets = filterset.facet_counts()
    chosen = set(filterset.form["category"].value() or []) if filterset.is_bound else set()
    context = {
        "filterset": filterset,
        "form": filterset.form,
        "valid": valid,
        "page": page,
        "page_numbers": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "query": query.urlencode(),
        "filtered": bool(filterset.active_filters()),
        "category_options": [
            {
                "slug": category.slug,
                "label": category.display_name,
                "count": facets["category"].get(category.slug, 0),
                "checked": category.slug in chosen,
            }
            for category in filterset.filters["category"].queryset
        ],
        "region_options": [
            {
                "value": value,
                "label": label,
                "count": facets["region"].get(value, 0),
                "selected": filterset.form["region"].value() == value,
            }
            for value, label in filterset.filters["region"].extra["choices"]
        ],
        "can_export": valid and request.user.has_perm(exports.EXPORT_PERMISSION),
    }
    return render(request, "members/list.html", context)


@login_required
@permission_required(exports.EXPORT_PERMISSION, raise_exception=True)
def member_export(request):
    """ILO staff download the directory, with the page's filters, as CSV or Excel.

    A filter or format that does not validate answers 400: a typo never exports everyone.
    """
    fmt = request.GET.get("format", "")
    if fmt not in exports.MemberExport.Format.values:
        return HttpResponseBadRequest(
            _("Choose the file format: format=csv or format=xlsx."), content_type="text/plain"
        )
    data = request.GET.copy()
    data.pop("format")
    members = Member.objects.visible_to(request.user)
    filterset = MemberFilter(data, queryset=members, request=request)
    if not filterset.is_valid():
        errors = "\n".join(
            f"{name}: {' '.join(field_errors)}" for name, field_errors in filterset.errors.items()
        )
        return HttpResponseBadRequest(
            _("These filters are not valid, nothing was exported:\n%(errors)s")
            % {"errors": errors},
            content_type="text/plain; charset=utf-8",
        )
    return exports.member_export_response(
        members=filterset.qs,
        fmt=fmt,
        user=request.user,
        filters=filterset.active_filters(),
        source="directory",
    )


def profile_start(request):
    return HttpResponse("start")


def member_detail(request, pk):
    return HttpResponse("member")


@permission_required("members.import_members", raise_exception=True)
def member_import(request):
    """ILO staff upload the call's applicants; every row is checked before anything is saved."""
    form = ApplicantImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = applicants_import(rows=form.cleaned_data["rows"])
        if result.ok:
            messages.success(
                request,
                _("Imported %(created)s profiles; %(skipped)s were already in the directory.")
                % {"created": result.created, "skipped": result.skipped},
            )
            return redirect("members:import")
    return render(
        request, "members/import.html", {"form": form, "result": result, "columns": COLUMNS}
    )
