import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import directory, exports, services
from .filters import MemberFilter, with_card_relations
from .forms import MemberProfileForm
from .imports import COLUMNS, ApplicantImportForm, applicants_import, applicants_preview
from .models import Member
from .needs import needs_prompt
from .privacy import visible_contact


class _CountedPaginator(Paginator):
    """A paginator told how many rows there are, so it runs no ``COUNT(*)`` of its own."""

    def __init__(self, object_list, per_page, *, count):
        super().__init__(object_list, per_page)
        self.count = count


def member_list(request):
    """The directory: filters kept in the URL, counts per filter value, one page of cards.

    A value that does not validate shows its error and no members, never everyone. The counts
    come from ``directory.page_counts`` and the page's cards from ``directory.page_cards``
    (both kept in the cache until a member changes); the filter form is rendered once and kept
    (``directory.filter_panel``).
    """
    members = Member.objects.visible_to(request.user)
    filterset = MemberFilter(request.GET or None, queryset=members, request=request)
    valid = not filterset.is_bound or filterset.is_valid()
    who = directory.audience(request.user)
    counts = directory.page_counts(filterset, who=who)
    paginator = _CountedPaginator(
        filterset.results, settings.MEMBERS_PAGE_SIZE, count=counts["total"]
    )
    page = paginator.get_page(request.GET.get("page"))
    page.object_list, cards = directory.page_cards(filterset, page, who=who)
    active = filterset.active_filters()
    chosen = filterset.data if filterset.is_bound else {}
    country = active.get("country")
    country_names = directory.labels()["country"]
    language = filterset.form.cleaned_data["language"] if active.get("language") else None
    context = {
        "filterset": filterset,
        "form": filterset.form,
        "valid": valid,
        "page": page,
        "cards": cards,
        "page_numbers": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "query": _query_without_page(request),
        "filtered": bool(active),
        "active_count": sum(len(v) if isinstance(v, list) else 1 for v in active.values()),
        "category_options": [
            {
                "slug": category.slug,
                "label": category.display_name,
                "count": counts["category"].get(category.slug, 0),
                "checked": category.slug in active.get("category", ()),
            }
            for category in filterset.filters["category"].queryset
        ],
        "region_options": [
            {
                "value": value,
                "label": label,
                "count": counts["region"].get(value, 0),
                "selected": chosen.get("region") == value,
            }
            for value, label in filterset.filters["region"].extra["choices"]
        ],
        "country_options": _options(
            [(code, country_names.get(code, code), n) for code, n in counts["country"].items()],
            chosen=(country, country_names.get(country, country)) if country else None,
        ),
        "language_options": _options(
            [(code, _(name), n) for code, (name, n) in counts["language"].items()],
            chosen=(language.code, language.display_name) if language else None,
        ),
        "can_export": valid and request.user.has_perm(exports.EXPORT_PERMISSION),
    }
    context["filter_panel"] = directory.filter_panel(context)
    return render(request, "members/list.html", context)


def _query_without_page(request):
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _options(values, *, chosen):
    """``<option>``s of the values that have members, by label, each with its count.

    ``values`` are ``(value, label, count)``; a ``chosen`` ``(value, label)`` without members
    stays listed with 0, so the form still shows it.
    """
    if chosen and chosen[0] not in {value for value, _label, _n in values}:
        values = [*values, (*chosen, 0)]
    pattern = _("%(label)s (%(count)s)")
    return [
        {
            "value": value,
            "label": pattern % {"label": label, "count": n},
            "selected": chosen is not None and value == chosen[0],
        }
        for value, label, n in sorted(values, key=lambda option: option[1])
    ]


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


def _get_member_for_user(request, pk):
    """The profile ``pk`` if ``Member.objects.visible_to(request.user)`` holds it, else 404."""
    queryset = with_card_relations(Member.objects.visible_to(request.user))
    return get_object_or_404(queryset.prefetch_related("languages"), pk=pk)


def _get_member_for_owner(request, pk):
    """The profile ``pk`` for its owner to edit; anyone else who can see it gets 403."""
    member = _get_member_for_user(request, pk)
    if member.owner_id != request.user.pk:
        raise PermissionDenied
    return member


def _own_member(user):
    if not user.is_authenticated:
        return None
    return Member.objects.filter(owner=user).first()


