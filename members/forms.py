from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from categories.models import Category
from network_portal.forms import BootstrapFormMixin

from .models import PROJECT_FIELDS, Language, LetterRequest, Member
from .pictures import member_picture_remove, member_picture_set, read_picture
from .services import PROFILE_FIELDS


def _formfield(model_field, **kwargs):
    if isinstance(model_field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return model_field.formfield(**kwargs)


class FormSection:
    """Part of a form, shaped like one for ``includes/form_fields.html``."""

    def __init__(self, form, title, names):
        self.title = title
        self.names = names
        self._fields = [form[name] for name in names]

    def visible_fields(self):
        return self._fields

    def hidden_fields(self):
        return []

    def non_field_errors(self):
        return ""


class CategoryChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class MemberProfileForm(BootstrapFormMixin, forms.ModelForm):
    """The owner's profile form; the region follows the country and is never asked for."""

    categories = CategoryChoiceField(
        label=_("Skills categories"),
        queryset=Category.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose every category your work belongs to."),
    )
    languages = forms.ModelMultipleChoiceField(
        label=_("Working languages"),
        queryset=Language.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick every language you work in."),
    )

    picture = forms.FileField(
        label=_("Choose a picture"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
        help_text=_(
            "Your organization's logo or a photo: PNG, JPEG or WebP, at most 5 MB. It is shown "
            "whole in a square, on your card and your profile; its location and camera data "
            "are removed."
        ),
    )
    remove_picture = forms.BooleanField(label=_("Remove the current picture"), required=False)

    class Meta:
        model = Member
        formfield_callback = _formfield
        fields = [*PROFILE_FIELDS[:4], "languages", "categories", *PROFILE_FIELDS[4:]]
        widgets = {
            "kind": forms.RadioSelect,
            "email_visibility": forms.RadioSelect,
            "phone_visibility": forms.RadioSelect,
            "project_summary": forms.Textarea(attrs={"rows": 4}),
            "project_objectives": forms.Textarea(attrs={"rows": 3}),
            "beneficiaries": forms.Textarea(attrs={"rows": 3}),
            "impact": forms.Textarea(attrs={"rows": 3}),
            "expertise": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "contact_email": _("Also the address a claim is matched against."),
            "email_visibility": _("Who may read the contact email on your profile."),
            "phone_visibility": _("Who may read the contact phone on your profile."),
            "is_public": _(
                "Show this profile to visitors who are not signed in; signed-in members always "
                "see it once it is listed."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.initial.setdefault("is_public", True)
        self.fields["project_stage"].choices = [
            ("", _("Not specified")),
            *Member.Stage.choices,
        ]

    SECTIONS = [
        (
            _("Who you are"),
            ["name", "kind", "member_type", "country", "languages", "categories"],
        ),
        (_("Logo or photo"), ["picture", "remove_picture"]),
        (
            _("Your project"),
            [
                *PROJECT_FIELDS,
            ],
        ),
        (
            _("Contact and privacy"),
            [
                "contact_name",
                "contact_email",
                "contact_phone",
                "email_visibility",
                "phone_visibility",
                "is_public",
                "accepts_introductions",
            ],
        ),
    ]

    def sections(self):
        # Nothing to remove without a picture: the box is not shown (unticked, it does nothing).
        hidden = set() if self.instance.picture else {"remove_picture"}
        return [
            FormSection(self, title, [name for name in names if name not in hidden])
            for title, names in self.SECTIONS
        ]

    def clean_picture(self):
        upload = self.cleaned_data.get("picture")
        if upload:
            read_picture(upload)  # raises the message the member reads
        return upload

    def save_picture(self, *, member, by):
        """Store the uploaded picture, or remove the current one, as the member asked."""
        if self.cleaned_data.get("picture"):
            member_picture_set(member=member, by=by, upload=self.cleaned_data["picture"])
        elif self.cleaned_data.get("remove_picture"):
            member_picture_remove(member=member, by=by)

    def service_kwargs(self):
        """The cleaned data as keyword arguments of ``member_create`` / ``member_update``."""
        data = dict(self.cleaned_data)
        return {
            "categories": data.pop("categories"),
            "languages": data.pop("languages"),
            **{name: data[name] for name in PROFILE_FIELDS},
        }


class LetterRequestForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = LetterRequest
        fields = ["purpose"]
        widgets = {"purpose": forms.Textarea(attrs={"rows": 3})}


class DocumentRevokeForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why revoke it"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept with the document; shown to staff, not to the public."),
    )
