from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.contrib.auth.hashers import make_password
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from network_portal.forms import BootstrapFormMixin

from .models import User
from .time_zones import time_zone_choices


class AccountSettingsForm(BootstrapFormMixin, forms.ModelForm):
    time_zone = forms.ChoiceField(
        label=capfirst(User._meta.get_field("time_zone").verbose_name),
        help_text=User._meta.get_field("time_zone").help_text,
    )

    class Meta:
        model = User
        fields = ["full_name", "preferred_language", "time_zone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = time_zone_choices(current=self.instance.time_zone)


class SignupForm(AllauthSignupForm):
    """allauth's sign-up, doing the same work whether or not the address has an account.

    A new account costs a password hash and an email; so does a taken address (allauth sends
    "you already have an account"), or the response time would tell who is a member.
    """

    def try_save(self, request):
        if self.account_already_exists:
            make_password(self.cleaned_data.get("password1"))  # the hash a new account pays for
        return super().try_save(request)


class AccountDeleteForm(BootstrapFormMixin, forms.Form):
    """The confirmation step: the person types their own email address."""

    email = forms.CharField(
        label=_("Type your email address to confirm"),
        help_text=_("This cannot be undone."),
        max_length=254,
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if email.lower() != self.user.email.lower():
            raise forms.ValidationError(
                _("This is not the email address of your account; nothing was deleted.")
            )
        return email
