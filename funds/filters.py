"""The FilterSets of the funds app: fund calls (the page, the RSS feed and the calendar feed
share one) and partner requests."""

import datetime

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from categories.models import Category
from members.regions import Region
from network_portal.filters import StrictFilterSet

from .models import FundCall, PartnerRequest

SEARCH_FIELDS = ["title", "funder", "description"]
CLOSING_WITHIN = [("7", _("7 days")), ("30", _("30 days")), ("90", _("90 days"))]


class FundCallFilterForm(forms.Form):
    member = None
    signed_in = False

    def clean_mine(self):
        mine = self.cleaned_data.get("mine")
        if mine and self.member is None:
            raise forms.ValidationError(
                _("Sign in and create your profile to see the calls that match it.")
            )
        return mine

    def clean_partners(self):
        partners = self.cleaned_data.get("partners")
        if partners and not self.signed_in:
            raise forms.ValidationError(_("Sign in to see the calls members seek partners for."))
        return partners


class FundCallFilter(StrictFilterSet):
    q = django_filters.CharFilter(
        label=_("Keywords"),
        method="filter_search",
        max_length=200,
        help_text=_("Title, funder or description."),
    )
    category = django_filters.ModelMultipleChoiceFilter(
        label=_("Skills categories"),
        queryset=Category.objects.all(),
        to_field_name="slug",
        method="filter_categories",
        widget=forms.CheckboxSelectMultiple,
    )
    region = django_filters.ChoiceFilter(
        label=_("Open to applicants from"), choices=Region.choices, method="filter_region"
    )
    source = django_filters.ChoiceFilter(
        label=_("Source"), field_name="source_type", choices=FundCall.SourceType.choices
    )
    closing = django_filters.ChoiceFilter(
        label=_("Closing within"), choices=CLOSING_WITHIN, method="filter_closing"
    )
    mine = django_filters.BooleanFilter(
        label=_("Only calls matching my profile"),
        widget=forms.CheckboxInput,
        method="filter_mine",
    )
    partners = django_filters.BooleanFilter(
        label=_("Only calls with partner requests"),
        widget=forms.CheckboxInput,
        method="filter_partners",
    )
    closed = django_filters.BooleanFilter(
        label=_("Show closed calls instead of open ones"),
        widget=forms.CheckboxInput,
        method="filter_closed",
    )

    class Meta:
        model = FundCall
        form = FundCallFilterForm
        fields = ["q", "category", "region", "source", "closing", "mine", "partners", "closed"]

    def __init__(self, data=None, queryset=None, *, request=None, now=None, **kwargs):
        if queryset is None:
            queryset = FundCall.objects.all()
        # Always bound: the open/closed switch applies even when the page has no query string.
        super().__init__({} if data is None else data, queryset=queryset, request=request, **kwargs)
        self.now = now or timezone.now()
        user = getattr(request, "user", None)
        self.user = user
        self.member = getattr(user, "member", None) if user and user.is_authenticated else None

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            form.member = self.member
            form.signed_in = bool(self.user and self.user.is_authenticated)
        return self._form

    def filter_search(self, queryset, name, value):
        for term in value.split():
            match = Q()
            for field in SEARCH_FIELDS:
                match |= Q(**{f"{field}__icontains": term})
            queryset = queryset.filter(match)
        return queryset

    def filter_categories(self, queryset, name, value):
        return queryset.in_categories(value) if value else queryset

    def filter_region(self, queryset, name, value):
        return queryset.in_region(value)

    def filter_closing(self, queryset, name, value):
        return queryset.filter(deadline__lte=self.now + datetime.timedelta(days=int(value)))

    def filter_mine(self, queryset, name, value):
        return queryset.matching_member(self.member) if value else queryset

    def filter_partners(self, queryset, name, value):
        """Calls with at least one open partner request the viewer may read."""
        if not value:
            return queryset
        requests = PartnerRequest.objects.visible_to(self.user).open(now=self.now)
        return queryset.filter(Exists(requests.filter(call=OuterRef("pk"))))

    def filter_closed(self, queryset, name, value):
        # Applied in filter_queryset, which must see the switch even when it is off.
        return queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.form.cleaned_data.get("closed"):
            return queryset.closed(now=self.now).order_by("-deadline", "-pk")
        return queryset.open(now=self.now).order_by("deadline", "pk")

    def active_filters(self):
        """The applied filters as query parameters, for links to the feeds."""
        if not self.is_valid():
            return []
        pairs = []
        for name, value in self.form.cleaned_data.items():
            if value in (None, "", False) or (hasattr(value, "exists") and not value):
                continue
            if name == "category":
                pairs.extend(("category", category.slug) for category in value)
            elif value is True:
                pairs.append((name, "on"))
            else:
                pairs.append((name, str(value)))
        return pairs


PARTNER_ORDERINGS = [("newest", _("Newest first")), ("closing", _("Closing soonest"))]


class PartnerRequestFilter(StrictFilterSet):
    """The one FilterSet of /funds/partners/: category, region, role, call."""

    category = django_filters.ModelMultipleChoiceFilter(
        label=_("Skills categories"),
        queryset=Category.objects.all(),
        to_field_name="slug",
        method="filter_categories",
        widget=forms.CheckboxSelectMultiple,
    )
    region = django_filters.ChoiceFilter(
        label=_("Partners wanted from"), choices=Region.choices, method="filter_region"
    )
    role = django_filters.ChoiceFilter(
        label=_("Role sought"), field_name="role", choices=PartnerRequest.Role.choices
    )
    call = django_filters.ModelChoiceFilter(
        label=_("Fund call"), queryset=FundCall.objects.open(), field_name="call"
    )
    mine = django_filters.BooleanFilter(
        label=_("Only my requests"), widget=forms.CheckboxInput, method="filter_mine"
    )
    order = django_filters.ChoiceFilter(
        label=_("Order"), choices=PARTNER_ORDERINGS, method="filter_order", empty_label=None
    )

    class Meta:
        model = PartnerRequest
        fields = ["category", "region", "role", "call", "mine", "order"]

    def __init__(self, data=None, queryset=None, **kwargs):
        if queryset is None:
            queryset = PartnerRequest.objects.all()
        super().__init__({} if data is None else data, queryset=queryset, **kwargs)
        # Evaluated per request: a call that closed since start-up leaves the choices.
        self.filters["call"].queryset = FundCall.objects.open().order_by("deadline", "pk")

    def filter_categories(self, queryset, name, value):
        if not value:
            return queryset
        through = PartnerRequest.categories.through.objects.filter(category__in=value)
        return queryset.filter(pk__in=through.values("partnerrequest_id"))

    def filter_region(self, queryset, name, value):
        return queryset.wanting_partners_from(value)

    def filter_mine(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        return queryset.filter(user=user) if value and user and user.is_authenticated else queryset

    def filter_order(self, queryset, name, value):
        # Applied in filter_queryset, which must order even when no order is given.
        return queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.form.cleaned_data.get("order") == "closing":
            closes = Coalesce("open_until", "call__deadline")
            return queryset.order_by(closes, "-pk")
        return queryset.order_by("-created_at", "-pk")
