"""Member list exports for ILO staff: CSV (streamed) and Excel (openpyxl, write-only).

Both formats share ``COLUMNS`` and the rules of DESIGN.md: a CSV cell starting with ``=``, ``+``,
``-``, ``@``, tab or carriage return gets a leading ``'`` so no spreadsheet runs it as a formula;
every Excel cell is written with an explicit type, so its text is never a formula and is written
as typed. Exports show the private
contact details on purpose: only holders of ``members.export_members`` (ILO staff) may run them,
and each one leaves a ``MemberExport`` audit row.
"""

import csv
import io
import tempfile
from itertools import islice

from django.db import transaction
from django.db.models import Aggregate, CharField, OuterRef, Subquery
from django.db.models.functions import Cast
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

from categories.models import Category

from .models import Language, Member, MemberExport
from .regions import Region

EXPORT_PERMISSION = "members.export_members"
CHUNK_SIZE = 2000

# (key, header); the order of the file's columns. Multi-valued cells are joined by "; ".
COLUMNS = [
    ("name", _("Name")),
    ("kind", _("Kind")),
    ("type", _("Type")),
    ("country_code", _("Country code")),
    ("country", _("Country")),
    ("region", _("Region")),
    ("languages", _("Languages")),
    ("categories", _("Skills categories")),
    ("project_title", _("Project title")),
    ("stage", _("Stage")),
    ("website", _("Website")),
    ("contact_name", _("Contact person")),
    ("contact_email", _("Contact email")),
    ("contact_phone", _("Contact phone")),
    ("status", _("Status")),
    ("claimed", _("Claimed by its owner")),
    ("top_innovator", _("Top Innovator")),
    ("created", _("Created")),
]

# Columns read straight from the member row, in the order ``_rows`` unpacks them.
_MEMBER_FIELDS = [
    "pk",
    "name",
    "kind",
    "member_type",
    "country",
    "region",
    "project_title",
    "project_stage",
    "website",
    "contact_name",
    "contact_email",
    "contact_phone",
    "status",
    "owner_id",
    "is_top_innovator",
    "created_at",
]

# Excel column widths (in characters) of the wider columns; the others fit their header.
XLSX_WIDTHS = {
    "name": 40,
    "type": 28,
    "country": 22,
    "region": 22,
    "languages": 28,
    "categories": 48,
    "project_title": 40,
    "website": 32,
    "contact_name": 26,
    "contact_email": 32,
    "contact_phone": 20,
    "created": 17,
}

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_STARTS = frozenset(FORMULA_PREFIXES)
# _rows yields text for every column but the last three: two booleans and a datetime.
_TEXT_COLUMNS = len(COLUMNS) - 3


def neutralize(text):
    """Text a spreadsheet shows as typed: a leading ``'`` defuses formula-like cells."""
    return f"'{text}" if text[:1] in _FORMULA_STARTS else text


def headers():
    return [str(label) for _key, label in COLUMNS]


def _batches(iterable, size):
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch


class _Joined(Aggregate):
    """The group's values joined by spaces (ids and codes have none); SQLite and PostgreSQL."""

    function = "STRING_AGG"
    template = "%(function)s(%(expressions)s, ' ')"
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="GROUP_CONCAT", **extra_context)


def _joined(through, field):
    """Per member row, its related keys as one string, computed by the database like COPY."""
    return Subquery(
        through.objects.filter(member_id=OuterRef("pk"))
        .order_by()
        .values("member_id")
        .annotate(joined=_Joined(Cast(field, CharField())))
        .values("joined")
    )


def _joined_names(names, order):
    """A memoised ``"3 1" -> "Name of 1; Name of 3"``: few distinct sets among many rows."""
    cache = {None: "", "": ""}

    def lookup(raw):
        try:
            return cache[raw]
        except KeyError:
            keys = sorted(raw.split(), key=lambda key: order.get(key, len(order)))
            cache[raw] = "; ".join(names.get(key, key) for key in keys)
            return cache[raw]

    return lookup


def _labels():
    """Everything translated or zone-dependent, read once in the request's language and zone.

    Streamed rows are produced after the view returns, so nothing may depend on them later.
    """
    choices = {
        "kind": Member.Kind.choices,
        "type": Member.Type.choices,
        "stage": Member.Stage.choices,
        "status": Member.Status.choices,
        "region": Region.choices,
    }
    labels = {key: {value: str(label) for value, label in pairs} for key, pairs in choices.items()}
    categories = list(Category.objects.all())  # in the categories' own order
    labels["categories"] = _joined_names(
        {str(c.pk): c.display_name for c in categories},
        {str(c.pk): index for index, c in enumerate(categories)},
    )
    languages = sorted(Language.objects.all(), key=lambda lang: lang.display_name)
    labels["languages"] = _joined_names(
        {lang.code: lang.display_name for lang in languages},
        {lang.code: index for index, lang in enumerate(languages)},
    )
    labels["countries"] = {code: str(name) for code, name in countries}
    labels["headers"] = headers()
    labels["yes"], labels["no"] = gettext("Yes"), gettext("No")
    labels["zone"] = timezone.get_current_timezone()
    return labels


