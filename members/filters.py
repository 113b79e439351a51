"""The one FilterSet of the member directory, shared by the page, the export and the API."""

import django_filters
from django import forms
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from categories.models import Category
from network_portal.filters import StrictFilterSet
from network_portal.forms import BootstrapFormMixin

from .models import CoreGroupRole, Language, Member
from .regions import Region

# Fields searched by ``q``; on PostgreSQL each has a trigram index (migration 0003).
SEARCH_FIELDS = ["name", "project_title", "project_summary", "expertise"]


def with_card_relations(members):
    """``members`` with what a directory card shows (categories, current roles) prefetched.

    A page of cards then costs the same number of queries for 1 member as for 100.
    """
    today = timezone.localdate()
    current_roles = CoreGroupRole.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today)
    ).select_related("category")
    return members.prefetch_related("categories", Prefetch("roles", queryset=current_roles))


class MemberFilterForm(BootstrapFormMixin, forms.Form):
    pass


class MemberFilter(StrictFilterSet):
    q = django_filters.CharFilter(
        label=_("Keywords"),
        method="filter_search",
        max_length=200,
        help_text=_("Name, project, summary or expertise."),
    )
    category = django_filters.ModelMultipleChoiceFilter(
        label=_("Skills categories"),
        queryset=Category.objects.all(),
        to_field_name="slug",
        method="filter_categories",
        widget=forms.CheckboxSelectMultiple,
    )
    region = django_filters.ChoiceFilter(
        label=_("Region"), choices=Region.choices, empty_label=_("Any region")
    )
    country = django_filters.ChoiceFilter(
        label=_("Country"), choices=countries, empty_label=_("Any country")
    )
    language = django_filters.ModelChoiceFilter(
        label=_("Language"),
        # Languages someone works in; EXISTS probes an index instead of scanning every link.
        queryset=Language.objects.filter(
            Exists(Member.languages.through.objects.filter(language=OuterRef("pk")))
        ),
        method="filter_language",
        empty_label=_("Any language"),
    )
    type = django_filters.ChoiceFilter(
        label=_("Type"),
        field_name="member_type",
        choices=Member.Type.choices,
        empty_label=_("Any type"),
    )

    class Meta:
        model = Member
        form = MemberFilterForm
        fields = ["q", "category", "region", "country", "language", "type"]

    def filter_search(self, queryset, name, value):
        for term in value.split():
            match = Q()
            for field in SEARCH_FIELDS:
                match |= Q(**{f"{field}__icontains": term})
            queryset = queryset.filter(match)
        return queryset

    # For the API schema: clients send category slugs and language codes.
    @extend_schema_field(OpenApiTypes.STR)
    def filter_categories(self, queryset, name, value):
        if not value:
            return queryset
        # Any of the chosen categories; a subquery keeps one row per member without DISTINCT.
        through = Member.categories.through.objects.filter(category__in=value)
        return queryset.filter(pk__in=through.values("member_id"))

    @extend_schema_field(OpenApiTypes.STR)
    def filter_language(self, queryset, name, value):
        through = Member.languages.through.objects.filter(language=value)
        return queryset.filter(pk__in=through.values("member_id"))

    def active_filters(self):
        """The applied filters as plain values, for the export audit and for links."""
        if not self.is_bound or not self.is_valid():
            return {}
        active = {}
        for name, value in self.form.cleaned_data.items():
            if value in (None, "", []) or (hasattr(value, "exists") and not value):
                continue
            if name == "category":
                active[name] = [category.slug for category in value]
            elif name == "language":
                active[name] = value.code
            else:
                active[name] = str(value)
        return active

    def facet_counts(self):
        """Counts per category and per region, each under all the *other* active filters."""
        if self.is_bound and not self.is_valid():
            return {"category": {}, "region": {}}
        without_category = self._without("category").qs
        without_region = self._without("region").qs
        by_category = dict(
            Member.categories.through.objects.filter(member__in=without_category.values("pk"))
            .order_by()
            .values_list("category__slug")
            .annotate(n=Count("member_id"))
        )
        by_region = dict(without_region.order_by().values_list("region").annotate(n=Count("id")))
        return {"category": by_category, "region": by_region}

    def _without(self, name):
        data = self.data.copy()
        data.pop(name, None)
        return type(self)(data, queryset=self.queryset, request=self.request)
