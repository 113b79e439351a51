from django import forms
from django.utils.translation import gettext_lazy as _

from network_portal.forms import BootstrapFormMixin

from .models import WeeklyEmail


class WeeklyEmailForm(BootstrapFormMixin, forms.Form):
    frequency = forms.ChoiceField(
        label=_("How often"),
        choices=WeeklyEmail.Frequency.choices,
        widget=forms.RadioSelect,
    )
    weekday = forms.TypedChoiceField(
        label=_("On"),
        choices=WeeklyEmail.Weekday.choices,
        coerce=int,
        help_text=_("At 8:00 in your time zone."),
    )
