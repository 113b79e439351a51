"""The network's statistics for ILO staff and the Core Group: every figure of /network/statistics/.

``statistics_tables(start, end)`` returns the page's tables, each with its chart (SVG, drawn by
``network.charts``), its one-line summary and its rows, in the active language. The number of
queries is fixed (about 25), whatever the size of the network: every figure is a ``GROUP BY``
in the database. ``cached_statistics_tables`` keeps them in the cache for ``TIMEOUT`` seconds,
under the range and the language, so the page answers in a few milliseconds at 100,000 members
once computed (bench/statistics.py).

What is counted:
- Profiles: every profile in the database, listed or awaiting approval, claimed or imported
  (those who see this page may see them all); "by the end of the range" means created before it.
- A profile is *completed* when it is claimed and every field of the member home's completeness
  meter (``members.parts.FINDABLE_FIELDS``: languages, project title, summary, objectives,
  stage, beneficiaries, impact, expertise, website) is filled, i.e. the meter shows 100 %.
- A connection is an accepted introduction (``Introduction.objects.connections()``).
- Months are calendar months in UTC.
"""

import datetime
from collections import Counter

from django.core.cache import cache
from django.db.models import Case, Count, Exists, OuterRef, Q, When
from django.db.models.functions import TruncMonth
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from categories.models import Category
from coaching.models import CoachingSession, Registration
from connections.models import Introduction
from funds.models import Follow, FundAlert, FundCall, PartnerRequest
from members.invitation_models import Invitation
from members.models import Member
from members.needs import needs_report
from members.parts import FINDABLE_FIELDS
from members.regions import Region

from .charts import bar_chart, line_chart

TIMEOUT = 300  # seconds: the page says its figures may be five minutes old
TOP_COUNTRIES = 15
CACHE_VERSION = 1


def _day_start(day):
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=datetime.UTC)


def months_between(start, end):
    """The first day of each calendar month from ``start``'s to ``end``'s (dates), in order."""
    month, last = start.replace(day=1), end.replace(day=1)
    months = []
    while month <= last:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def _per_month(queryset, field, since, until):
    """``{first day of month: count}`` of ``queryset`` rows whose ``field`` is in the range."""
    rows = (
        queryset.filter(**{f"{field}__gte": since, f"{field}__lt": until})
        .annotate(month=TruncMonth(field, tzinfo=datetime.UTC))
        .order_by()
        .values_list("month")
        .annotate(n=Count("pk"))
    )
    return {month.date(): n for month, n in rows}


def _table(slug, title, summary, columns, rows, chart=None):
    return {
        "slug": slug,
        "title": title,
        "summary": summary,
        "columns": [str(column) for column in columns],
        "rows": [
            [str(cell) if not isinstance(cell, int) else cell for cell in row] for row in rows
        ],
        "chart": chart,
    }


def _percent(part, whole):
    return round(100 * part / whole) if whole else 0


# ---- Members ----------------------------------------------------------------------------------