def _rows(members, labels):
    """One tuple per member in ``COLUMNS`` order: text, booleans and a naive local datetime.

    One query read through a server-side cursor in chunks; the database joins each member's
    categories and languages (as COPY would), so memory stays flat however many rows.
    """
    kinds, types, stages = labels["kind"], labels["type"], labels["stage"]
    statuses, regions, country_names = labels["status"], labels["region"], labels["countries"]
    category_names, language_names = labels["categories"], labels["languages"]
    zone = labels["zone"]
    values = (
        members.order_by("name", "pk")
        .annotate(
            category_ids=_joined(Member.categories.through, "category_id"),
            language_codes=_joined(Member.languages.through, "language_id"),
        )
        .values_list(*_MEMBER_FIELDS, "category_ids", "language_codes")
    )
    for (
        _pk,
        name,
        kind,
        member_type,
        country,
        region,
        project_title,
        stage,
        website,
        contact_name,
        contact_email,
        contact_phone,
        status,
        owner_id,
        is_top_innovator,
        created_at,
        category_ids,
        language_codes,
    ) in values.iterator(chunk_size=CHUNK_SIZE):
        yield (
            name,
            kinds.get(kind, kind),
            types.get(member_type, member_type),
            country,
            country_names.get(country, country),
            regions.get(region, region),
            language_names(language_codes),
            category_names(category_ids),
            project_title,
            stages.get(stage, stage),
            website,
            contact_name,
            contact_email,
            contact_phone,
            statuses.get(status, status),
            owner_id is not None,
            is_top_innovator,
            created_at.astimezone(zone).replace(tzinfo=None),
        )


def csv_chunks(members):
    """The CSV file as text chunks: byte-order mark and header row first, then the members.

    Labels are read now, in the request's language; the rows are read while streaming.
    """
    labels = _labels()
    return _csv_chunks(members, labels)


def _csv_chunks(members, labels):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(labels["headers"])
    yes, no, starts, text_columns = labels["yes"], labels["no"], _FORMULA_STARTS, _TEXT_COLUMNS
    for batch in _batches(_rows(members, labels), CHUNK_SIZE):
        writer.writerows(
            [
                *[f"'{text}" if text[:1] in starts else text for text in row[:text_columns]],
                yes if row[-3] else no,
                yes if row[-2] else no,
                row[-1].isoformat(sep=" ", timespec="minutes"),
            ]
            for row in batch
        )
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()


def _xlsx_cell(sheet, value):
    cell = WriteOnlyCell(sheet)
    if isinstance(value, bool):
        cell.value = value
        cell.data_type = "b"
    elif isinstance(value, str):
        # _value is set directly: the value setter would turn "=..." into a formula. A cell typed
        # as text is never evaluated, so it keeps what was typed ("+254 ...") without a "'".
        cell._value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.data_type = "s"
    else:
        cell.value = value
        cell.data_type = "d"
        cell.number_format = "yyyy-mm-dd hh:mm"
    return cell


def write_xlsx(members, file):
    """Write the members to ``file`` as an Excel workbook; every cell has an explicit type.

    The header row stays in view and filters its columns, and each column is wide enough to
    read; a write-only sheet takes the first two before the rows, the filter's range after.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=gettext("Members")[:31])
    labels = _labels()
    sheet.freeze_panes = "A2"
    for index, ((key, _label), header) in enumerate(
        zip(COLUMNS, labels["headers"], strict=True), start=1
    ):
        width = max(XLSX_WIDTHS.get(key, 12), len(header) + 2)
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.append([_xlsx_cell(sheet, header) for header in labels["headers"]])
    last_row = 1
    for row in _rows(members, labels):
        sheet.append([_xlsx_cell(sheet, value) for value in row])
        last_row += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{last_row}"
    workbook.save(file)


def filename(fmt):
    return f"members-{timezone.localdate():%Y-%m-%d}.{fmt}"


def member_export_response(*, members, fmt, user, filters, source):
    """The download of ``members`` in ``fmt`` ("csv" or "xlsx"), with its audit row written.

    The caller has checked ``members.export_members``. The audit row (who, when, filters,
    format, row count) is committed before the first byte goes out, so an interrupted download
    is still on record.
    """
    if fmt not in MemberExport.Format.values:
        raise ValueError(f"Unknown export format: {fmt!r}")
    with transaction.atomic():
        MemberExport.objects.create(
            user=user, filters=filters, format=fmt, row_count=members.count(), source=source
        )
    if fmt == MemberExport.Format.CSV:
        response = StreamingHttpResponse(
            csv_chunks(members), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{filename(fmt)}"'
        return response
    # FileResponse closes the file once sent; it is deleted then.
    file = tempfile.TemporaryFile()  # noqa: SIM115
    write_xlsx(members, file)
    file.seek(0)
    return FileResponse(
        file,
        as_attachment=True,
        filename=filename(fmt),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
