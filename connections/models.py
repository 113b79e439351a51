from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Greatest, Least
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from network_portal.delivery import Delivery


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


# ---- Introductions, conversations, connections ----------------------------------------------

INTRODUCTION_MIN_LENGTH = 30
INTRODUCTION_MAX_LENGTH = 1500
MESSAGE_MAX_LENGTH = 4000
REPORT_REASON_MAX_LENGTH = 1000


class IntroductionQuerySet(models.QuerySet):
    def involving(self, member):
        """Introductions ``member`` sent or received."""
        return self.filter(Q(sender=member) | Q(recipient=member))

    def connections(self):
        """The network's connections: every accepted introduction, one row per pair of members.

        Each row has ``sender`` and ``recipient`` (``members.Member``; NULL once a profile is
        deleted, the connection still counts) and ``accepted_at``, the date the two members
        connected. This is the one meaning of "connection" in the portal: the network graph, the
        Kumu feed and the statistics ("frequency of connections") read it, e.g.::

            Introduction.objects.connections().values("sender_id", "recipient_id", "accepted_at")

        A database constraint keeps at most one accepted introduction per pair, either way.
        """
        return self.filter(status=Introduction.Status.ACCEPTED).order_by("accepted_at", "pk")

    def connections_of(self, member):
        """``connections()`` that ``member`` is one side of."""
        return self.connections().involving(member)


