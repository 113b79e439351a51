import datetime
import zoneinfo

from django import forms
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from accounts.models import validate_time_zone
from funds.forms import WallClockDateTimeField
from funds.models import FundCall
from network_portal.forms import BootstrapFormMixin

from .models import CoachingSession, KnowledgeEntry, Registration


def _https_urls(field, **kwargs):
    """Form fields as Django makes them, except that a link typed without a scheme is https."""
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


def _local_datetime_field(label):
    return WallClockDateTimeField(label=label, help_text=_("In the host's time zone below."))


class SessionForm(BootstrapFormMixin, forms.ModelForm):
    """What a host may change; times are typed on the host's clock (the time zone field)."""

    start = _local_datetime_field(_("Start"))
    end = _local_datetime_field(_("End"))

    class Meta:
        model = CoachingSession
        fields = [
            "title",
            "kind",
            "description",
            "categories",
            "language",
            "start",
            "end",
            "time_zone",
            "online_link",
            "place",
            "capacity",
            "fund_call",
        ]
        widgets = {"categories": forms.CheckboxSelectMultiple}
        formfield_callback = _https_urls

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        calls = FundCall.objects.visible_to(user).exclude(status=FundCall.Status.ARCHIVED)
        self.fields["fund_call"].queryset = calls.order_by("deadline")
        capacity = self.fields["capacity"]
        capacity.validators.append(MinValueValidator(1))
        capacity.widget.attrs["min"] = 1
        if self.instance.pk:
            zone = self.instance.zone
            for name in ("start", "end"):
                local = getattr(self.instance, name).astimezone(zone).replace(tzinfo=None)
                self.initial[name] = local

    def clean_time_zone(self):
        value = self.cleaned_data["time_zone"]
        validate_time_zone(value)
        return value

    def clean(self):
        cleaned = super().clean()
        zone_name = cleaned.get("time_zone")
        # Without a valid zone the form fails on that field; UTC keeps the model checks quiet.
        zone = zoneinfo.ZoneInfo(zone_name) if zone_name else datetime.UTC
        for name in ("start", "end"):
            wall_clock = cleaned.get(name)
            if wall_clock is None:
                continue
            # The time as typed is on the host's clock, whatever the viewer's own zone.
            value = wall_clock.replace(tzinfo=zone)
            if value.astimezone(datetime.UTC).astimezone(zone).replace(tzinfo=None) != wall_clock:
                self.add_error(
                    name,
                    _("This time does not exist in %(zone)s: the clocks change then.")
                    % {"zone": zone_name},
                )
                continue
            cleaned[name] = value
        if not zone_name:
            return cleaned
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end <= start:
            self.add_error("end", _("A session must end after it starts."))
        moved = not self.instance.pk or start != self.instance.start
        if start and moved and start <= timezone.now():
            self.add_error("start", _("Choose a start time in the future."))
        series = self.instance.series
        if start and series and series.sessions.filter(start=start).exclude(pk=self.instance.pk):
            self.add_error("start", _("Another session of this series starts at that time."))
        return cleaned


class SessionNotesForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = CoachingSession
        fields = ["notes", "resources"]
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 10}),
            "resources": forms.Textarea(attrs={"rows": 5}),
        }


class KnowledgeEntryForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = KnowledgeEntry
        fields = [
            "title",
            "slug",
            "kind",
            "summary",
            "body",
            "categories",
            "language",
            "session",
            "is_public",
        ]
        widgets = {
            "categories": forms.CheckboxSelectMultiple,
            "body": forms.Textarea(attrs={"rows": 16}),
        }
        help_texts = {
            "slug": _("Part of the page's address; leave empty to make one from the title.")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["session"].queryset = CoachingSession.objects.order_by("-start")

    def clean_slug(self):
        slug = self.cleaned_data.get("slug") or slugify(self.cleaned_data.get("title", ""))[:180]
        if not slug or slug == "new":
            raise forms.ValidationError(_("Give the entry an address made of letters or digits."))
        taken = KnowledgeEntry.objects.filter(slug=slug).exclude(pk=self.instance.pk)
        if self.cleaned_data.get("slug"):
            if taken.exists():
                raise forms.ValidationError(_("Another entry already uses this address."))
            return slug
        base, number = slug, 2
        while taken.exists():
            slug = f"{base}-{number}"
            taken = KnowledgeEntry.objects.filter(slug=slug).exclude(pk=self.instance.pk)
            number += 1
        return slug


class AttendanceForm(forms.Form):
    """Who attended: one checkbox per person registered or waitlisted for the session."""

    attended = forms.ModelMultipleChoiceField(
        label=_("Who attended"),
        queryset=Registration.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, registrations, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["attended"]
        field.queryset = registrations
        field.label_from_instance = _attendee_label
        if not self.is_bound:
            field.initial = [
                registration.pk for registration in registrations if registration.attended
            ]


def _attendee_label(registration):
    member = getattr(registration.user, "member", None)
    name = registration.user.display_name
    return f"{name} ({member.name})" if member else name
