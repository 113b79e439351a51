"""Sessions, the series that generate them, and the seats people take."""

import datetime
import zoneinfo

from dateutil import rrule
from django.conf import settings
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from accounts.models import validate_time_zone
from network_portal.markdown import render_markdown

MANAGE_EVERY_SESSION = "coaching.manage_every_session"


class SessionKind(models.TextChoices):
    WORKSHOP = "workshop", _("Workshop on writing a submission")
    BRIEFING = "briefing", _("Pre-deadline briefing")
    FEEDBACK = "feedback", _("Feedback with evaluators")
    PEER_CIRCLE = "peer-circle", _("Peer-coaching circle")
    ONE_TO_ONE = "one-to-one", _("One-to-one coaching")


class SessionDetails(models.Model):
    """What a session and the series that generates sessions have in common."""

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=SessionKind)
    description = models.TextField(_("description"), blank=True)
    language = models.ForeignKey(
        "members.Language",
        verbose_name=_("language"),
        on_delete=models.PROTECT,
        related_name="+",
        default="en",
    )
    time_zone = models.CharField(
        _("host's time zone"),
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
        help_text=_("An IANA name such as Europe/Zurich (Geneva) or America/Bogota."),
    )
    online_link = models.URLField(
        _("online link"),
        blank=True,
        help_text=_("Shown only to registered members and hosts."),
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("seats"), default=20)

    class Meta:
        abstract = True

    @property
    def zone(self):
        return zoneinfo.ZoneInfo(self.time_zone)


class SessionSeriesQuerySet(models.QuerySet):
    def manageable_by(self, user):
        """The series ``user`` may manage: the rule of ``SessionSeries.can_manage``, for many."""
        if not user.is_authenticated:
            return self.none()
        if user.has_perm(MANAGE_EVERY_SESSION):
            return self.all()
        hosted = SessionSeries.hosts.through.objects.filter(member__owner=user)
        return self.filter(pk__in=hosted.values("sessionseries_id"))


class SessionSeries(SessionDetails):
    """A rule such as "every two weeks on Tuesday, 14:00 Geneva time" and its occurrences.

    Occurrences are computed in the series' own time zone, so 14:00 stays 14:00 across a change
    to or from summer time. Each occurrence becomes a session once, when it comes within the
    generation horizon; from then on it is a session like any other: a host may move or cancel
    it, and it is not made again. Changing the rule (weekday, time, interval) leaves the sessions
    already made as they are; the new rule applies from the first of its occurrences that comes
    at least one interval (less a day) after the latest session already made.
    """

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    categories = models.ManyToManyField(
        "categories.Category", verbose_name=_("skills categories"), related_name="+", blank=True
    )
    hosts = models.ManyToManyField(
        "members.Member", verbose_name=_("hosts"), related_name="hosted_series", blank=True
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday)
    start_time = models.TimeField(_("start time"), help_text=_("In the host's time zone."))
    duration = models.DurationField(_("duration"), default=datetime.timedelta(hours=1))
    interval = models.PositiveSmallIntegerField(
        _("every how many weeks"), default=2, help_text=_("2: every two weeks.")
    )
    starts_on = models.DateField(_("first date"), default=datetime.date.today)
    until = models.DateField(_("last date"), null=True, blank=True)
    count = models.PositiveSmallIntegerField(
        _("number of sessions"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive series create no new sessions.")
    )
    certificate_after = models.PositiveSmallIntegerField(
        _("sessions for a certificate"),
        null=True,
        blank=True,
        help_text=_(
            "A participant who attended this many sessions of the series can download a "
            "certificate of participation. Leave empty for no certificate."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = SessionSeriesQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("session series")
        verbose_name_plural = _("session series")
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gt=0), name="series_capacity_positive"),
            models.CheckConstraint(condition=Q(interval__gte=1), name="series_interval_positive"),
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6), name="series_weekday_valid"
            ),
            models.CheckConstraint(
                condition=Q(duration__gt=datetime.timedelta(0)), name="series_duration_positive"
            ),
            models.CheckConstraint(
                condition=Q(certificate_after__isnull=True) | Q(certificate_after__gte=1),
                name="series_certificate_after_positive",
                violation_error_message=_("A certificate needs at least one session attended."),
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=models.F("starts_on")),
                name="series_until_after_start",
                violation_error_message=_("The last date cannot come before the first."),
            ),
        ]

    def __str__(self):
        return self.title

    def can_manage(self, user):
        """Hosts manage their series; ILO staff manage every series (as ``manageable_by``)."""
        if not user.is_authenticated:
            return False
        return user.has_perm(MANAGE_EVERY_SESSION) or self.hosts.filter(owner=user).exists()

    def occurrence_starts(self, *, after, before):
        """Aware start times of the occurrences starting in ``[after, before)``."""
        first = datetime.datetime.combine(self.starts_on, self.start_time)
        until = datetime.datetime.combine(self.until, datetime.time.max) if self.until else None
        rule = rrule.rrule(
            rrule.WEEKLY,
            interval=self.interval,
            byweekday=self.weekday,
            dtstart=first,
            until=until,
            count=self.count,
        )
        zone = self.zone
        starts = []
        # The rule runs on the host's wall clock; each date gets that date's UTC offset.
        for local in rule:
            start = local.replace(tzinfo=zone)
            if start >= before:
                break
            if start >= after:
                starts.append(start)
        return starts