def member_tables(until):
    profiles = Member.objects.filter(created_at__lt=until)
    regions = list(Region.choices)
    categories = list(Category.objects.order_by("position", "name"))
    cells = {
        (category_id, region): n
        for category_id, region, n in Member.categories.through.objects.filter(
            member__created_at__lt=until
        )
        .order_by()
        .values_list("category_id", "member__region")
        .annotate(n=Count("member_id"))
    }
    # One scan for three tables: members per (region, type, country).
    groups = list(
        profiles.order_by().values_list("region", "member_type", "country").annotate(n=Count("pk"))
    )
    per_region, per_type, per_country = Counter(), Counter(), Counter()
    for region, member_type, country, n in groups:
        per_region[region] += n
        per_type[member_type] += n
        per_country[country] += n
    total = sum(per_region.values())

    matrix_rows = []
    for category in categories:
        counts = [cells.get((category.pk, value), 0) for value, _label in regions]
        matrix_rows.append([category.display_name, *counts, sum(counts)])
    matrix_rows.append(
        [_("All members"), *[per_region.get(value, 0) for value, _label in regions], total]
    )
    top_category = max(matrix_rows[:-1], key=lambda row: row[-1], default=None)
    matrix = _table(
        "members-by-category-region",
        _("Members by skills category and region"),
        _(
            "%(total)s members by the end of the range; the largest category is %(category)s "
            "with %(count)s. A member with several categories counts once in each."
        )
        % {
            "total": total,
            "category": top_category[0] if top_category else "—",
            "count": top_category[-1] if top_category else 0,
        },
        [_("Category"), *[label for _value, label in regions], _("All regions")],
        matrix_rows,
    )
    matrix["chart"] = bar_chart(
        chart_id="chart-members-by-category",
        title=_("Members per skills category"),
        summary=matrix["summary"],
        labels=[row[0] for row in matrix_rows[:-1]],
        values=[row[-1] for row in matrix_rows[:-1]],
    )

    type_rows = sorted(
        ([label, per_type.get(value, 0)] for value, label in Member.Type.choices),
        key=lambda row: (-row[1], str(row[0])),
    )
    by_type = _table(
        "members-by-type",
        _("Members by type"),
        _("The most common type is %(type)s: %(count)s of %(total)s members (%(percent)s %%).")
        % {
            "type": type_rows[0][0],
            "count": type_rows[0][1],
            "total": total,
            "percent": _percent(type_rows[0][1], total),
        },
        [_("Type"), _("Members")],
        type_rows,
    )
    by_type["chart"] = bar_chart(
        chart_id="chart-members-by-type",
        title=by_type["title"],
        summary=by_type["summary"],
        labels=[row[0] for row in type_rows],
        values=[row[1] for row in type_rows],
    )

    from django_countries import countries

    country_rows = sorted(
        ([countries.name(code) or code, code, n] for code, n in per_country.items()),
        key=lambda row: (-row[2], str(row[0])),
    )
    by_country = _table(
        "members-by-country",
        _("Members by country"),
        ngettext(
            "Members in %(count)s country; the most in %(country)s (%(n)s).",
            "Members in %(count)s countries; the most in %(country)s (%(n)s).",
            len(country_rows),
        )
        % {
            "count": len(country_rows),
            "country": country_rows[0][0] if country_rows else "—",
            "n": country_rows[0][2] if country_rows else 0,
        },
        [_("Country"), _("ISO code"), _("Members")],
        country_rows,
    )
    shown = country_rows[:TOP_COUNTRIES]
    by_country["chart"] = bar_chart(
        chart_id="chart-members-by-country",
        title=_("The %(count)s countries with the most members") % {"count": len(shown)},
        summary=by_country["summary"],
        labels=[row[0] for row in shown],
        values=[row[2] for row in shown],
    )
    return [matrix, by_type, by_country], total


# ---- Growth and the applicants' funnel ----------------------------------------------------------


def growth_table(since, until, months):
    # One scan: members by (month created, month claimed, month approved), each counted when
    # its own date falls in the range.
    in_range = Q()
    for field in ("created_at", "claimed_at", "approved_at"):
        in_range |= Q(**{f"{field}__gte": since, f"{field}__lt": until})
    triples = (
        Member.objects.filter(in_range)
        .order_by()
        .values_list(
            *[
                Case(
                    When(
                        Q(**{f"{field}__gte": since, f"{field}__lt": until}),
                        then=TruncMonth(field, tzinfo=datetime.UTC),
                    ),
                    default=None,
                )
                for field in ("created_at", "claimed_at", "approved_at")
            ]
        )
        .annotate(n=Count("pk"))
    )
    created, claimed, approved = Counter(), Counter(), Counter()
    for *months_of, n in triples:
        for counter, month in zip((created, claimed, approved), months_of, strict=True):
            if month is not None:
                counter[month.date()] += n
    labels = [f"{month:%Y-%m}" for month in months]
    rows = [
        [label, created.get(month, 0), claimed.get(month, 0), approved.get(month, 0)]
        for label, month in zip(labels, months, strict=True)
    ]
    totals = [sum(row[index] for row in rows) for index in (1, 2, 3)]
    table = _table(
        "growth-per-month",
        _("Growth per month"),
        _(
            "In the range: %(created)s profiles created, %(claimed)s claimed by their owner, "
            "%(approved)s approved."
        )
        % {"created": totals[0], "claimed": totals[1], "approved": totals[2]},
        [_("Month"), _("Created"), _("Claimed"), _("Approved")],
        rows,
    )
    table["chart"] = line_chart(
        chart_id="chart-growth",
        title=table["title"],
        summary=table["summary"],
        labels=labels,
        series=[
            (_("Created"), [row[1] for row in rows]),
            (_("Claimed"), [row[2] for row in rows]),
            (_("Approved"), [row[3] for row in rows]),
        ],
    )
    return table


