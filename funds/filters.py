"""The one FilterSet of fund calls, shared by the page, the RSS feed and the calendar feed."""

import datetime

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from categories.models import Category
from members.regions import Region
from network_portal.filters import StrictFilterSet

from .models import FundCall

SEARCH_FIELDS = ["title", "funder", "description"]
CLOSING_WITHIN = [("7", _("7 days")), ("30", _("30 days")), ("90", _("90 days"))]


class FundCallFilterForm(forms.Form):
    member = None

    def clean_mine(self):
        mine = self.cleaned_data.get("mine")
        if mine and self.member is None:
            raise forms.ValidationError(
                _("Sign in and create your profile to see the calls that match it.")
            )
        return mine


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
    closed = django_filters.BooleanFilter(
        label=_("Show closed calls instead of open ones"),
        widget=forms.CheckboxInput,
        method="filter_closed",
    )

    class Meta:
        model = FundCall
        form = FundCallFilterForm
        fields = ["q", "category", "region", "source", "closing", "mine", "closed"]

    def __init__(self, data=None, queryset=None, *, request=None, now=None, **kwargs):
        if queryset is None:
            queryset = FundCall.objects.all()
        # Always bound: the open/closed switch applies even when the page has no query string.
        super().__init__({} if data is None else data, queryset=queryset, request=request, **kwargs)
        self.now = now or timezone.now()
        user = getattr(request, "user", None)
        self.member = getattr(user, "member", None) if user and user.is_authenticated else None

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            form.member = self.member
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
