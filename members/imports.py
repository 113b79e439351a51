"""Import the innovation call's applicants as unclaimed profiles: all rows or none.

Files are UTF-8 CSV or Excel (.xlsx, read with openpyxl in read-only mode, values not
formulas). Each row is validated like a form; if any row is wrong, nothing is saved and the
caller gets every row's errors at once, so a spreadsheet can be fixed in one pass. The page
previews every row with its errors (``applicants_preview``) before anything is written. Rows
whose contact email already belongs to a profile are skipped, so importing the same file twice
changes nothing.
"""

import csv
import io
import zipfile
from dataclasses import dataclass, field

import openpyxl
from django import forms
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from categories.models import Category
from network_portal.forms import BootstrapFormMixin

from .models import Language, Member

COLUMNS = [
    "name",
    "kind",
    "type",
    "country",
    "languages",
    "categories",
    "project_title",
    "project_summary",
    "project_objectives",
    "stage",
    "beneficiaries",
    "impact",
    "website",
    "expertise",
    "contact_name",
    "contact_email",
    "contact_phone",
    "language",
]
MAX_IMPORT_BYTES = 10 * 1024 * 1024
REQUIRED_COLUMNS = {"name", "type", "country", "categories", "contact_email"}


def _split(value):
    return [part.strip() for part in value.replace(",", ";").split(";") if part.strip()]


def _limit(name):
    """The model's maximum length, so an over-long cell is that row's error, not a failed insert."""
    return Member._meta.get_field(name).max_length


class ApplicantRowForm(forms.Form):
    name = forms.CharField(max_length=_limit("name"))
    kind = forms.ChoiceField(choices=Member.Kind.choices, required=False)
    type = forms.ChoiceField(choices=Member.Type.choices)
    country = forms.ChoiceField(choices=countries)
    languages = forms.CharField(required=False)
    categories = forms.CharField()
    project_title = forms.CharField(max_length=_limit("project_title"), required=False)
    project_summary = forms.CharField(max_length=_limit("project_summary"), required=False)
    project_objectives = forms.CharField(max_length=_limit("project_objectives"), required=False)
    stage = forms.ChoiceField(choices=[("", ""), *Member.Stage.choices], required=False)
    beneficiaries = forms.CharField(max_length=_limit("beneficiaries"), required=False)
    impact = forms.CharField(max_length=_limit("impact"), required=False)
    website = forms.URLField(max_length=_limit("website"), required=False, assume_scheme="https")
    expertise = forms.CharField(max_length=_limit("expertise"), required=False)
    contact_name = forms.CharField(max_length=_limit("contact_name"), required=False)
    contact_email = forms.EmailField(max_length=_limit("contact_email"))
    contact_phone = forms.CharField(max_length=_limit("contact_phone"), required=False)
    # The language the invitation is written in (en, fr or es); English when empty.
    language = forms.ChoiceField(choices=[("", ""), *settings.LANGUAGES], required=False)

    def __init__(self, *args, categories, languages, **kwargs):
        super().__init__(*args, **kwargs)
        self._categories = categories
        self._languages = languages

    def clean_categories(self):
        slugs = _split(self.cleaned_data["categories"])
        unknown = [slug for slug in slugs if slug not in self._categories]
        if unknown:
            raise forms.ValidationError(
                gettext_lazy("Unknown category: %(slugs)s."), params={"slugs": ", ".join(unknown)}
            )
        return [self._categories[slug] for slug in slugs]

    def clean_languages(self):
        codes = [code.lower() for code in _split(self.cleaned_data["languages"])]
        unknown = [code for code in codes if code not in self._languages]
        if unknown:
            raise forms.ValidationError(
                gettext_lazy("Unknown language code: %(codes)s."),
                params={"codes": ", ".join(unknown)},
            )
        return [self._languages[code] for code in codes]

    def clean_contact_email(self):
        return self.cleaned_data["contact_email"].strip().lower()


@dataclass
class ImportResult:
    created: int = 0
    skipped: int = 0
    # {row number (the header is row 1): ["field: message", ...]}
    errors: dict = field(default_factory=dict)
    # What the preview shows: one dict per row (number, name, contact_email, country,
    # language, status "new" | "skipped" | "error", errors).
    rows: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors

    @property
    def to_create(self):
        return sum(1 for row in self.rows if row["status"] == "new")


class UnreadableFile(ValueError):
    pass


def read_rows(file_bytes):
    """Rows of a UTF-8 CSV (with or without a byte-order mark) or of an .xlsx file's first
    sheet, as dicts of text keyed by the first row's column names."""
    if file_bytes[:4] == b"PK\x03\x04":
        return read_xlsx_rows(file_bytes)
    text = file_bytes.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_xlsx_rows(file_bytes):
    """The first sheet of an Excel workbook (read-only: cached values, never formulas)."""
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(file_bytes), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise UnreadableFile(str(error)) from error
    try:
        sheet = workbook.worksheets[0]
        lines = sheet.iter_rows(values_only=True)
        header = [_cell_text(value) for value in next(lines, ())]
        rows = []
        for values in lines:
            cells = [_cell_text(value) for value in values]
            if not any(cells):
                continue  # Excel keeps formatted empty rows at the end
            rows.append(
                {
                    name: cells[index] if index < len(cells) else ""
                    for index, name in enumerate(header)
                    if name
                }
            )
        return rows
    finally:
        workbook.close()