def completed_profiles():
    """Claimed profiles whose home completeness meter shows 100 % (the module's docstring)."""
    condition = Q(owner__isnull=False)
    for name, _label, _why in FINDABLE_FIELDS:
        if name == "languages":
            condition &= Q(
                Exists(Member.languages.through.objects.filter(member_id=OuterRef("pk")))
            )
        else:
            condition &= ~Q(**{name: ""})
    return condition


def funnel_table(until):
    """The imported applicants (by the end of the range) and how far each came by then."""
    from members.needs_models import NeedsAssessment

    counts = Member.objects.filter(imported=True, created_at__lt=until).aggregate(
        imported=Count("pk"),
        invited=Count(
            "pk",
            filter=Q(
                Exists(Invitation.objects.filter(member_id=OuterRef("pk"), created_at__lt=until))
            ),
        ),
        claimed=Count("pk", filter=Q(claimed_at__lt=until)),
        completed=Count("pk", filter=Q(claimed_at__lt=until) & completed_profiles()),
        answered=Count(
            "pk",
            filter=Q(
                Exists(
                    NeedsAssessment.objects.filter(member_id=OuterRef("pk"), answered_at__lt=until)
                )
            ),
        ),
    )
    steps = [
        ("imported", _("Imported from the call")),
        ("invited", _("Invited")),
        ("claimed", _("Claimed their profile")),
        ("completed", _("Completed their profile")),
        ("answered", _("Answered the needs assessment")),
    ]
    imported = counts["imported"]
    rows = [[label, counts[key], _percent(counts[key], imported)] for key, label in steps]
    table = _table(
        "applicants-funnel",
        _("The applicants' funnel"),
        _(
            "Of %(imported)s imported applicants, %(claimed)s (%(percent)s %%) claimed their "
            "profile and %(answered)s answered the needs assessment."
        )
        % {
            "imported": imported,
            "claimed": counts["claimed"],
            "percent": _percent(counts["claimed"], imported),
            "answered": counts["answered"],
        },
        [_("Step"), _("Applicants"), _("Percent of imported")],
        rows,
    )
    table["chart"] = bar_chart(
        chart_id="chart-funnel",
        title=table["title"],
        summary=table["summary"],
        labels=[row[0] for row in rows],
        values=[row[1] for row in rows],
    )
    return table


# ---- Connections, funds, coaching -------------------------------------------------------------


