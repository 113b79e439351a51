"""Pages of the needs assessment: a member's own answers, and the aggregated report."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import needs
from .models import Member


def _get_own_member(request):
    """The signed-in user's own profile, or None (they create or claim one first)."""
    return Member.objects.filter(owner=request.user).first()


@login_required
def needs_assessment(request):
    """Answer, or change, the needs assessment of one's own profile."""
    member = _get_own_member(request)
    if member is None:
        messages.info(request, _("Create or claim your profile first."))
        return redirect("members:start")
    assessment = needs.assessment_for(member)
    questions = needs.active_questions()
    form = needs.NeedsAssessmentForm(
        request.POST or None,
        questions=questions,
        assessment=assessment,
        default_time_zone=request.user.time_zone,
    )
    if request.method == "POST" and form.is_valid():
        needs.needs_assessment_save(
            member=member,
            by=request.user,
            answers=form.answers(),
            time_zone=form.cleaned_data["time_zone"],
        )
        messages.success(
            request, _("Thank you! The Core Group plans the network's sessions from these answers.")
        )
        return redirect(member)
    return render(
        request,
        "members/needs_form.html",
        {"form": form, "member": member, "assessment": assessment},
    )


@login_required
@require_POST
def needs_assessment_skip(request):
    member = _get_own_member(request)
    if member is None:
        return redirect("members:start")
    needs.needs_assessment_skip(member=member, by=request.user)
    messages.info(request, _("No problem: you can answer it any time from your profile."))
    return redirect(request.POST.get("next") if _safe(request) else member.get_absolute_url())


def _safe(request):
    from django.utils.http import url_has_allowed_host_and_scheme

    return url_has_allowed_host_and_scheme(
        request.POST.get("next", ""), allowed_hosts={request.get_host()}, require_https=False
    ) and bool(request.POST.get("next"))


@login_required
@permission_required(needs.REPORT_PERMISSION, raise_exception=True)
def needs_report(request):
    """What members need, aggregated (no one's own answers): staff and the Core Group."""
    report = needs.needs_report()
    table = request.GET.get("download")
    if table:
        if table not in report["tables"]:
            raise Http404
        response = HttpResponse(
            needs.report_csv(report["tables"][table]), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="needs-{table}.csv"'
        return response
    return render(request, "members/needs_report.html", {"report": report})