class Introduction(models.Model):
    """A member's "Introduce yourself" to another member, and its answer.

    Accepted, it is a connection between the two members (``IntroductionQuerySet.connections``)
    and opens a ``Conversation``. A recipient who blocked the sender never hears of later
    introductions: they are stored ``SUPPRESSED`` and the sender sees them as sent.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        SUPPRESSED = "suppressed", _("Not delivered (blocked)")

    # Still open: the sender waits; a second one to the same member is refused.
    OPEN_STATUSES = (Status.PENDING, Status.SUPPRESSED)

    sender = models.ForeignKey(
        "members.Member",
        verbose_name=_("from"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="introductions_sent",
    )
    recipient = models.ForeignKey(
        "members.Member",
        verbose_name=_("to"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="introductions_received",
    )
    sender_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    message = models.TextField(_("message"), max_length=INTRODUCTION_MAX_LENGTH)
    status = models.CharField(
        _("status"), max_length=12, choices=Status, default=Status.PENDING, db_index=True
    )
    created_at = models.DateTimeField(_("sent"), default=timezone.now, db_index=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("connected"), null=True, blank=True)

    objects = IntroductionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("introduction")
        verbose_name_plural = _("introductions")
        indexes = [
            models.Index(fields=["sender", "-created_at"], name="introduction_sender_idx"),
            models.Index(fields=["recipient", "status"], name="introduction_recipient_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "accepted", "declined", "suppressed"]),
                name="introduction_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(sender=F("recipient")), name="introduction_not_to_oneself"
            ),
            models.CheckConstraint(
                condition=~Q(status="accepted") | Q(accepted_at__isnull=False),
                name="accepted_introduction_has_date",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "suppressed"]) | Q(answered_at__isnull=False),
                name="answered_introduction_has_date",
            ),
            # One open introduction per sender and recipient: a double click sends one.
            models.UniqueConstraint(
                fields=["sender", "recipient"],
                condition=Q(status__in=["pending", "suppressed"]),
                name="one_open_introduction_per_pair",
            ),
            # One connection per pair of members, whoever introduced whom.
            models.UniqueConstraint(
                Least("sender", "recipient"),
                Greatest("sender", "recipient"),
                condition=Q(status="accepted"),
                name="one_connection_per_pair",
            ),
        ]

    def __str__(self):
        return f"{self.sender_id} → {self.recipient_id} ({self.status})"

    def get_absolute_url(self):
        return reverse("connections:introduction", args=[self.pk])

    def status_for(self, member):
        """What ``member`` is told of the status: a sender never learns of a block."""
        hidden = self.status == self.Status.SUPPRESSED
        if hidden and member is not None and member.pk == self.sender_id:
            return self.Status.PENDING.label
        return self.get_status_display()


class Block(models.Model):
    """A person who no longer wants to hear from another: their introductions are dropped
    silently (the sender sees them as sent) and conversations between them end."""

    blocker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("blocked by"),
        on_delete=models.CASCADE,
        related_name="blocks_made",
    )
    blocked = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("blocked person"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(_("blocked at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("block")
        verbose_name_plural = _("blocks")
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="one_block_per_pair"),
            models.CheckConstraint(condition=~Q(blocker=F("blocked")), name="block_not_oneself"),
        ]

    def __str__(self):
        return f"{self.blocker_id} blocked {self.blocked_id}"


class ConversationQuerySet(models.QuerySet):
    def of(self, user):
        """The conversations ``user`` takes part in (and has not left)."""
        return self.filter(participants__user=user, participants__left_at__isnull=True)


class Conversation(models.Model):
    """The messages two connected members exchange, opened when an introduction is accepted.

    It ends when someone leaves or blocks (``ended_at``) or when either profile is deleted,
    hidden from the directory or loses its owner (``is_ended``); the other side keeps it.
    """

    introduction = models.OneToOneField(
        Introduction,
        verbose_name=_("introduction"),
        on_delete=models.CASCADE,
        related_name="conversation",
    )
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    last_message_at = models.DateTimeField(_("last message"), default=timezone.now)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    objects = ConversationQuerySet.as_manager()

    class Meta:
        ordering = ["-last_message_at", "-pk"]
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")

    def __str__(self):
        return str(self.pk)

    def get_absolute_url(self):
        return reverse("connections:conversation", args=[self.pk])

    @property
    def is_ended(self):
        """Ended by someone, or a side's profile is gone, hidden or ownerless.

        Reads ``introduction__sender`` and ``introduction__recipient``: select them.
        """
        if self.ended_at is not None:
            return True
        sides = (self.introduction.sender, self.introduction.recipient)
        return any(
            member is None or member.owner_id is None or member.status != "listed"
            for member in sides
        )


class Participant(models.Model):
    """One side of a conversation: what they have read, whether they left."""

    conversation = models.ForeignKey(
        Conversation,
        verbose_name=_("conversation"),
        on_delete=models.CASCADE,
        related_name="participants",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="conversation_participations",
    )
    # Kept for the other side once a profile or an account is deleted.
    name = models.CharField(_("name"), max_length=200)
    organization = models.CharField(_("organization"), max_length=200, blank=True)
    last_read_at = models.DateTimeField(_("read until"), default=timezone.now)
    left_at = models.DateTimeField(_("left"), null=True, blank=True)

    class Meta:
        ordering = ["conversation", "pk"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "user"], name="one_participant_per_user"
            )
        ]

    def __str__(self):
        return self.name


class Message(models.Model):
    """A message in a conversation. Only its two participants ever read the body."""

    conversation = models.ForeignKey(
        Conversation,
        verbose_name=_("conversation"),
        on_delete=models.CASCADE,
        related_name="messages",
    )
    author = models.ForeignKey(
        Participant, verbose_name=_("author"), on_delete=models.CASCADE, related_name="messages"
    )
    body = models.TextField(_("message"), max_length=MESSAGE_MAX_LENGTH)
    created_at = models.DateTimeField(_("sent"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [
            models.Index(fields=["conversation", "created_at"], name="message_conversation_idx")
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(body=""), name="message_not_empty"),
        ]

    def __str__(self):
        return f"{self.conversation_id}/{self.pk}"


class Report(models.Model):
    """A message (or an introduction) reported to ILO staff, with a copy of its text: the one
    message staff read, in the admin's report queue."""

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    introduction = models.ForeignKey(
        Introduction,
        verbose_name=_("introduction"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
    )
    message = models.ForeignKey(
        Message,
        verbose_name=_("message"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
    )
    author_name = models.CharField(_("written by"), max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author's account"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    reported_text = models.TextField(_("reported message"))
    reason = models.TextField(_("why"), max_length=REPORT_REASON_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(_("reported at"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        ordering = ["resolved_at", "-created_at"]
        verbose_name = _("reported message")
        verbose_name_plural = _("reported messages")
        constraints = [
            models.UniqueConstraint(
                fields=["reporter", "message"],
                condition=Q(message__isnull=False),
                name="one_report_per_message_and_reporter",
            ),
            models.UniqueConstraint(
                fields=["reporter", "introduction"],
                condition=Q(message__isnull=True, introduction__isnull=False),
                name="one_report_per_introduction_and_reporter",
            ),
        ]

    def __str__(self):
        return f"{self.author_name} {self.created_at:%Y-%m-%d}"


class MessagePreference(models.Model):
    """How a person hears of new messages: each one by email, a daily summary, or not at all."""

    class Notify(models.TextChoices):
        EACH = "each", _("An email for each message")
        DAILY = "daily", _("One daily summary")
        NONE = "none", _("No email")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="message_preference",
    )
    notify = models.CharField(
        _("email me about new messages"), max_length=8, choices=Notify, default=Notify.EACH
    )

    class Meta:
        verbose_name = _("message preference")
        verbose_name_plural = _("message preferences")
        constraints = [
            models.CheckConstraint(
                condition=Q(notify__in=["each", "daily", "none"]), name="message_notify_valid"
            )
        ]

    def __str__(self):
        return f"{self.user_id}: {self.notify}"


class ConnectionEmail(Delivery):
    """An email the connections app owes someone, sent exactly once (``delivery.py``): an
    introduction to its recipient, its acceptance to its sender, a new message, or a day's
    summary. The unique constraints say what can never be owed twice."""

    class Kind(models.TextChoices):
        INTRODUCTION = "introduction", _("Introduction")
        ACCEPTED = "accepted", _("Introduction accepted")
        MESSAGE = "message", _("New message")
        SUMMARY = "summary", _("Daily summary")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    introduction = models.ForeignKey(
        Introduction, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    summary_date = models.DateField(_("summary of"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("connections email")
        verbose_name_plural = _("connections emails")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind__in=["introduction", "accepted"], introduction__isnull=False)
                    | Q(kind="message", message__isnull=False)
                    | Q(kind="summary", summary_date__isnull=False)
                ),
                name="connection_email_has_subject",
            ),
            models.UniqueConstraint(
                fields=["kind", "introduction"],
                condition=Q(kind__in=["introduction", "accepted"]),
                name="one_email_per_introduction_event",
            ),
            models.UniqueConstraint(
                fields=["message", "recipient"],
                condition=Q(kind="message"),
                name="one_email_per_message_and_recipient",
            ),
            models.UniqueConstraint(
                fields=["recipient", "summary_date"],
                condition=Q(kind="summary"),
                name="one_summary_per_day_and_recipient",
            ),
        ]

    def __str__(self):
        return f"{self.kind} to {self.recipient_id}"