def connections_table(since, until, months, members_total):
    connections = Introduction.objects.connections()
    per_month = _per_month(connections, "accepted_at", since, until)
    before_end = connections.filter(accepted_at__lt=until).order_by()
    connected = (
        before_end.filter(sender__isnull=False)
        .values("sender_id")
        .union(before_end.filter(recipient__isnull=False).values("recipient_id"))
        .count()
    )
    labels = [f"{month:%Y-%m}" for month in months]
    rows = [[label, per_month.get(month, 0)] for label, month in zip(labels, months, strict=True)]
    in_range = sum(row[1] for row in rows)
    table = _table(
        "connections-per-month",
        _("Connections per month"),
        _(
            "%(count)s new connections in the range; %(connected)s of %(members)s members "
            "(%(percent)s %%) had at least one by its end."
        )
        % {
            "count": in_range,
            "connected": connected,
            "members": members_total,
            "percent": _percent(connected, members_total),
        },
        [_("Month"), _("New connections")],
        rows,
    )
    table["connected"] = connected
    table["chart"] = line_chart(
        chart_id="chart-connections",
        title=table["title"],
        summary=table["summary"],
        labels=labels,
        series=[(_("New connections"), [row[1] for row in rows])],
    )
    return table


def funds_table(since, until, months):
    columns = [
        (_("Calls followed"), _per_month(Follow.objects.all(), "created_at", since, until)),
        (_("Alerts set"), _per_month(FundAlert.objects.all(), "created_at", since, until)),
        (
            _("Calls suggested by members"),
            _per_month(
                FundCall.objects.filter(suggested_by__isnull=False), "created_at", since, until
            ),
        ),
        (
            _("Partner requests"),
            _per_month(PartnerRequest.objects.all(), "created_at", since, until),
        ),
    ]
    labels = [f"{month:%Y-%m}" for month in months]
    rows = [
        [label, *[counts.get(month, 0) for _name, counts in columns]]
        for label, month in zip(labels, months, strict=True)
    ]
    totals = [sum(row[index + 1] for row in rows) for index in range(len(columns))]
    table = _table(
        "fund-activity",
        _("Fund activity per month"),
        _(
            "In the range: %(follows)s calls followed, %(alerts)s alerts set, %(suggestions)s "
            "calls suggested, %(requests)s partner requests posted."
        )
        % dict(zip(["follows", "alerts", "suggestions", "requests"], totals, strict=True)),
        [_("Month"), *[name for name, _counts in columns]],
        rows,
    )
    table["chart"] = line_chart(
        chart_id="chart-funds",
        title=table["title"],
        summary=table["summary"],
        labels=labels,
        series=[
            (name, [row[index + 1] for row in rows]) for index, (name, _c) in enumerate(columns)
        ],
    )
    return table


def coaching_table(since, until):
    """Sessions starting in the range, per category, with their registrations."""
    registered = Q(coachingsession__registrations__status=Registration.Status.REGISTERED)
    waitlisted = Q(coachingsession__registrations__status=Registration.Status.WAITLISTED)
    attended = registered & Q(coachingsession__registrations__attended=True)
    per_category = {
        category_id: counts
        for category_id, *counts in CoachingSession.categories.through.objects.filter(
            coachingsession__start__gte=since, coachingsession__start__lt=until
        )
        .order_by()
        .values_list("category_id")
        .annotate(
            sessions=Count("coachingsession", distinct=True),
            registered=Count("coachingsession__registrations", filter=registered),
            attended=Count("coachingsession__registrations", filter=attended),
            waitlisted=Count("coachingsession__registrations", filter=waitlisted),
        )
    }
    sessions = CoachingSession.objects.filter(start__gte=since, start__lt=until)
    session_totals = sessions.aggregate(
        sessions=Count("pk"),
        cancelled=Count("pk", filter=Q(status=CoachingSession.Status.CANCELLED)),
    )
    registration_totals = Registration.objects.filter(session__in=sessions).aggregate(
        registered=Count("pk", filter=Q(status=Registration.Status.REGISTERED)),
        attended=Count("pk", filter=Q(status=Registration.Status.REGISTERED, attended=True)),
        waitlisted=Count("pk", filter=Q(status=Registration.Status.WAITLISTED)),
    )
    rows = [
        [category.display_name, *per_category.get(category.pk, [0, 0, 0, 0])]
        for category in Category.objects.order_by("position", "name")
    ]
    totals = [
        session_totals["sessions"],
        registration_totals["registered"],
        registration_totals["attended"],
        registration_totals["waitlisted"],
    ]
    rows.append([_("All sessions"), *totals])
    table = _table(
        "coaching",
        _("Coaching sessions per category"),
        _(
            "%(sessions)s sessions in the range (%(cancelled)s cancelled): %(registered)s "
            "registrations, %(attended)s attended (%(percent)s %%), %(waitlisted)s on a waitlist. "
            "A session in several categories counts in each."
        )
        % {
            "sessions": totals[0],
            "cancelled": session_totals["cancelled"],
            "registered": totals[1],
            "attended": totals[2],
            "percent": _percent(totals[2], totals[1]),
            "waitlisted": totals[3],
        },
        [_("Category"), _("Sessions"), _("Registrations"), _("Attended"), _("Waitlisted")],
        rows,
    )
    table["chart"] = bar_chart(
        chart_id="chart-coaching",
        title=_("Sessions per category"),
        summary=table["summary"],
        labels=[row[0] for row in rows[:-1]],
        values=[row[1] for row in rows[:-1]],
    )
    return table


