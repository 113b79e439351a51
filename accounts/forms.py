from django import forms
from django.utils.text import capfirst

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
