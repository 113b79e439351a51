from django import forms

from network_portal.forms import BootstrapFormMixin

from .models import User
from .time_zones import time_zone_choices


class AccountSettingsForm(BootstrapFormMixin, forms.ModelForm):
    time_zone = forms.ChoiceField()

    class Meta:
        model = User
        fields = ["full_name", "preferred_language", "time_zone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        model_field = User._meta.get_field("time_zone")
        self.fields["time_zone"].choices = time_zone_choices(current=self.instance.time_zone)
        self.fields["time_zone"].label = model_field.verbose_name.capitalize()
        self.fields["time_zone"].help_text = model_field.help_text
