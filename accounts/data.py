"""Download my data: a zip of JSON and CSV files, one pair per kind of row the portal holds.

Each app registers ``registry.ACCOUNT_DATA`` parts (see its ``parts.py``) whose context gives the
person's own rows; this module only packs them. Built in memory, refused beyond ``MAX_BYTES``
of data (far above what one member writes), so one request can never hold a worker's memory.
"""

import csv
import datetime
import io
import json
import zipfile

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from network_portal import registry

MAX_BYTES = 50 * 1024 * 1024


class DataTooLarge(Exception):
    """The person's data is over ``MAX_BYTES``: staff export it for them instead."""


def model_record(instance, *, exclude=()):
    """The concrete fields of ``instance`` as a flat dict: relations as their text."""
    record = {}
    for field in instance._meta.concrete_fields:
        if field.name in exclude:
            continue
        if isinstance(field, models.ForeignKey):
            related = getattr(instance, field.name)
            record[field.name] = str(related) if related is not None else ""
        else:
            record[field.name] = _plain(field.value_from_object(instance))
    return record


def _plain(value):
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return str(value)
    if value is None or isinstance(value, bool | int | float | str | list | dict):
        return value
    return str(value)


def _csv_text(rows):
    columns = list(dict.fromkeys(name for row in rows for name in row))
    output = io.StringIO()
    writer = csv.DictWriter(output, fieldnames=columns)
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {
                name: json.dumps(value, cls=DjangoJSONEncoder)
                if isinstance(value, list | dict)
                else value
                for name, value in row.items()
            }
        )
    return output.getvalue()


def account_data_zip(*, user):
    """The zip of ``user``'s data (bytes): ``<part>.json`` and ``<part>.csv`` per registered part.

    Only rows the parts select for ``user``; nobody else's. Raises ``DataTooLarge`` beyond
    ``MAX_BYTES``.
    """
    buffer = io.BytesIO()
    total = 0
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        names = []
        for part, context in registry.collect(registry.ACCOUNT_DATA, user=user):
            rows = context["rows"]
            json_text = json.dumps(rows, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
            csv_text = _csv_text(rows) if rows else ""
            total += len(json_text) + len(csv_text)
            if total > MAX_BYTES:
                raise DataTooLarge
            archive.writestr(f"{part.name}.json", json_text)
            archive.writestr(f"{part.name}.csv", csv_text)
            names.append(f"{part.name}: {len(rows)}")
        archive.writestr(
            "README.txt",
            f"Your data on the ILO Skills Innovation Network portal, {timezone.now():%Y-%m-%d}.\n"
            "Each kind of row is in a JSON file and a CSV file of the same name.\n\n"
            + "\n".join(names)
            + "\n",
        )
    return buffer.getvalue()


def account_rows(*, user, **kwargs):
    """The ``account`` part: the sign-in record itself (never the password hash)."""
    return {
        "rows": [
            model_record(user, exclude=("password", "is_superuser", "is_staff", "is_active", "id"))
        ]
    }


def register():
    registry.register(
        registry.ACCOUNT_DATA, name="account", order=0, template="", context=account_rows
    )
