from django import forms
from django.utils.translation import gettext_lazy as _

from categories.models import Category
from coaching.models import CoachingSession
from funds.models import FundCall
from members.models import Language
from network_portal.forms import BootstrapFormMixin

from .models import Frequency, Post, PostReport, Thread

# Posts are written in one of the network's three working languages.
WORKING_LANGUAGES = ["en", "fr", "es"]


def _languages():
    return Language.objects.filter(code__in=WORKING_LANGUAGES).order_by("name")


class ThreadForm(BootstrapFormMixin, forms.ModelForm):
    body = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=20000,
        help_text=_("Markdown: **bold**, lists, [links](https://…)."),
    )

    class Meta:
        model = Thread
        fields = ["title", "body", "language", "fund_call", "session"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].queryset = _languages()
        self.fields["fund_call"].queryset = (
            FundCall.objects.visible_to(user)
            .exclude(status=FundCall.Status.ARCHIVED)
            .order_by("deadline")
        )
        self.fields["session"].queryset = CoachingSession.objects.filter(
            pk__in=CoachingSession.objects.order_by("-start").values("pk")[:200]
        ).order_by("-start")


class PostForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Post
        fields = ["body", "language"]
        widgets = {"body": forms.Textarea(attrs={"rows": 6})}
        labels = {"body": _("Your reply")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].queryset = _languages()


class EditPostForm(PostForm):
    class Meta(PostForm.Meta):
        labels = {"body": _("Message")}


class HideForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why is this post hidden?"),
        max_length=500,
        help_text=_("Its author receives this reason by email."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReportForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = PostReport
        fields = ["reason"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 3})}


class MoveForm(BootstrapFormMixin, forms.Form):
    category = forms.ModelChoiceField(label=_("Move to"), queryset=Category.objects.all())

    def __init__(self, *args, thread, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.exclude(pk=thread.category_id)


class FollowForm(forms.Form):
    frequency = forms.ChoiceField(label=_("Emails"), choices=Frequency.choices)


class KnowledgeForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(label=_("Summary"), max_length=300, required=False)
    body = forms.CharField(
        label=_("What the discussion concluded"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Markdown: **bold**, lists, [links](https://…)."),
    )


class LanguageFilterForm(forms.Form):
    language = forms.ModelChoiceField(
        label=_("Language"),
        queryset=Language.objects.all(),
        required=False,
        empty_label=_("Any"),
        to_field_name="code",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].queryset = _languages()
        self.fields["language"].widget.attrs["class"] = "form-select"


class SearchForm(LanguageFilterForm):
    q = forms.CharField(label=_("Search discussions and the knowledge base"), max_length=200)

    field_order = ["q", "language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs["class"] = "form-control"
        self.fields["q"].widget.input_type = "search"
