import zoneinfo

from django import forms

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
