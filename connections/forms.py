from django import forms
from django.utils.translation import gettext_lazy as _

from network_portal.forms import BootstrapFormMixin

from .models import (
    INTRODUCTION_MAX_LENGTH,
    INTRODUCTION_MIN_LENGTH,
    MESSAGE_MAX_LENGTH,
    REPORT_REASON_MAX_LENGTH,
    MessagePreference,
)


class IntroductionForm(BootstrapFormMixin, forms.Form):
    message = forms.CharField(
        label=_("Your message"),
        min_length=INTRODUCTION_MIN_LENGTH,
        max_length=INTRODUCTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Why you are writing and what you propose, in %(min)d to %(max)d characters. They see "
            "your name, your organization and your profile, never your email address."
        )
        % {"min": INTRODUCTION_MIN_LENGTH, "max": INTRODUCTION_MAX_LENGTH},
    )


class MessageForm(BootstrapFormMixin, forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ReportForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("What is wrong with it (optional)"),
        max_length=REPORT_REASON_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PreferenceForm(BootstrapFormMixin, forms.Form):
    notify = forms.ChoiceField(
        label=_("Email me about new messages"),
        choices=MessagePreference.Notify.choices,
        widget=forms.RadioSelect,
    )
