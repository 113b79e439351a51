import datetime
import zoneinfo

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from categories.models import Category
from members.models import Member
from members.regions import Region
from network_portal.forms import BootstrapFormMixin

from .models import FundAlert, FundCall, PartnerRequest


def time_zone_choices():
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


# Dates people type stay within these years: 9999 runs off the calendar in a zone east of UTC,
# year 1 in one west of it.
EARLIEST_YEAR, LATEST_YEAR = 1900, 2100


def validate_typed_date(value):
    """Refuse a date or date and time outside EARLIEST_YEAR..LATEST_YEAR."""
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValidationError(
            _("Enter a date between the years %(earliest)s and %(latest)s."),
            code="date_out_of_range",
            params={"earliest": EARLIEST_YEAR, "latest": LATEST_YEAR},
        )


# For ModelAdmin.formfield_overrides: every date typed in the admin is bounded too.
BOUNDED_DATES = {
    models.DateField: {"validators": [validate_typed_date]},
    models.DateTimeField: {"validators": [validate_typed_date]},
}


class WallClockDateTimeField(forms.DateTimeField):
    """A date and time as typed, without a zone: the form decides which zone it is in."""

    default_validators = [validate_typed_date]
    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def to_python(self, value):
        # Parse in UTC, which has no gaps or overlaps, then drop the zone again.
        with timezone.override(datetime.UTC):
            result = super().to_python(value)
        return result.astimezone(datetime.UTC).replace(tzinfo=None) if result else result


class FundCallForm(forms.ModelForm):
    """A call as a curator or a member enters it; the deadline is read in the funder's zone."""

    eligible_regions = forms.MultipleChoiceField(
        label=_("Eligible regions"),
        choices=Region.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked for a call open to the whole world."),
    )
    eligible_member_types = forms.MultipleChoiceField(
        label=_("Eligible types of applicant"),
        choices=Member.Type.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked when any type of organization may apply."),
    )
    categories = forms.ModelMultipleChoiceField(
        label=_("Skills categories"),
        queryset=Category.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )
    link = forms.URLField(label=_("Link to the call"), max_length=500, assume_scheme="https")
    deadline = WallClockDateTimeField(
        label=_("Deadline"), help_text=_("Date and time as the funder states them.")
    )
    deadline_time_zone = forms.ChoiceField(
        label=_("Funder's time zone"), choices=time_zone_choices, initial="UTC"
    )

    require_future_deadline = False

    class Meta:
        model = FundCall
        fields = [
            "title",
            "funder",
            "source_type",
            "link",
            "description",
            "categories",
            "eligible_regions",
            "eligible_member_types",
            "opening_date",
            "deadline",
            "deadline_time_zone",
            "amount_min",
            "amount_max",
            "currency",
            "amount_text",
        ]
        widgets = {
            "opening_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.deadline:
            self.initial["deadline"] = self.instance.deadline_in_funder_zone.replace(tzinfo=None)
        self.fields["opening_date"].validators.append(validate_typed_date)
        for name in ("amount_min", "amount_max"):
            # Setting min_value on a built field would add no validator.
            self.fields[name].validators.append(MinValueValidator(0))
            self.fields[name].widget.attrs["min"] = 0

    def clean_currency(self):
        currency = self.cleaned_data.get("currency", "").strip().upper()
        if currency and (len(currency) != 3 or not currency.isalpha()):
            raise forms.ValidationError(_("Use a three-letter ISO 4217 code, such as USD."))
        return currency

    def clean(self):
        cleaned = super().clean()
        wall_clock = cleaned.get("deadline")
        zone_name = cleaned.get("deadline_time_zone")
        if wall_clock is None or not zone_name:
            return cleaned
        zone = zoneinfo.ZoneInfo(zone_name)
        deadline = wall_clock.replace(tzinfo=zone)
        if deadline.astimezone(datetime.UTC).astimezone(zone).replace(tzinfo=None) != wall_clock:
            self.add_error(
                "deadline",
                _("This time does not exist in %(zone)s: the clocks change then.")
                % {"zone": zone_name},
            )
            return cleaned
        if self.require_future_deadline and deadline <= timezone.now():
            self.add_error("deadline", _("The deadline has passed already."))
        cleaned["deadline"] = deadline
        opening = cleaned.get("opening_date")
        if opening and opening > deadline.astimezone(zone).date():
            self.add_error("opening_date", _("The call cannot open after its deadline."))
        return cleaned


class FundCallSuggestForm(BootstrapFormMixin, FundCallForm):
    require_future_deadline = True


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("Sent to the person who suggested the call."),
    )


