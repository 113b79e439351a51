"""Special-interest group discussions: threads and posts per category, follows, reports.

Who may read, write and moderate is decided here and nowhere else: ``may_read``, ``may_post``,
``Thread.objects.visible_to`` and ``Post.objects.visible_to``, ``moderates(user, category)``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import CoreGroupRole
from network_portal.delivery import Delivery
from network_portal.markdown import render_markdown

MODERATE_EVERY_CATEGORY = "discussions.moderate_discussions"


def may_read(user):
    """Discussions are for the network only: every signed-in user reads them, visitors nothing."""
    return user.is_authenticated


def has_profile(user):
    return user.is_authenticated and getattr(user, "member", None) is not None


def may_post(user):
    """Members with a profile write; ILO staff, who moderate every category, write too."""
    return has_profile(user) or (user.is_authenticated and user.has_perm(MODERATE_EVERY_CATEGORY))


def led_category_ids(user):
    """The categories whose special-interest group ``user`` leads today."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_led_category_ids", None)
    if cached is None:
        today = timezone.localdate()
        cached = set(
            CoreGroupRole.objects.filter(
                Q(end_date__isnull=True) | Q(end_date__gte=today),
                role=CoreGroupRole.Role.SIG_LEAD,
                member__owner=user,
            ).values_list("category_id", flat=True)
        )
        user._led_category_ids = cached
    return cached


def moderates(user, category):
    """The one rule: ILO staff moderate every category, a SIG lead the one they lead."""
    if not user.is_authenticated:
        return False
    if user.has_perm(MODERATE_EVERY_CATEGORY):
        return True
    return category.pk in led_category_ids(user)


class ThreadQuerySet(models.QuerySet):
    def visible_to(self, user, *, moderator=False):
        """Threads ``user`` may open: none for visitors; a thread whose opening post was hidden
        only for its category's moderators (``moderator``) and its author."""
        if not may_read(user):
            return self.none()
        if moderator:
            return self.all()
        return self.filter(Q(is_hidden=False) | Q(author=user))

    def with_unread(self, user):
        """Each thread with ``unread``: a post newer than the last time ``user`` opened it."""
        seen = ThreadRead.objects.filter(
            user=user, thread=OuterRef("pk"), read_at__gte=OuterRef("last_posted_at")
        )
        return self.annotate(unread=~Exists(seen))


