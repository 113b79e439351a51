"""The needs assessment: the form, saving and putting off answers, the report, the matching.

Individual answers are for ILO staff only (the admin); the report aggregates them for staff and
the Core Group (``members.view_needs_report``). ``needs_offers_scores`` is what the matching of
``connections`` reads: a score only, never shown, never a reason.
"""

import csv
import datetime
import io
import zoneinfo
from collections import Counter, defaultdict

from django import forms
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.time_zones import time_zone_choices
from network_portal.forms import BootstrapFormMixin, style_fields

from .exports import neutralize
from .models import Member
from .needs_models import NeedsAnswer, NeedsAssessment, NeedsOption, NeedsQuestion
from .regions import Region

REPORT_PERMISSION = "members.view_needs_report"
TOP = 10


def active_questions():
    return list(
        NeedsQuestion.objects.filter(is_active=True)
        .prefetch_related("options")
        .order_by("position", "slug")
    )


def _field_name(question):
    return f"q_{question.slug}"


class NeedsAssessmentForm(BootstrapFormMixin, forms.Form):
    """One field per active question (its options, or free text), then the time zone."""

    def __init__(self, *args, questions, assessment=None, default_time_zone="UTC", **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        answers = {}
        if assessment is not None and assessment.pk:
            answers = {
                answer.question_id: answer
                for answer in assessment.answers.prefetch_related("options")
            }
        for question in questions:
            answer = answers.get(question.pk)
            if question.kind == NeedsQuestion.Kind.TEXT:
                field = forms.CharField(
                    label=question.display_text,
                    required=False,
                    max_length=2000,
                    widget=forms.Textarea(attrs={"rows": 3}),
                    initial=answer.text if answer else "",
                )
            else:
                field = forms.MultipleChoiceField(
                    label=question.display_text,
                    required=False,
                    widget=forms.CheckboxSelectMultiple,
                    choices=[
                        (option.pk, option.display_label) for option in question.options.all()
                    ],
                    initial=[option.pk for option in answer.options.all()] if answer else [],
                )
            self.fields[_field_name(question)] = field
        self.fields["time_zone"] = forms.ChoiceField(
            label=_("Your time zone"),
            help_text=_("The days and times you chose are read in this time zone."),
            choices=time_zone_choices(current=default_time_zone),
            initial=assessment.time_zone if assessment and assessment.pk else default_time_zone,
        )
        style_fields(self)

    def answers(self):
        """``{question: (option ids, text)}`` from the cleaned data."""
        result = {}
        for question in self.questions:
            value = self.cleaned_data.get(_field_name(question))
            if question.kind == NeedsQuestion.Kind.TEXT:
                result[question] = ([], (value or "").strip())
            else:
                result[question] = ([int(pk) for pk in value or []], "")
        return result


def assessment_for(member):
    """The member's assessment row (unsaved when they never answered or put it off)."""
    return NeedsAssessment.objects.filter(member=member).first() or NeedsAssessment(member=member)


def needs_assessment_save(*, member, by, answers, time_zone):
    """Store ``by``'s answers for their own profile ``member``; each answer keeps the version
    of the question it answered. Atomic; sends nothing. Returns the assessment."""
    if member.owner_id != by.pk:
        raise PermissionDenied
    now = timezone.now()
    with transaction.atomic():
        assessment, _created = NeedsAssessment.objects.select_for_update().get_or_create(
            member=member
        )
        for question, (option_ids, text) in answers.items():
            answer, _new = NeedsAnswer.objects.update_or_create(
                assessment=assessment,
                question=question,
                defaults={"question_version": question.version, "text": text, "answered_at": now},
            )
            valid = {option.pk for option in question.options.all()}
            answer.options.set([pk for pk in option_ids if pk in valid])
        assessment.time_zone = time_zone
        assessment.answered_at = assessment.answered_at or now
        assessment.updated_at = now
        assessment.answered_by = by
        assessment.save()
    return assessment


def needs_assessment_skip(*, member, by):
    """ "Not now": asked again once, seven days later. Idempotent within a day's clicks."""
    if member.owner_id != by.pk:
        raise PermissionDenied
    with transaction.atomic():
        assessment, _created = NeedsAssessment.objects.select_for_update().get_or_create(
            member=member
        )
        if assessment.answered_at is None and assessment.is_due():
            assessment.skip_count += 1
            assessment.skipped_at = timezone.now()
            assessment.save(update_fields=["skip_count", "skipped_at"])
    return assessment


# ---- The report -------------------------------------------------------------------------------


def _answered_options(sections):
    """The options chosen in ``sections`` by members who answered: the through table's rows."""
    return NeedsAnswer.options.through.objects.filter(
        needsanswer__question__section__in=sections,
        needsanswer__assessment__answered_at__isnull=False,
    )


def _week_start():
    today = timezone.now().date()
    return today - datetime.timedelta(days=today.isoweekday() - 1)


def utc_slot(weekday, hour, time_zone, monday=None):
    """``(weekday, hour)`` in UTC of a local ``weekday`` (1 = Monday) at ``hour`` in
    ``time_zone``, this week (so daylight saving time is today's)."""
    monday = monday or _week_start()
    try:
        zone = zoneinfo.ZoneInfo(time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    local = datetime.datetime.combine(
        monday + datetime.timedelta(days=weekday - 1), datetime.time(hour), tzinfo=zone
    )
    moment = local.astimezone(datetime.UTC)
    return moment.isoweekday(), moment.hour


WEEKDAYS = {
    1: _("Monday"),
    2: _("Tuesday"),
    3: _("Wednesday"),
    4: _("Thursday"),
    5: _("Friday"),
    6: _("Saturday"),
    7: _("Sunday"),
}


def needs_report():
    """What the members who answered ask for: a dict of tables, each ``{"columns", "rows"}``.

    - ``matrix``: members per skills category (of what they need) by region;
    - ``topics``: the most requested workshop topics, with the count per region;
    - ``times``: the most requested days and times, in UTC, with the count per region.
    """
    regions = list(Region.choices)
    respondents = dict(
        Member.objects.filter(needs_assessment__answered_at__isnull=False)
        .order_by()
        .values_list("region")
        .annotate(n=Count("pk"))
    )

    # Category by region: distinct members whose needs name the category.
    cells = (
        _answered_options(NeedsQuestion.NEED_SECTIONS)
        .filter(needsoption__category__isnull=False)
        .order_by()
        .values_list("needsoption__category_id", "needsanswer__assessment__member__region")
        .annotate(n=Count("needsanswer__assessment__member", distinct=True))
    )
    by_cell = {(category_id, region): n for category_id, region, n in cells}
    from categories.models import Category

    matrix_rows = []
    for category in Category.objects.order_by("position", "name"):
        counts = [by_cell.get((category.pk, value), 0) for value, _label in regions]
        matrix_rows.append([category.display_name, *counts, sum(counts)])

    # Topics: per option and region.
    topic_counts = (
        _answered_options([NeedsQuestion.Section.TOPICS])
        .order_by()
        .values_list("needsoption_id", "needsanswer__assessment__member__region")
        .annotate(n=Count("pk"))
    )
    per_topic = defaultdict(Counter)
    for option_id, region, n in topic_counts:
        per_topic[option_id][region] += n
    options = NeedsOption.objects.in_bulk(list(per_topic))
    topic_rows = sorted(
        (
            [
                options[option_id].display_label,
                sum(counter.values()),
                *[counter.get(value, 0) for value, _label in regions],
            ]
            for option_id, counter in per_topic.items()
        ),
        key=lambda row: (-row[1], row[0]),
    )[:TOP]

    # Times: each member's days by times of day, read in their time zone, counted in UTC.
    chosen = (
        _answered_options([NeedsQuestion.Section.DAYS, NeedsQuestion.Section.TIMES])
        .order_by()
        .values_list(
            "needsanswer__assessment_id",
            "needsanswer__assessment__time_zone",
            "needsanswer__assessment__member__region",
            "needsoption__weekday",
            "needsoption__start_hour",
        )
    )
    people = {}
    for assessment_id, zone, region, weekday, hour in chosen:
        person = people.setdefault(
            assessment_id, {"zone": zone, "region": region, "d": [], "h": []}
        )
        if weekday is not None:
            person["d"].append(weekday)
        if hour is not None:
            person["h"].append(hour)
    monday = _week_start()
    per_slot = defaultdict(Counter)
    for person in people.values():
        for weekday in person["d"]:
            for hour in person["h"]:
                slot = utc_slot(weekday, hour, person["zone"], monday)
                per_slot[slot][person["region"]] += 1
    time_rows = sorted(
        (
            [
                f"{WEEKDAYS[weekday]} {hour:02d}:00 UTC",
                sum(counter.values()),
                *[counter.get(value, 0) for value, _label in regions],
            ]
            for (weekday, hour), counter in per_slot.items()
        ),
        key=lambda row: (-row[1], row[0]),
    )[:TOP]

    region_labels = [label for _value, label in regions]
    return {
        "respondents": sum(respondents.values()),
        "respondents_by_region": [(label, respondents.get(value, 0)) for value, label in regions],
        "tables": {
            "matrix": {
                "title": _("Members needing support, by skills category and region"),
                "columns": [_("Category"), *region_labels, _("All regions")],
                "rows": matrix_rows,
            },
            "topics": {
                "title": _("Most requested workshop topics"),
                "columns": [_("Topic"), _("All regions"), *region_labels],
                "rows": topic_rows,
            },
            "times": {
                "title": _("Most requested days and times (UTC)"),
                "columns": [_("Day and time"), _("All regions"), *region_labels],
                "rows": time_rows,
            },
        },
    }


def report_csv(table):
    """One table of the report as CSV text (UTF-8 with a byte-order mark, formulas defused)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow([neutralize(str(column)) for column in table["columns"]])
    for row in table["rows"]:
        writer.writerow([neutralize(str(cell)) for cell in row])
    return out.getvalue()


# ---- The matching -----------------------------------------------------------------------------


def _keys(option_category_id, session_kind):
    keys = set()
    if option_category_id:
        keys.add(("category", option_category_id))
    if session_kind:
        keys.add(("session", session_kind))
    return keys


def needs_offers_scores(member_id, candidate_ids):
    """``{candidate_id: score in [0, 1]}``: the share of what ``member_id`` needs (categories
    and kinds of session) that each candidate offers. One query; members who never answered
    score 0. A score only: nothing here is ever shown to anyone."""
    candidate_ids = set(candidate_ids)
    rows = (
        NeedsAnswer.options.through.objects.filter(
            needsanswer__assessment__member_id__in=[member_id, *candidate_ids],
            needsanswer__assessment__answered_at__isnull=False,
            needsanswer__question__section__in=[
                *NeedsQuestion.NEED_SECTIONS,
                *NeedsQuestion.OFFER_SECTIONS,
            ],
        )
        .order_by()
        .values_list(
            "needsanswer__assessment__member_id",
            "needsanswer__question__section",
            "needsoption__category_id",
            "needsoption__session_kind",
        )
    )
    needs, offers = set(), defaultdict(set)
    for owner_id, section, category_id, session_kind in rows:
        keys = _keys(category_id, session_kind)
        if owner_id == member_id and section in NeedsQuestion.NEED_SECTIONS:
            needs |= keys
        elif owner_id in candidate_ids and section in NeedsQuestion.OFFER_SECTIONS:
            offers[owner_id] |= keys
    if not needs:
        return {}
    return {
        candidate_id: len(needs & keys) / len(needs)
        for candidate_id, keys in offers.items()
        if needs & keys
    }


# ---- The prompt on a member's home and own profile --------------------------------------------


def needs_prompt(member):
    """What to say about the assessment to ``member``'s owner: ``{"state": "invite" | "edit" |
    "answer", "answered_at"}``. "invite" when due (never answered; put off at most once, and
    then seven days ago), "edit" once answered, a quiet "answer" link otherwise. One query."""
    assessment = NeedsAssessment.objects.filter(member=member).first()
    if assessment is None or assessment.is_due():
        return {"state": "invite", "answered_at": None}
    if assessment.answered_at is not None:
        return {"state": "edit", "answered_at": assessment.updated_at or assessment.answered_at}
    return {"state": "answer", "answered_at": None}
