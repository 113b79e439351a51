"""Attendance that hosts mark after a session, and the certificates of participation it earns.

A series with ``certificate_after`` set gives a certificate to whoever attended that many of its
sessions. The certificate is a ``members.IssuedDocument`` (the model that also serves letters of
introduction), verified at the same ``/letters/<token>/`` address.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Min, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import translation
from django.utils.formats import date_format
from django.utils.timezone import localdate
from django.utils.translation import gettext as _

from members.letters import LANGUAGE_CODES, document_issue
from members.models import IssuedDocument, Member

from .models import CoachingSession, Registration, SessionSeries


@transaction.atomic
def attendance_record(*, session, attended):
    """Mark exactly ``attended`` (registrations of ``session``) as present, the others absent.

    For the session's hosts and ILO staff (the views check ``can_manage``), once it started.
    Returns the number of people marked present.
    """
    if not session.can_take_attendance:
        raise ValidationError(_("Attendance is taken once the session has started."))
    registrations = Registration.objects.filter(session=session).exclude(
        status=Registration.Status.CANCELLED
    )
    ids = [registration.pk for registration in attended]
    registrations.filter(pk__in=ids).update(attended=True)
    registrations.exclude(pk__in=ids).update(attended=False)
    return registrations.filter(attended=True).count()


def _attended(user):
    return Registration.objects.filter(
        user=user,
        attended=True,
        session__status=CoachingSession.Status.SCHEDULED,
    )


def reference_for(series):
    return f"coaching.series:{series.pk}"


def series_with_progress(user):
    """Series giving certificates in which ``user`` attended at least one session.

    Each carries ``attended_count``, ``earned`` and ``certificate_token`` (their valid
    certificate's, or None): two queries, whatever the number of series.
    """
    attended = (
        _attended(user)
        .filter(session__series=OuterRef("pk"))
        .order_by()
        .values("session__series")
        .annotate(n=Count("pk"))
        .values("n")
    )
    series = (
        SessionSeries.objects.filter(certificate_after__isnull=False)
        .annotate(attended_count=Coalesce(Subquery(attended), 0))
        .filter(attended_count__gt=0)
        .order_by("title", "pk")
    )
    series = list(series)
    tokens = dict(
        IssuedDocument.objects.valid()
        .filter(
            kind=IssuedDocument.Kind.CERTIFICATE,
            holder=user,
            reference__in=[reference_for(item) for item in series],
        )
        .values_list("reference", "token")
    )
    for item in series:
        item.certificate_token = tokens.get(reference_for(item))
        item.earned = item.attended_count >= item.certificate_after
    return series


def _certificate_content(*, user, series, language):
    sessions = (
        _attended(user)
        .filter(session__series=series)
        .aggregate(count=Count("pk"), first=Min("session__start"), last=Max("session__start"))
    )
    hosts = [host.name for host in series.hosts.all()]
    with translation.override(language):
        first = date_format(localdate(sessions["first"]))
        last = date_format(localdate(sessions["last"]))
        statement = _(
            "%(name)s took part in %(count)d sessions of the coaching series “%(series)s” of "
            "the ILO Skills Innovation Network, between %(first)s and %(last)s."
        ) % {
            "name": user.display_name,
            "count": sessions["count"],
            "series": series.title,
            "first": first,
            "last": last,
        }
        facts = [
            [_("Series"), series.title],
            [_("Sessions attended"), str(sessions["count"])],
            [_("From"), first],
            [_("To"), last],
        ]
        if hosts:
            facts.append([_("Hosts"), ", ".join(hosts)])
        issuer = ", ".join(hosts) or _("ILO Skills Innovation Network")
    return statement, facts, issuer


def certificate_issue(*, user, series):
    """``user``'s certificate of participation in ``series``: the valid one, or a new one.

    Idempotent: a second call (or two at once) returns the same certificate. Raises
    ValidationError when the series gives none or ``user`` has not attended enough sessions.
    """
    reference = reference_for(series)
    existing = IssuedDocument.objects.valid().filter(
        kind=IssuedDocument.Kind.CERTIFICATE, holder=user, reference=reference
    )
    document = existing.first()
    if document is not None:
        return document
    attended = _attended(user).filter(session__series=series).count()
    if series.certificate_after is None or attended < series.certificate_after:
        raise ValidationError(
            _("A certificate needs %(needed)s sessions attended; you attended %(count)d.")
            % {"needed": series.certificate_after or "-", "count": attended}
        )
    language = user.preferred_language if user.preferred_language in LANGUAGE_CODES else "en"
    statement, facts, issuer = _certificate_content(user=user, series=series, language=language)
    try:
        with transaction.atomic():
            return document_issue(
                kind=IssuedDocument.Kind.CERTIFICATE,
                holder=user,
                member=Member.objects.filter(owner=user).first(),
                holder_name=user.display_name,
                language=language,
                statement=statement,
                facts=facts,
                issued_by_name=issuer,
                reference=reference,
            )
    except IntegrityError:
        # Issued meanwhile by a second click: that one is the certificate.
        return existing.get()
