"""The knowledge base: guides, tips and good practices, in Markdown."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from network_portal.markdown import render_markdown

from .sessions import CoachingSession

MANAGE_EVERY_ENTRY = "coaching.manage_every_entry"


def can_write_knowledge(user):
    """Hosts, the Core Group and ILO staff write guides, tips and good practices."""
    if not user.is_authenticated:
        return False
    if user.has_perm("coaching.add_knowledgeentry"):
        return True
    return CoachingSession.objects.hosted_by(user).exists()


class KnowledgeEntryQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Signed-in users read every entry; visitors read the public ones."""
        if user.is_authenticated:
            return self.all()
        return self.filter(is_public=True)


class KnowledgeEntry(models.Model):
    """A guide, tip or good practice the network wrote down so others can find it."""

    class Kind(models.TextChoices):
        GUIDE = "guide", _("Guide")
        TIP = "tip", _("Tip")
        GOOD_PRACTICE = "good-practice", _("Good practice")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("address"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.GUIDE)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    body = models.TextField(
        _("text"), help_text=_("Markdown: **bold**, lists, [links](https://…).")
    )
    categories = models.ManyToManyField(
        "categories.Category",
        verbose_name=_("skills categories"),
        related_name="knowledge_entries",
        blank=True,
    )
    language = models.ForeignKey(
        "members.Language",
        verbose_name=_("language"),
        on_delete=models.PROTECT,
        related_name="+",
        default="en",
    )
    session = models.ForeignKey(
        CoachingSession,
        verbose_name=_("from the session"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="knowledge_entries",
    )
    is_public = models.BooleanField(
        _("visible to visitors"),
        default=False,
        help_text=_("Visitors who are not signed in can read it."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="knowledge_entries",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = KnowledgeEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "pk"]
        verbose_name = _("knowledge entry")
        verbose_name_plural = _("knowledge entries")
        permissions = [
            ("manage_every_entry", _("Can edit every knowledge entry and decide who reads it"))
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("coaching:knowledge_detail", args=[self.slug])

    def can_edit(self, user):
        """Whether ``user`` may change this entry, who reads it included: the one rule.

        ILO staff edit every entry. Whoever may write entries edits those they wrote and those
        from a session they host; a Core Group member may not touch anyone else's entry (nor
        make it public).
        """
        if not user.is_authenticated:
            return False
        if user.has_perm(MANAGE_EVERY_ENTRY):
            return True
        if self.session_id is not None and self.session.is_hosted_by(user):
            return True
        return self.author_id == user.pk and can_write_knowledge(user)

    @property
    def body_html(self):
        return render_markdown(self.body)