class CoachingSessionQuerySet(models.QuerySet):
    def scheduled(self):
        return self.filter(status=CoachingSession.Status.SCHEDULED)

    def upcoming(self, *, now=None):
        """Sessions not over yet (running ones included), cancelled ones too, soonest first."""
        return self.filter(end__gt=now or timezone.now()).order_by("start", "pk")

    def past(self, *, now=None):
        return self.filter(end__lte=now or timezone.now()).order_by("-start", "-pk")

    def hosted_by(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(hosts__owner=user)

    def manageable_by(self, user):
        """The sessions ``user`` may manage: ``CoachingSession.can_manage``'s rule, for many."""
        if not user.is_authenticated:
            return self.none()
        if user.has_perm(MANAGE_EVERY_SESSION):
            return self.all()
        hosted = CoachingSession.hosts.through.objects.filter(member__owner=user)
        return self.filter(pk__in=hosted.values("coachingsession_id"))

    def with_seats(self):
        """Annotate ``registered_count`` and ``waitlisted_count`` (one subquery each)."""

        def counted(status):
            return Coalesce(
                Subquery(
                    Registration.objects.filter(session=OuterRef("pk"), status=status)
                    .order_by()
                    .values("session")
                    .annotate(n=Count("pk"))
                    .values("n")
                ),
                0,
            )

        return self.annotate(
            registered_count=counted(Registration.Status.REGISTERED),
            waitlisted_count=counted(Registration.Status.WAITLISTED),
        )

    def with_status_for(self, user):
        """Annotate ``my_status``: the viewer's registration status, or None."""
        if not user.is_authenticated:
            return self.annotate(my_status=models.Value(None, output_field=models.CharField()))
        mine = Registration.objects.filter(session=OuterRef("pk"), user=user)
        return self.annotate(my_status=Subquery(mine.values("status")[:1]))

    def in_category(self, category):
        through = CoachingSession.categories.through.objects.filter(category=category)
        return self.filter(pk__in=through.values("coachingsession_id"))


class CoachingSession(SessionDetails):
    """One meeting: a workshop, a briefing, a feedback session, a peer-coaching circle."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    categories = models.ManyToManyField(
        "categories.Category",
        verbose_name=_("skills categories"),
        related_name="coaching_sessions",
        blank=True,
    )
    hosts = models.ManyToManyField(
        "members.Member",
        verbose_name=_("hosts"),
        related_name="hosted_sessions",
        blank=True,
        help_text=_("Typically Core Group facilitators; hosts edit the session."),
    )
    start = models.DateTimeField(_("start"), db_index=True)
    end = models.DateTimeField(_("end"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.SCHEDULED, editable=False
    )
    sequence = models.PositiveIntegerField(
        _("revision"),
        default=0,
        editable=False,
        help_text=_("Raised on every change calendars must pick up (iCalendar SEQUENCE)."),
    )
    series = models.ForeignKey(
        SessionSeries,
        verbose_name=_("series"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sessions",
    )
    # Where the series' rule put this session (iCalendar RECURRENCE-ID); moving it keeps this.
    occurrence_start = models.DateTimeField(
        _("original start"), null=True, blank=True, editable=False
    )
    fund_call = models.ForeignKey(
        "funds.FundCall",
        verbose_name=_("fund call"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coaching_sessions",
        help_text=_("A briefing or workshop that prepares a submission to this call."),
    )
    notes = models.TextField(
        _("notes"), blank=True, help_text=_("What was discussed, in Markdown; members read it.")
    )
    resources = models.TextField(
        _("resources"), blank=True, help_text=_("Links and documents, in Markdown.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CoachingSessionQuerySet.as_manager()

    class Meta:
        ordering = ["start", "pk"]
        verbose_name = _("coaching session")
        verbose_name_plural = _("coaching sessions")
        permissions = [("manage_every_session", _("Can manage every coaching session"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")),
                name="session_ends_after_start",
                violation_error_message=_("A session must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__gt=0),
                name="session_capacity_positive",
                violation_error_message=_("A session needs at least one seat."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["scheduled", "cancelled"]), name="session_status_valid"
            ),
            models.UniqueConstraint(
                fields=["series", "occurrence_start"],
                condition=Q(series__isnull=False),
                name="one_session_per_series_occurrence",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.start:%Y-%m-%d %H:%M} UTC)"

    def get_absolute_url(self):
        return reverse("coaching:detail", args=[self.pk])

    @property
    def is_cancelled(self):
        return self.status == self.Status.CANCELLED

    @property
    def has_started(self):
        return self.start <= timezone.now()

    @property
    def can_take_attendance(self):
        """Hosts mark who attended once the session has started, unless it was cancelled."""
        return self.has_started and not self.is_cancelled

    @property
    def is_over(self):
        return self.end <= timezone.now()

    @property
    def seats_left(self):
        registered = getattr(self, "registered_count", None)
        if registered is None:
            registered = self.registrations.filter(status=Registration.Status.REGISTERED).count()
        return max(self.capacity - registered, 0)

    @cached_property
    def host_owner_ids(self):
        return {host.owner_id for host in self.hosts.all() if host.owner_id}

    def is_hosted_by(self, user):
        return user.is_authenticated and user.pk in self.host_owner_ids

    def can_manage(self, user):
        """Hosts manage their sessions; ILO staff manage every session (as ``manageable_by``)."""
        return user.is_authenticated and (
            self.is_hosted_by(user) or user.has_perm(MANAGE_EVERY_SESSION)
        )

    @property
    def notes_html(self):
        return render_markdown(self.notes)

    @property
    def resources_html(self):
        return render_markdown(self.resources)


class Registration(models.Model):
    """A person's seat, or place in the waitlist, for one session."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        WAITLISTED = "waitlisted", _("On the waitlist")
        CANCELLED = "cancelled", _("Cancelled")

    session = models.ForeignKey(
        CoachingSession,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="registrations",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("participant"),
        on_delete=models.CASCADE,
        related_name="coaching_registrations",
    )
    status = models.CharField(_("status"), max_length=12, choices=Status)
    queued_at = models.DateTimeField(
        _("joined at"), default=timezone.now, help_text=_("The waitlist is served in this order.")
    )
    revision = models.PositiveIntegerField(
        _("revision"), default=0, editable=False, help_text=_("Raised on every status change.")
    )
    attended = models.BooleanField(
        _("attended"), default=False, help_text=_("Marked by a host after the session started.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["queued_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"],
                name="one_registration_per_session_and_user",
                violation_error_message=_("This person is already registered."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["registered", "waitlisted", "cancelled"]),
                name="registration_status_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["session", "status", "queued_at"], name="registration_queue_idx")
        ]

    def __str__(self):
        return f"{self.user} · {self.session.title} · {self.get_status_display()}"

    @property
    def is_active(self):
        return self.status in (self.Status.REGISTERED, self.Status.WAITLISTED)

    def waitlist_position(self):
        """1 for the next person to get a seat; None unless waitlisted."""
        if self.status != self.Status.WAITLISTED:
            return None
        ahead = Registration.objects.filter(
            Q(queued_at__lt=self.queued_at) | Q(queued_at=self.queued_at, pk__lt=self.pk),
            session_id=self.session_id,
            status=self.Status.WAITLISTED,
        )
        return ahead.count() + 1


class SeriesMembership(models.Model):
    """A person who joined a whole series: a seat (or waitlist place) in each coming occurrence.

    Occurrences made later (``series_generate_sessions``) register the series' members too.
    Leaving the series deletes the row and gives up every coming seat.
    """

    series = models.ForeignKey(
        SessionSeries,
        verbose_name=_("series"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("participant"),
        on_delete=models.CASCADE,
        related_name="series_memberships",
    )
    joined_at = models.DateTimeField(_("joined at"), default=timezone.now)

    class Meta:
        ordering = ["joined_at", "pk"]
        verbose_name = _("series membership")
        verbose_name_plural = _("series memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["series", "user"],
                name="one_membership_per_series_and_user",
                violation_error_message=_("This person has already joined the series."),
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.series.title}"
