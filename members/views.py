from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .imports import COLUMNS, ApplicantImportForm, applicants_import


def member_list(request):
    return HttpResponse("members")


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
