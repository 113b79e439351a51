"""The one FilterSet of the member directory, shared by the page, the export and the API."""

import django_filters
from django import forms
from django.db.models import Count, Prefetch, Q
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
from .search import folded_term


def with_card_relations(members):
    """``members`` with what a directory card shows (categories, current roles) prefetched.

    A page of cards then costs the same number of queries for 1 member as for 100.
    """
    today = timezone.localdate()
    current_roles = CoreGroupRole.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today)
    ).select_related("category")
    return members.prefetch_related("categories", Prefetch("roles", queryset=current_roles))


def _country_codes():
    """Every ISO code as a choice, untranslated: the page names the countries it offers, and
    translating all 249 names to check one code cost more than the rest of the page."""
    return [(code, code) for code in countries.countries]


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
        label=_("Country"), choices=_country_codes, empty_label=_("Any country")
    )
    language = django_filters.ModelChoiceFilter(
        label=_("Language"),
        # Any known language; the page offers only those that members work in (page_counts).
        queryset=Language.objects.all(),
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
        """Members whose searched fields (``search.SEARCH_FIELDS``) hold every word, ignoring
        case and, on PostgreSQL, accents ("formacion" finds "Formación"); SQLite matches
        accents as typed."""
        for term in value.split():
            queryset = queryset.filter(search_text__contains=folded_term(term))
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

    def page_counts(self):
        """What the directory page counts: the members found, and the members per category,
        region, country and language, each under all the *other* active filters.

        Full scans at 100,000 members: the page keeps them in the cache (members/directory.py).
        """
        if self.is_bound and not self.is_valid():
            return {"total": 0, "category": {}, "region": {}, "country": {}, "language": {}}
        without_category = self._filtered_without("category").values("pk")
        without_language = self._filtered_without("language").values("pk")
        by_category = (
            Member.categories.through.objects.filter(member__in=without_category)
            .order_by()
            .values_list("category__slug")
            .annotate(n=Count("member_id"))
        )
        by_language = (
            Member.languages.through.objects.filter(member__in=without_language)
            .order_by()
            .values_list("language_id", "language__name")
            .annotate(n=Count("member_id"))
        )
        return {
            "total": self.qs.count(),
            "category": dict(by_category),
            "region": self._count_by("region"),
            "country": self._count_by("country"),
            # Language names stay untranslated here: the page translates them.
            "language": {code: (name, n) for code, name, n in by_language},
        }

    def _count_by(self, field):
        members = self._filtered_without(field).order_by()
        return dict(members.values_list(field).annotate(n=Count("id")))

    def _filtered_without(self, name):
        """The members matching every active filter but ``name``."""
        queryset = self.queryset
        if not self.is_bound:
            return queryset.all()
        for field, value in self.form.cleaned_data.items():
            if field != name:
                queryset = self.filters[field].filter(queryset, value)
        return queryset