def applicants_preview(*, rows):
    """Every row checked, nothing written: the ``ImportResult`` the page shows first."""
    result, _valid = _checked(rows)
    return result


def applicants_import(*, rows):
    """Create an unclaimed, listed, members-only profile per row; all or nothing.

    Returns an ``ImportResult``; when it has errors nothing was written. Idempotent: a row
    whose contact email already has a profile is skipped.
    """
    result, valid = _checked(rows)
    if result.errors:
        return result
    return _written(result, valid)


def _checked(rows):
    """``(ImportResult, valid rows' cleaned data)``: every row validated, nothing written."""
    result = ImportResult()
    if not rows:
        result.errors[1] = [_("The file has no rows.")]
        return result, []
    missing = REQUIRED_COLUMNS - set(rows[0])
    if missing:
        result.errors[1] = [
            _("Missing columns: %(columns)s.") % {"columns": ", ".join(sorted(missing))}
        ]
        return result, []

    categories = {category.slug: category for category in Category.objects.all()}
    languages = {language.code: language for language in Language.objects.all()}
    existing = set(Member.objects.exclude(contact_email="").values_list("contact_email", flat=True))
    existing = {email.lower() for email in existing}
    seen = {}
    valid = []
    for number, row in enumerate(rows, start=2):
        data = {column: (row.get(column) or "").strip() for column in COLUMNS}
        data["country"] = data["country"].upper()
        data["language"] = data["language"].lower()
        preview = {
            "number": number,
            "name": data["name"],
            "contact_email": data["contact_email"],
            "country": data["country"],
            "language": data["language"] or "en",
            "status": "new",
            "errors": [],
        }
        result.rows.append(preview)
        form = ApplicantRowForm(data, categories=categories, languages=languages)
        if not form.is_valid():
            result.errors[number] = [
                f"{name}: {message}"
                for name, messages in form.errors.items()
                for message in messages
            ]
        else:
            email = form.cleaned_data["contact_email"]
            if email in seen:
                result.errors[number] = [
                    _("contact_email: the same address is on row %(row)s.") % {"row": seen[email]}
                ]
            else:
                seen[email] = number
                if email in existing:
                    result.skipped += 1
                    preview["status"] = "skipped"
                else:
                    valid.append(form.cleaned_data)
        if number in result.errors:
            preview["status"], preview["errors"] = "error", result.errors[number]
    return result, valid


def _written(result, valid):
    try:
        members = _create_members(valid)
    except IntegrityError:
        # Another import of the same applicants committed first (the unique constraint said so).
        result.errors[1] = [
            _(
                "Some of these applicants were being imported by someone else at the same "
                "moment, so nothing was imported. Upload the file again: those already "
                "imported will be skipped."
            )
        ]
        return result
    result.created = len(members)
    return result


@transaction.atomic
def _create_members(valid):
    """Write the validated rows and their categories and languages in one transaction."""
    members = Member.objects.bulk_create(
        [
            Member(
                name=data["name"],
                kind=data["kind"] or Member.Kind.ORGANIZATION,
                member_type=data["type"],
                country=data["country"],
                project_title=data["project_title"],
                project_summary=data["project_summary"],
                project_objectives=data["project_objectives"],
                project_stage=data["stage"],
                beneficiaries=data["beneficiaries"],
                impact=data["impact"],
                website=data["website"],
                expertise=data["expertise"],
                contact_name=data["contact_name"],
                contact_email=data["contact_email"],
                contact_phone=data["contact_phone"],
                contact_language=data["language"] or "en",
                status=Member.Status.LISTED,
                is_public=False,
                imported=True,
            )
            for data in valid
        ]
    )
    Member.categories.through.objects.bulk_create(
        [
            Member.categories.through(member_id=member.pk, category_id=category.pk)
            for member, data in zip(members, valid, strict=True)
            for category in data["categories"]
        ]
    )
    Member.languages.through.objects.bulk_create(
        [
            Member.languages.through(member_id=member.pk, language_id=language.pk)
            for member, data in zip(members, valid, strict=True)
            for language in data["languages"]
        ]
    )
    return members


class ApplicantImportForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Applicants file (Excel .xlsx, or CSV in UTF-8)"),
        help_text=gettext_lazy("One row per applicant, with the column names on the first row."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(gettext_lazy("The file is larger than 10 MB."))
        try:
            self.cleaned_data["rows"] = read_rows(upload.read())
        except UnicodeDecodeError as error:
            raise forms.ValidationError(
                gettext_lazy("The file is not UTF-8 text; save it as “CSV UTF-8” and try again.")
            ) from error
        except csv.Error as error:
            raise forms.ValidationError(
                gettext_lazy("The file could not be read as CSV.")
            ) from error
        except UnreadableFile as error:
            raise forms.ValidationError(
                gettext_lazy("The file could not be read as an Excel workbook (.xlsx).")
            ) from error
        return upload