def needs_tables():
    """The needs assessment's report (members.needs), all answers to date (not the range)."""
    report = needs_report()
    tables = []
    for key, table in report["tables"].items():
        tables.append(
            _table(
                f"needs-{key}",
                table["title"],
                ngettext(
                    "From the %(count)s member who answered the needs assessment (all answers "
                    "to date, whatever the range).",
                    "From the %(count)s members who answered the needs assessment (all answers "
                    "to date, whatever the range).",
                    report["respondents"],
                )
                % {"count": report["respondents"]},
                table["columns"],
                table["rows"],
            )
        )
    topics = tables[1] if len(tables) > 1 else None
    if topics and topics["rows"]:
        topics["chart"] = bar_chart(
            chart_id="chart-needs-topics",
            title=topics["title"],
            summary=topics["summary"],
            labels=[row[0] for row in topics["rows"]],
            values=[row[1] for row in topics["rows"]],
        )
    return tables


# ---- The page ---------------------------------------------------------------------------------


def default_range(today=None):
    """The last twelve calendar months, this one included."""
    today = today or timezone.now().date()
    start = today.replace(day=1)
    for _month in range(11):
        start = (start - datetime.timedelta(days=1)).replace(day=1)
    return start, today


def statistics_tables(start, end):
    """Every section of the page for the dates ``start`` to ``end`` (both included, UTC):
    a list of ``(heading, [table, ...])``. A fixed number of queries."""
    since, until = _day_start(start), _day_start(end + datetime.timedelta(days=1))
    months = months_between(start, end)
    members, total = member_tables(until)
    connections = connections_table(since, until, months, total)
    return [
        (_("Members"), members),
        (_("Growth"), [growth_table(since, until, months), funnel_table(until)]),
        (_("Connections"), [connections]),
        (_("Funds"), [funds_table(since, until, months)]),
        (_("Coaching"), [coaching_table(since, until)]),
        (_("Needs assessment"), needs_tables()),
    ]


def cache_key(start, end):
    return f"network:statistics:{CACHE_VERSION}:{translation.get_language()}:{start}:{end}"


def cached_statistics_tables(start, end):
    """``statistics_tables`` kept for ``TIMEOUT`` seconds per range and language."""
    sections = cache.get(cache_key(start, end))
    if sections is None:
        sections = statistics_refresh(start, end)
    return sections


def statistics_refresh(start, end):
    """Compute the range's tables in the active language and keep them ``TIMEOUT`` seconds.

    Idempotent, sends nothing; ``network.tasks.refresh_statistics`` calls it for the default
    range in each language more often than the figures expire, so no viewer waits for it."""
    sections = statistics_tables(start, end)
    cache.set(cache_key(start, end), sections, TIMEOUT)
    return sections


def find_table(sections, slug):
    for _heading, tables in sections:
        for table in tables:
            if table["slug"] == slug:
                return table
    return None
