from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MemberDocument(models.Model):
    """What a profile says about its project, ready for matching (see ``connections/documents.py``).

    ``document`` is the full-text vector of ``text`` in the English, French and Spanish
    configurations, accents removed (PostgreSQL only; NULL on SQLite). ``source_hash`` covers the
    text, categories and languages, so a refresh of an unchanged profile does nothing.
    """

    member = models.OneToOneField(
        "members.Member",
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
    )
    text = models.TextField(_("matching words"), blank=True)
    source_hash = models.CharField(_("source hash"), max_length=64)
    document = SearchVectorField(null=True, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    neighbours_at = models.DateTimeField(_("neighbours computed"), null=True, blank=True)

    class Meta:
        # The GIN index on ``document`` is created by the migration, on PostgreSQL only.
        verbose_name = _("member document")
        verbose_name_plural = _("member documents")

    def __str__(self):
        return str(self.member_id)


class LexemeFrequency(models.Model):
    """In how many member documents a lexeme occurs: what makes a shared word telling."""

    lexeme = models.CharField(_("lexeme"), max_length=255, primary_key=True)
    documents = models.PositiveIntegerField(_("documents"), default=0)

    class Meta:
        verbose_name = _("lexeme frequency")
        verbose_name_plural = _("lexeme frequencies")

    def __str__(self):
        return f"{self.lexeme} ({self.documents})"


class Neighbour(models.Model):
    """One of the (at most 20) members most similar to ``member``, with why, precomputed.

    Who may see ``neighbour`` is decided when the rows are read, per viewer, never here.
    """

    member = models.ForeignKey(
        "members.Member", verbose_name=_("member"), on_delete=models.CASCADE, related_name="+"
    )
    neighbour = models.ForeignKey(
        "members.Member",
        verbose_name=_("similar member"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    score = models.FloatField(_("score"))
    shared_categories = models.JSONField(_("shared category ids"), default=list, blank=True)
    shared_languages = models.JSONField(_("shared language codes"), default=list, blank=True)
    shared_keywords = models.JSONField(_("shared project words"), default=list, blank=True)
    computed_at = models.DateTimeField(_("computed"), default=timezone.now)

    class Meta:
        ordering = ["member", "-score", "neighbour"]
        verbose_name = _("neighbour")
        verbose_name_plural = _("neighbours")
        indexes = [models.Index(fields=["member", "-score"], name="neighbour_member_score_idx")]
        constraints = [
            models.UniqueConstraint(fields=["member", "neighbour"], name="one_neighbour_row"),
            models.CheckConstraint(
                condition=~Q(member=F("neighbour")), name="neighbour_is_not_oneself"
            ),
        ]

    def __str__(self):
        return f"{self.member_id} ~ {self.neighbour_id} ({self.score:.2f})"


class DismissedSuggestion(models.Model):
    """A member a user asked not to be suggested again."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="dismissed_suggestions",
    )
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("dismissed member"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(_("dismissed at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("dismissed suggestion")
        verbose_name_plural = _("dismissed suggestions")
        constraints = [
            models.UniqueConstraint(fields=["user", "member"], name="one_dismissal_per_member")
        ]

    def __str__(self):
        return f"{self.user_id} dismissed {self.member_id}"
