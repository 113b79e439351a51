"""The needs assessment: questions (data edited in the admin) and each member's answers.

A question's wording in English, French and Spanish and its closed list of options are rows, so
a new question needs no deploy. Changing a question's wording or options bumps its ``version``
(``NeedsQuestion.save`` and the admin's option inline); an answer keeps the version it answered.
Options map to the skills categories and to the coaching session kinds, which the report counts
and the matching of ``connections`` reads (``members.needs.needs_offers_scores``).
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# Asked again once, this long after the first "not now".
ASK_AGAIN_AFTER = timedelta(days=7)


class _Translated:
    """``display_<field>``: the field in the active language, falling back to English."""

    def translated(self, field):
        language = (get_language() or "en").split("-")[0]
        if language != "en":
            value = getattr(self, f"{field}_{language}", "")
            if value:
                return value
        return getattr(self, f"{field}_en")


class NeedsQuestion(_Translated, models.Model):
    class Section(models.TextChoices):
        NEEDS = "needs", _("Support needed")
        CHALLENGES = "challenges", _("Challenges")
        TOPICS = "topics", _("Workshop topics")
        LANGUAGES = "languages", _("Languages")
        DAYS = "days", _("Preferred days")
        TIMES = "times", _("Preferred times of day")
        OFFERS = "offers", _("What I can offer")
        ADVICE = "advice", _("Technical advice I can give")
        COMMENTS = "comments", _("Anything else")

    class Kind(models.TextChoices):
        MULTIPLE = "multiple", _("Several options")
        TEXT = "text", _("Free text")

    # What a member asks for (the report's demand) and what they give (the matching's supply).
    NEED_SECTIONS = (Section.NEEDS, Section.CHALLENGES, Section.TOPICS)
    OFFER_SECTIONS = (Section.OFFERS, Section.ADVICE)

    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    section = models.CharField(_("section"), max_length=20, choices=Section)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.MULTIPLE)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text_en = models.CharField(_("question (English)"), max_length=300)
    text_fr = models.CharField(_("question (French)"), max_length=300, blank=True)
    text_es = models.CharField(_("question (Spanish)"), max_length=300, blank=True)
    is_active = models.BooleanField(_("asked"), default=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("needs question")
        verbose_name_plural = _("needs questions")

    def __str__(self):
        return self.display_text

    def save(self, *args, **kwargs):
        if self.pk is not None:
            before = (
                NeedsQuestion.objects.filter(pk=self.pk)
                .values_list("text_en", "text_fr", "text_es", "kind")
                .first()
            )
            if before and before != (self.text_en, self.text_fr, self.text_es, self.kind):
                self.version += 1
        super().save(*args, **kwargs)

    @property
    def display_text(self):
        return self.translated("text")

    def bump_version(self):
        """A new wording of its options: answers given before keep the older version."""
        NeedsQuestion.objects.filter(pk=self.pk).update(version=models.F("version") + 1)


class NeedsOption(_Translated, models.Model):
    question = models.ForeignKey(
        NeedsQuestion, verbose_name=_("question"), on_delete=models.CASCADE, related_name="options"
    )
    slug = models.SlugField(_("slug"), max_length=50)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    label_en = models.CharField(_("label (English)"), max_length=200)
    label_fr = models.CharField(_("label (French)"), max_length=200, blank=True)
    label_es = models.CharField(_("label (Spanish)"), max_length=200, blank=True)
    category = models.ForeignKey(
        "categories.Category",
        verbose_name=_("skills category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The category this option is about, for the report and the matching."),
    )
    session_kind = models.CharField(
        _("session kind"),
        max_length=20,
        blank=True,
        help_text=_("The kind of coaching session this option asks for or offers, if any."),
    )
    # For a day or time-of-day option: ISO weekday (1 = Monday) or the slot's first hour.
    weekday = models.PositiveSmallIntegerField(_("weekday"), null=True, blank=True)
    start_hour = models.PositiveSmallIntegerField(_("first hour"), null=True, blank=True)

    class Meta:
        ordering = ["question", "position", "slug"]
        verbose_name = _("option")
        verbose_name_plural = _("options")
        constraints = [
            models.UniqueConstraint(
                fields=["question", "slug"], name="one_option_slug_per_question"
            ),
            models.CheckConstraint(
                condition=Q(weekday__isnull=True) | Q(weekday__gte=1, weekday__lte=7),
                name="needs_option_weekday_valid",
            ),
            models.CheckConstraint(
                condition=Q(start_hour__isnull=True) | Q(start_hour__lte=23),
                name="needs_option_hour_valid",
            ),
        ]

    def __str__(self):
        return self.display_label

    @property
    def display_label(self):
        return self.translated("label")


class NeedsAssessmentQuerySet(models.QuerySet):
    def answered(self):
        return self.filter(answered_at__isnull=False)


class NeedsAssessment(models.Model):
    """One member's assessment: when it was answered, or put off, and in which time zone."""

    member = models.OneToOneField(
        "members.Member",
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="needs_assessment",
    )
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    answered_at = models.DateTimeField(_("first answered"), null=True, blank=True, db_index=True)
    updated_at = models.DateTimeField(_("last changed"), null=True, blank=True)
    skipped_at = models.DateTimeField(_("last put off"), null=True, blank=True)
    skip_count = models.PositiveSmallIntegerField(_("times put off"), default=0)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = NeedsAssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-answered_at"]
        verbose_name = _("needs assessment")
        verbose_name_plural = _("needs assessments")

    def __str__(self):
        return str(self.member)

    def is_due(self, now=None):
        """Whether to invite the member: never answered, and not put off (or put off once,
        seven days ago or more)."""
        if self.answered_at is not None:
            return False
        if self.skip_count == 0:
            return True
        now = now or timezone.now()
        return self.skip_count == 1 and self.skipped_at <= now - ASK_AGAIN_AFTER


class NeedsAnswer(models.Model):
    assessment = models.ForeignKey(
        NeedsAssessment,
        verbose_name=_("assessment"),
        on_delete=models.CASCADE,
        related_name="answers",
    )
    question = models.ForeignKey(
        NeedsQuestion, verbose_name=_("question"), on_delete=models.PROTECT, related_name="answers"
    )
    question_version = models.PositiveIntegerField(_("question version"))
    options = models.ManyToManyField(
        NeedsOption, verbose_name=_("options"), related_name="answers", blank=True
    )
    text = models.TextField(_("text"), max_length=2000, blank=True)
    answered_at = models.DateTimeField(_("answered"), default=timezone.now)

    class Meta:
        ordering = ["question__position"]
        verbose_name = _("needs answer")
        verbose_name_plural = _("needs answers")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "question"], name="one_answer_per_question"
            )
        ]

    def __str__(self):
        return f"{self.assessment} · {self.question.slug}"