def member_detail(request, pk):
    member = _get_member_for_user(request, pk)
    user = request.user
    is_owner = user.is_authenticated and member.owner_id == user.pk
    can_claim = (
        user.is_authenticated
        and member.owner_id is None
        and bool(member.contact_email)
        and member.contact_email.lower() in services.verified_emails(user)
        and _own_member(user) is None
    )
    context = {
        "member": member,
        "contact": visible_contact(user, member),
        "is_owner": is_owner,
        "can_claim": can_claim,
        "can_approve": member.status == Member.Status.PENDING
        and user.has_perm(services.APPROVE_PERMISSION),
        "needs_prompt": needs_prompt(member) if is_owner else None,
    }
    return render(request, "members/detail.html", context)


@login_required
def profile_start(request):
    """Where a signed-in user without a profile claims an imported one or creates their own."""
    own = _own_member(request.user)
    if own is not None:
        return redirect(own)
    claimable = services.claimable_members(request.user)
    return render(request, "members/start.html", {"claimable": claimable})


@login_required
def profile_create(request):
    own = _own_member(request.user)
    if own is not None:
        messages.info(request, _("You already have a profile."))
        return redirect(own)
    form = MemberProfileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.member_create(user=request.user, **form.service_kwargs())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            form.save_picture(member=member, by=request.user)
            messages.success(
                request,
                _(
                    "Thank you! Your profile awaits approval by a Core Group member or ILO "
                    "staff; it will be listed in the directory once approved."
                ),
            )
            return redirect(member)
    return render(request, "members/form.html", {"form": form, "member": None})


@login_required
@require_POST
def profile_claim(request, pk):
    try:
        member = services.member_claim(user=request.user, member_id=pk)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("members:start")
    messages.success(
        request,
        _("This profile is now yours. Check it and choose what visitors and members may see."),
    )
    return redirect("members:edit", pk=member.pk)


@login_required
def profile_edit(request, pk):
    member = _get_member_for_owner(request, pk)
    form = MemberProfileForm(request.POST or None, request.FILES or None, instance=member)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_update(member=member, by=request.user, **form.service_kwargs())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            form.save_picture(member=member, by=request.user)
            messages.success(request, _("Your profile was saved."))
            return redirect(member)
    return render(request, "members/form.html", {"form": form, "member": member})


@login_required
@require_POST
def profile_approve(request, pk):
    """Core Group members and ILO staff list a pending profile from its page."""
    if not request.user.has_perm(services.APPROVE_PERMISSION):
        raise PermissionDenied
    member = _get_member_for_user(request, pk)
    services.member_approve(member=member, by=request.user)
    messages.success(request, _("%(name)s is now listed in the directory.") % {"name": member})
    return redirect(member)


IMPORT_SESSION_KEY = "members-import"


@login_required
@permission_required("members.import_members", raise_exception=True)
def member_import(request):
    """ILO staff upload the call's applicants (.xlsx or .csv), see every row with its errors,
    then confirm: nothing is written before the confirmation, and then all rows or none."""
    if request.method == "POST" and "confirm" in request.POST:
        return _member_import_confirm(request)
    form = ApplicantImportForm(request.POST or None, request.FILES or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        rows = form.cleaned_data["rows"]
        preview = applicants_preview(rows=rows)
        if preview.ok:
            token = secrets.token_urlsafe(16)
            request.session[IMPORT_SESSION_KEY] = {"token": token, "rows": rows}
            preview.token = token
    return render(
        request,
        "members/import.html",
        {"form": form, "result": preview, "columns": COLUMNS},
    )


def _member_import_confirm(request):
    pending = request.session.get(IMPORT_SESSION_KEY) or {}
    if not pending or pending.get("token") != request.POST.get("confirm"):
        messages.error(request, _("This preview is no longer available: upload the file again."))
        return redirect("members:import")
    result = applicants_import(rows=pending["rows"])
    if not result.ok:
        form = ApplicantImportForm()
        return render(
            request, "members/import.html", {"form": form, "result": result, "columns": COLUMNS}
        )
    del request.session[IMPORT_SESSION_KEY]
    messages.success(
        request,
        _("Imported %(created)s profiles; %(skipped)s were already in the directory.")
        % {"created": result.created, "skipped": result.skipped},
    )
    return redirect("members:import")


STAFF_TOOL_PERMISSIONS = (
    "members.import_members",
    "members.invite_members",
    "members.view_needs_report",
    exports.EXPORT_PERMISSION,
)


def can_use_staff_tools(user):
    return any(user.has_perm(permission) for permission in STAFF_TOOL_PERMISSIONS)


@login_required
def staff_tools(request):
    """The staff menu: the tools this person's permissions open, and only those."""
    if not can_use_staff_tools(request.user):
        raise PermissionDenied
    return render(request, "members/staff.html")
