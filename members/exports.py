"""Member list exports for ILO staff: CSV (streamed) and Excel (openpyxl, write-only).

Both formats share ``COLUMNS`` and the escaping rules of DESIGN.md: a text cell starting with
``=``, ``+``, ``-``, ``@``, tab or carriage return gets a leading ``'`` so no spreadsheet runs it
as a formula, and every Excel cell is written with an explicit type. Exports show the private
contact details on purpose: only holders of ``members.export_members`` (ILO staff) may run them,
and each one leaves a ``MemberExport`` audit row.
"""

import csv
import io
import tempfile
from itertools import islice

from django.db import transaction
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

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

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralize(text):
    """Text a spreadsheet shows as typed: a leading ``'`` defuses formula-like cells."""
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


def headers():
    return [str(label) for _key, label in COLUMNS]


def _batches(iterable, size):
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch


def _names_by_member(through, field, names, member_ids):
    """``{member_id: "a; b"}`` for one many-to-many relation, in the labels' own order."""
    pairs = through.objects.filter(member_id__in=member_ids).values_list("member_id", field)
    grouped = {}
    for member_id, key in pairs:
        grouped.setdefault(member_id, []).append(key)
    order = {key: index for index, key in enumerate(names)}
    return {
        member_id: "; ".join(names[key] for key in sorted(keys, key=order.__getitem__))
        for member_id, keys in grouped.items()
    }


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
    labels["categories"] = {c.slug: c.display_name for c in Category.objects.all()}
    labels["languages"] = {lang.code: lang.display_name for lang in Language.objects.all()}
    labels["countries"] = {code: str(name) for code, name in countries}
    labels["headers"] = headers()
    labels["yes"], labels["no"] = gettext("Yes"), gettext("No")
    labels["zone"] = timezone.get_current_timezone()
    return labels


def _rows(members, labels):
    """One tuple per member in ``COLUMNS`` order: text, booleans and a naive local datetime.

    Reads plain values through a server-side cursor in chunks, and the categories and
    languages of each chunk in one query each, so memory stays flat however many rows.
    """
    kinds, types, stages = labels["kind"], labels["type"], labels["stage"]
    statuses, regions, country_names = labels["status"], labels["region"], labels["countries"]
    zone = labels["zone"]
    values = members.order_by("name", "pk").values_list(*_MEMBER_FIELDS)
    for batch in _batches(values.iterator(chunk_size=CHUNK_SIZE), CHUNK_SIZE):
        ids = [row[0] for row in batch]
        categories = _names_by_member(
            Member.categories.through, "category__slug", labels["categories"], ids
        )
        languages = _names_by_member(
            Member.languages.through, "language_id", labels["languages"], ids
        )
        for (
            pk,
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
        ) in batch:
            yield (
                name,
                kinds.get(kind, kind),
                types.get(member_type, member_type),
                country,
                country_names.get(country, country),
                regions.get(region, region),
                languages.get(pk, ""),
                categories.get(pk, ""),
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


def _csv_cell(value, labels):
    if isinstance(value, bool):
        return labels["yes"] if value else labels["no"]
    if isinstance(value, str):
        return neutralize(value)
    return value.isoformat(sep=" ", timespec="minutes")


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
    for batch in _batches(_rows(members, labels), CHUNK_SIZE):
        writer.writerows([_csv_cell(value, labels) for value in row] for row in batch)
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
        # _value is set directly: the value setter would turn "=..." into a formula.
        cell._value = neutralize(ILLEGAL_CHARACTERS_RE.sub("", value))
        cell.data_type = "s"
    else:
        cell.value = value
        cell.data_type = "d"
        cell.number_format = "yyyy-mm-dd hh:mm"
    return cell


def write_xlsx(members, file):
    """Write the members to ``file`` as an Excel workbook; every cell has an explicit type."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=gettext("Members")[:31])
    labels = _labels()
    sheet.append([_xlsx_cell(sheet, header) for header in labels["headers"]])
    for row in _rows(members, labels):
        sheet.append([_xlsx_cell(sheet, value) for value in row])
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