class FundAlertForm(BootstrapFormMixin, forms.Form):
    categories = forms.ModelMultipleChoiceField(
        label=_("Skills categories"),
        queryset=Category.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every category."),
    )
    regions = forms.MultipleChoiceField(
        label=_("Regions"),
        choices=Region.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: calls open to any region."),
    )
    frequency = forms.ChoiceField(
        label=_("Tell me of new matching calls"),
        choices=FundAlert.Frequency.choices,
        widget=forms.RadioSelect,
    )
    remind_14 = forms.BooleanField(label=_("Remind me 14 days before a deadline"), required=False)
    remind_7 = forms.BooleanField(label=_("Remind me 7 days before a deadline"), required=False)
    remind_1 = forms.BooleanField(label=_("Remind me 1 day before a deadline"), required=False)
    remind_matching = forms.BooleanField(
        label=_("Remind me of every call matching this alert, not only those I follow"),
        required=False,
    )


class PartnerRequestForm(BootstrapFormMixin, forms.ModelForm):
    """A partner request on ``call``; "open until" is a day in the poster's time zone."""

    role = forms.ChoiceField(
        label=_("Role sought"), choices=PartnerRequest.Role.choices, widget=forms.RadioSelect
    )
    categories = forms.ModelMultipleChoiceField(
        label=_("Skills categories"),
        queryset=Category.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("What the joint project is about."),
    )
    regions = forms.MultipleChoiceField(
        label=_("Partners wanted from these regions"),
        choices=Region.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave regions and countries empty to welcome partners from anywhere."),
    )
    countries = forms.MultipleChoiceField(
        label=_("Partners wanted from these countries"),
        choices=lambda: list(countries),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Hold Ctrl (or Cmd) to choose several."),
    )
    offer = forms.CharField(
        label=_("What we bring"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Your organization, your part of the project, your experience."),
    )
    seeking = forms.CharField(
        label=_("What we seek"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The partner you need and what they would do."),
    )
    open_until = forms.DateField(
        label=_("Open until"),
        required=False,
        validators=[validate_typed_date],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The last day you take answers; empty: until the call's deadline."),
    )

    class Meta:
        model = PartnerRequest
        fields = ["role", "categories", "regions", "countries", "offer", "seeking", "open_until"]

    def __init__(self, *args, call, **kwargs):
        self.call = call
        super().__init__(*args, **kwargs)
        self.instance.call = call
        if self.instance.pk and self.instance.open_until:
            # Stored as the first instant it is closed: the day shown is the one before.
            last = self.instance.open_until - datetime.timedelta(microseconds=1)
            self.initial["open_until"] = timezone.localtime(last).date()
        elif not self.instance.pk:
            self.initial.setdefault("categories", list(call.categories.all()))
        self.fields["open_until"].widget.attrs["max"] = self._deadline_day().isoformat()

    def _deadline_day(self):
        return timezone.localtime(self.call.deadline).date()

    def clean_open_until(self):
        """A day from today to the call's deadline, stored as the instant the request closes."""
        day = self.cleaned_data.get("open_until")
        if day is None:
            return None
        if day < timezone.localdate():
            raise ValidationError(_("This day has passed: choose today or a later day."))
        last_day = self._deadline_day()
        if day > last_day:
            raise ValidationError(
                _(
                    "The call closes on %(date)s: your request can stay open until then at the "
                    "latest. Choose that day or an earlier one, or leave the field empty."
                ),
                code="after_deadline",
                params={"date": date_format(last_day, "DATE_FORMAT")},
            )
        zone = timezone.get_current_timezone()
        next_midnight = datetime.datetime.combine(
            day + datetime.timedelta(days=1), datetime.time(), tzinfo=zone
        )
        return min(next_midnight, self.call.deadline)
