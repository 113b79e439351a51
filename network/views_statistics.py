"""/network/statistics/: the network's figures for ILO staff and the Core Group, and their CSV.

No contact details anywhere: only counts, so the Core Group sees the same page as ILO staff.
"""

import datetime

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from members.needs import report_csv
from network_portal.forms import BootstrapFormMixin

from . import statistics as figures
from .statistics import default_range

# Held by both groups (accounts.roles): the statistics, like the needs report they include,
# are counts, never a person's details.
STATISTICS_PERMISSION = "members.view_needs_report"
LONGEST_RANGE = datetime.timedelta(days=366 * 10)
FIRST_DAY = datetime.date(2020, 1, 1)  # before the innovation call: nothing to count earlier


class DateRangeForm(BootstrapFormMixin, forms.Form):
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"),
        required=False,
        help_text=_("Both days included (UTC)."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        default_start, default_end = default_range()
        start = cleaned.get("start") or default_start
        end = cleaned.get("end") or default_end
        if start > end:
            raise forms.ValidationError(_("The start date must be on or before the end date."))
        if start < FIRST_DAY:
            raise forms.ValidationError(
                _("The start date cannot be before %(date)s.") % {"date": FIRST_DAY.isoformat()}
            )
        if end - start > LONGEST_RANGE:
            raise forms.ValidationError(_("The range cannot be longer than ten years."))
        cleaned["start"], cleaned["end"] = start, end
        return cleaned


def _range_form(request):
    """The GET form, showing the default range when the page is opened without one."""
    if "start" in request.GET or "end" in request.GET:
        return DateRangeForm(request.GET)
    start, end = default_range()
    return DateRangeForm({"start": start.isoformat(), "end": end.isoformat()})


def _check_access(request):
    """The one place deciding who sees the statistics: ILO staff and the Core Group."""
    if not request.user.has_perm(STATISTICS_PERMISSION):
        raise PermissionDenied


@login_required
def statistics(request):
    _check_access(request)
    form = _range_form(request)
    sections = None
    if form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        sections = figures.cached_statistics_tables(start, end)
        query = f"start={start.isoformat()}&end={end.isoformat()}"
    else:
        query = ""
    return render(
        request,
        "network/statistics.html",
        {
            "form": form,
            "sections": sections,
            "query": query,
            "timeout_minutes": figures.TIMEOUT // 60,
        },
    )


@login_required
def statistics_csv(request, table):
    _check_access(request)
    form = _range_form(request)
    if not form.is_valid():
        return HttpResponseBadRequest(
            "; ".join(str(error) for errors in form.errors.values() for error in errors),
            content_type="text/plain; charset=utf-8",
        )
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    found = figures.find_table(figures.cached_statistics_tables(start, end), table)
    if found is None:
        raise Http404
    response = HttpResponse(report_csv(found), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{table}-{start}-{end}.csv"'
    return response
