import zoneinfo

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.contrib.auth.hashers import make_password

from network_portal.forms import BootstrapFormMixin

from .models import User

TIME_ZONE_CHOICES = [
    (name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())
]


class AccountSettingsForm(BootstrapFormMixin, forms.ModelForm):
    time_zone = forms.ChoiceField(choices=TIME_ZONE_CHOICES)

    class Meta:
        model = User
        fields = ["full_name", "preferred_language", "time_zone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        model_field = User._meta.get_field("time_zone")
        self.fields["time_zone"].label = model_field.verbose_name.capitalize()
        self.fields["time_zone"].help_text = model_field.help_text


class SignupForm(AllauthSignupForm):
    """allauth's sign-up, doing the same work whether or not the address has an account.

    A new account costs a password hash and an email; so does a taken address (allauth sends
    "you already have an account"), or the response time would tell who is a member.
    """

    def try_save(self, request):
        if self.account_already_exists:
            make_password(self.cleaned_data.get("password1"))  # the hash a new account pays for
        return super().try_save(request)
