"""The import reads Excel files, previews every row with its errors, and takes a language."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from members.imports import COLUMNS, applicants_import, read_rows
from members.models import Member

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _row(**overrides):
    row = dict.fromkeys(COLUMNS, "")
    row.update(
        name="Centre de formation Atlas",
        type="tvet",
        country="MA",
        languages="fr; ar",
        categories="work-based-learning",
        contact_email="atlas@example.org",
        language="fr",
    )
    row.update(overrides)
    return row


def _xlsx(rows, columns=COLUMNS):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(columns)
    for row in rows:
        sheet.append([row.get(column, "") for column in columns])
    sheet.append([None] * len(columns))  # a formatted empty row, as Excel leaves them
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _upload(content, name="applicants.xlsx"):
    return SimpleUploadedFile(name, content, content_type=XLSX)


def test_xlsx_rows_are_read_as_text_and_imported_with_their_language():
    rows = read_rows(_xlsx([_row(), _row(name="Lab", contact_email="l@example.org", language="")]))

    assert len(rows) == 2
    result = applicants_import(rows=rows)

    assert result.ok and result.created == 2
    assert Member.objects.get(name="Centre de formation Atlas").contact_language == "fr"
    assert Member.objects.get(name="Lab").contact_language == "en"


def test_xlsx_with_bad_rows_writes_nothing_and_the_preview_names_each_row(
    client_for, staff_officer
):
    content = _xlsx(
        [
            _row(),
            _row(contact_email="x@example.org", country="ZZ"),
            _row(contact_email="y@example.org", language="de"),
        ]
    )
    client = client_for(staff_officer)

    response = client.post("/members/import/", {"file": _upload(content)})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was imported" in page
    result = response.context["result"]
    assert [row["status"] for row in result.rows] == ["new", "error", "error"]
    assert result.rows[1]["errors"][0].startswith("country")
    assert result.rows[2]["errors"][0].startswith("language")
    assert "Import these profiles" not in page
    assert not Member.objects.exists()
    # Nothing waits for a confirmation either.
    response = client.post("/members/import/", {"confirm": "anything"}, follow=True)
    assert "no longer available" in response.content.decode()
    assert not Member.objects.exists()


def test_good_xlsx_is_previewed_then_imported_once_confirmed(client_for, staff_officer):
    client = client_for(staff_officer)
    response = client.post("/members/import/", {"file": _upload(_xlsx([_row()]))})
    assert "Ready to import 1 profile" in response.content.decode()
    assert not Member.objects.exists()

    token = response.context["result"].token
    client.post("/members/import/", {"confirm": token})
    assert Member.objects.filter(imported=True).count() == 1

    # The same confirmation again imports nothing more.
    response = client.post("/members/import/", {"confirm": token}, follow=True)
    assert Member.objects.filter(imported=True).count() == 1


def test_a_file_that_is_not_a_workbook_says_so(client_for, staff_officer):
    response = client_for(staff_officer).post(
        "/members/import/", {"file": _upload(b"PK\x03\x04 not really a zip")}
    )
    assert "could not be read as an Excel workbook" in response.content.decode()
    assert not Member.objects.exists()


def test_staff_menu_links_to_the_import(client_for, staff_officer):
    page = client_for(staff_officer).get("/members/").content.decode()
    assert 'href="/members/staff/"' in page
    tools = client_for(staff_officer).get("/members/staff/").content.decode()
    assert 'href="/members/import/"' in tools
    assert 'href="/members/invitations/"' in tools
