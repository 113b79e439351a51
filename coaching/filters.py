"""FilterSets of the session list and the knowledge base."""

import datetime

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from categories.models import Category
from members.models import Language
from network_portal.filters import StrictFilterSet
from network_portal.forms import BootstrapFormMixin

from .models import CoachingSession, KnowledgeEntry, SessionKind

# Years 1900-2099 only: year 0 or 9999 would run off the calendar when the month is bounded.
MONTH = RegexValidator(
    r"^(19|20)\d{2}-(0[1-9]|1[0-2])$", _("Enter a month as YYYY-MM, e.g. 2026-03.")
)


class FilterForm(BootstrapFormMixin, forms.Form):
    pass


class SessionFilter(StrictFilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=SessionKind.choices, empty_label=_("Any")
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Skills category"),
        empty_label=_("Any"),
        queryset=Category.objects.all(),
        to_field_name="slug",
        method="filter_category",
    )
    language = django_filters.ModelChoiceFilter(
        label=_("Language"),
        empty_label=_("Any"),
        queryset=Language.objects.filter(
            code__in=CoachingSession.objects.values("language_id")
        ).order_by("name"),
    )
    month = django_filters.CharFilter(
        label=_("Month"),
        method="filter_month",
        validators=[MONTH],
        # No pattern: HTML allows none on a month input; MONTH validates what is sent.
        widget=forms.TextInput(attrs={"type": "month"}),
        help_text=_("YYYY-MM, in your time zone."),
    )

    class Meta:
        model = CoachingSession
        fields = ["kind", "category", "language", "month"]
        form = FilterForm

    def filter_category(self, queryset, name, value):
        return queryset.in_category(value)

    def filter_month(self, queryset, name, value):
        year, month = (int(part) for part in value.split("-"))
        zone = timezone.get_current_timezone()
        first = datetime.datetime(year, month, 1, tzinfo=zone)
        following = datetime.datetime(year + month // 12, month % 12 + 1, 1, tzinfo=zone)
        return queryset.filter(start__gte=first, start__lt=following)


class KnowledgeFilter(StrictFilterSet):
    q = django_filters.CharFilter(
        label=_("Search"), method="filter_search", max_length=200, help_text=_("Words to find.")
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Skills category"),
        empty_label=_("Any"),
        queryset=Category.objects.all(),
        to_field_name="slug",
        method="filter_category",
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=KnowledgeEntry.Kind.choices, empty_label=_("Any")
    )

    class Meta:
        model = KnowledgeEntry
        fields = ["q", "category", "kind"]
        form = FilterForm

    def filter_search(self, queryset, name, value):
        for term in value.split():
            queryset = queryset.filter(
                Q(title__icontains=term) | Q(summary__icontains=term) | Q(body__icontains=term)
            )
        return queryset

    def filter_category(self, queryset, name, value):
        through = KnowledgeEntry.categories.through.objects.filter(category=value)
        return queryset.filter(pk__in=through.values("knowledgeentry_id"))