class Thread(models.Model):
    """A conversation in one category's special-interest group, opened by its first post."""

    category = models.ForeignKey(
        "categories.Category",
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="threads",
    )
    title = models.CharField(_("title"), max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="discussion_threads",
    )
    language = models.ForeignKey(
        "members.Language",
        verbose_name=_("language"),
        on_delete=models.PROTECT,
        related_name="+",
        default="en",
    )
    fund_call = models.ForeignKey(
        "funds.FundCall",
        verbose_name=_("about the fund call"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="discussion_threads",
    )
    session = models.ForeignKey(
        "coaching.CoachingSession",
        verbose_name=_("about the coaching session"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="discussion_threads",
    )
    knowledge_entry = models.ForeignKey(
        "coaching.KnowledgeEntry",
        verbose_name=_("outcome written down as"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="discussion_threads",
    )
    is_pinned = models.BooleanField(_("pinned"), default=False)
    is_locked = models.BooleanField(_("locked"), default=False)
    is_hidden = models.BooleanField(_("hidden"), default=False, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_posted_at = models.DateTimeField(_("last post"), default=timezone.now, db_index=True)

    objects = ThreadQuerySet.as_manager()

    class Meta:
        ordering = ["-is_pinned", "-last_posted_at", "-pk"]
        verbose_name = _("discussion thread")
        verbose_name_plural = _("discussion threads")
        permissions = [
            ("moderate_discussions", _("Can moderate the discussions of every category"))
        ]
        indexes = [
            models.Index(
                fields=["category", "-is_pinned", "-last_posted_at"], name="thread_category_idx"
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("discussions:thread", args=[self.category.slug, self.pk])


class PostQuerySet(models.QuerySet):
    def shown(self):
        """Posts everyone who reads the thread sees: neither hidden nor deleted."""
        return self.filter(hidden_at__isnull=True, deleted_at__isnull=True)

    def visible_to(self, user, *, moderator=False):
        """Posts of a thread ``user`` sees: moderators every one, authors their own hidden ones."""
        if not may_read(user):
            return self.none()
        if moderator:
            return self.all()
        return self.filter(Q(hidden_at__isnull=True) | Q(author=user))


class Post(models.Model):
    """One message of a thread, in Markdown; the first one opens the thread."""

    thread = models.ForeignKey(
        Thread, verbose_name=_("thread"), on_delete=models.CASCADE, related_name="posts"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="discussion_posts",
    )
    body = models.TextField(
        _("message"),
        max_length=20000,
        help_text=_("Markdown: **bold**, lists, [links](https://…)."),
    )
    language = models.ForeignKey(
        "members.Language",
        verbose_name=_("language"),
        on_delete=models.PROTECT,
        related_name="+",
        default="en",
    )
    is_opening = models.BooleanField(_("opens the thread"), default=False, editable=False)
    created_at = models.DateTimeField(_("posted"), default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("hidden by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    hidden_reason = models.CharField(_("reason for hiding"), max_length=500, blank=True)
    deleted_at = models.DateTimeField(_("deleted by its author"), null=True, blank=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        constraints = [
            models.UniqueConstraint(
                fields=["thread"], condition=Q(is_opening=True), name="one_opening_post_per_thread"
            ),
            models.CheckConstraint(
                condition=Q(hidden_at__isnull=True) | ~Q(hidden_reason=""),
                name="hidden_post_has_reason",
                violation_error_message=_("Say why the post is hidden."),
            ),
        ]

    def __str__(self):
        return f"{self.thread} · {self.pk}"

    def get_absolute_url(self):
        return f"{self.thread.get_absolute_url()}#post-{self.pk}"

    @property
    def body_html(self):
        return render_markdown(self.body)

    @property
    def is_hidden(self):
        return self.hidden_at is not None

    @property
    def is_deleted(self):
        return self.deleted_at is not None


class PostRevision(models.Model):
    """The text a post had before an edit: moderators can read what was changed."""

    post = models.ForeignKey(
        Post, verbose_name=_("post"), on_delete=models.CASCADE, related_name="revisions"
    )
    body = models.TextField(_("previous text"))
    replaced_at = models.DateTimeField(_("replaced"), default=timezone.now)

    class Meta:
        ordering = ["-replaced_at", "-pk"]
        verbose_name = _("earlier version of a post")
        verbose_name_plural = _("earlier versions of posts")

    def __str__(self):
        return f"{self.post_id} · {self.replaced_at:%Y-%m-%d %H:%M}"


class PostReport(models.Model):
    """A member's report of a post to the moderators: the admin's queue until resolved."""

    post = models.ForeignKey(
        Post, verbose_name=_("post"), on_delete=models.CASCADE, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    reason = models.CharField(_("what is wrong"), max_length=500)
    created_at = models.DateTimeField(_("reported"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["resolved_at", "-created_at"]
        verbose_name = _("reported post")
        verbose_name_plural = _("reported posts")
        constraints = [
            models.UniqueConstraint(fields=["post", "reporter"], name="one_report_per_person")
        ]

    def __str__(self):
        return f"{self.post} · {self.reason[:40]}"


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", _("An email for each new post")
    WEEKLY = "weekly", _("In my weekly email")


class Follow(models.Model):
    """Someone following a thread or a whole category, and how they hear of new posts."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("follower"),
        on_delete=models.CASCADE,
        related_name="discussion_follows",
    )
    thread = models.ForeignKey(
        Thread,
        verbose_name=_("thread"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="follows",
    )
    category = models.ForeignKey(
        "categories.Category",
        verbose_name=_("category"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="discussion_follows",
    )
    frequency = models.CharField(
        _("emails"), max_length=10, choices=Frequency, default=Frequency.IMMEDIATE
    )
    created_at = models.DateTimeField(_("followed since"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("discussion follow")
        verbose_name_plural = _("discussion follows")
        constraints = [
            models.CheckConstraint(
                condition=Q(thread__isnull=True, category__isnull=False)
                | Q(thread__isnull=False, category__isnull=True),
                name="follow_thread_or_category",
            ),
            models.UniqueConstraint(
                fields=["user", "thread"],
                condition=Q(thread__isnull=False),
                name="follow_thread_once",
            ),
            models.UniqueConstraint(
                fields=["user", "category"],
                condition=Q(category__isnull=False),
                name="follow_category_once",
            ),
            models.CheckConstraint(
                condition=Q(frequency__in=Frequency.values), name="follow_frequency_valid"
            ),
        ]

    def __str__(self):
        return f"{self.user} → {self.thread or self.category}"

    @property
    def target(self):
        return self.thread or self.category


class ThreadRead(models.Model):
    """When a person last opened a thread: newer posts make it unread for them."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="reads")
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "thread"], name="one_read_marker_per_thread")
        ]

    def __str__(self):
        return f"{self.user_id} · {self.thread_id}"


class PostDelivery(Delivery):
    """A new post emailed to one follower who asked for each post: once per person and post."""

    class Kind(models.TextChoices):
        NEW_POST = "new-post", _("New post")
        HIDDEN = "hidden", _("Your post was hidden")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    post = models.ForeignKey(
        Post, verbose_name=_("post"), on_delete=models.CASCADE, related_name="deliveries"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.NEW_POST)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("discussion email")
        verbose_name_plural = _("discussion emails")
        constraints = [
            models.UniqueConstraint(fields=["user", "post", "kind"], name="post_email_once")
        ]
        indexes = [
            models.Index(
                fields=["due_at"],
                condition=Q(sent_at__isnull=True, failed_at__isnull=True),
                name="postdelivery_pending",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.post_id} → {self.user}"
