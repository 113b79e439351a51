"""The staff export of the directory: who may run it, what the files hold, the audit trail."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from members.exports import COLUMNS, neutralize
from members.models import Member, MemberExport

from ..factories import ImportedMemberFactory, MemberFactory

pytestmark = pytest.mark.django_db

URL = "/members/export/"
HEADERS = [str(label) for _key, label in COLUMNS]


def read_csv(response):
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def read_xlsx(response):
    body = b"".join(response.streaming_content)
    return load_workbook(io.BytesIO(body)).active


@pytest.fixture
def staff(client_for, staff_officer):
    return client_for(staff_officer)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_only_ilo_staff_may_export(persona, fmt):
    name, _user, client = persona
    MemberFactory(name="Kenya Lab")

    response = client.get(f"{URL}?format={fmt}")

    if name == "visitor":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    elif name == "staff_officer":
        assert response.status_code == 200
    else:
        # Core Group members have is_staff, yet lack the export permission.
        assert response.status_code == 403
    assert MemberExport.objects.count() == (1 if name == "staff_officer" else 0)


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?format=pdf",
        "?format=",
        "?format=csv&country=ZZ",
        "?format=csv&category=nope",
        "?format=xlsx&category=work-based-learning&category=nope",
        "?format=csv&region=mars",
        "?format=xlsx&language=xx",
        "?format=csv&q=" + "x" * 201,
    ],
)
def test_a_bad_format_or_filter_exports_nothing(staff, query):
    MemberFactory(name="Kenya Lab")

    response = staff.get(URL + query)

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert b"Kenya Lab" not in response.content
    assert not MemberExport.objects.exists()


def test_csv_has_bom_header_and_one_row_per_member_with_private_contacts(staff):
    MemberFactory(
        name="Atlas Apprenticeships",
        country="MA",
        categories=["rpl-certification", "work-based-learning"],
        languages=["fr", "ar"],
        contact_name="Amina Benali",
        contact_email="amina@atlas.example",
        contact_phone="212 600 000",
        project_stage=Member.Stage.PILOT,
        is_top_innovator=True,
    )
    ImportedMemberFactory(name="Bogotá Formación", country="CO", contact_email="b@example.org")

    response = staff.get(URL + "?format=csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="members-')
    rows = read_csv(response)
    assert rows[0] == HEADERS
    assert len(rows) == 3
    atlas = dict(zip(HEADERS, rows[1], strict=True))
    assert atlas["Name"] == "Atlas Apprenticeships"
    assert atlas["Country code"] == "MA"
    assert atlas["Country"] == "Morocco"
    assert atlas["Region"] == "Africa"
    # In the categories' own order (work-based learning first), names not slugs.
    assert atlas["Skills categories"] == "Work-based learning; RPL and certification"
    assert set(atlas["Languages"].split("; ")) == {"French", "Arabic"}
    assert atlas["Contact email"] == "amina@atlas.example"
    assert atlas["Contact phone"] == "212 600 000"
    assert atlas["Stage"] == "Pilot"
    assert atlas["Claimed by its owner"] == "Yes"
    assert atlas["Top Innovator"] == "Yes"
    bogota = dict(zip(HEADERS, rows[2], strict=True))
    assert bogota["Name"] == "Bogotá Formación"  # accents survive
    assert bogota["Claimed by its owner"] == "No"


def test_csv_neutralizes_formulas(staff):
    MemberFactory(
        name='=HYPERLINK("http://evil.example","click")',
        project_title="+SUM(1,2)",
        contact_name="@cmd",
        contact_phone="+254 700 000 000",
        website="",
    )
    MemberFactory(name="-2+3", project_title="\tTabbed", contact_name="\rReturn")

    rows = read_csv(staff.get(URL + "?format=csv"))

    cells = {cell for row in rows[1:] for cell in row}
    assert '\'=HYPERLINK("http://evil.example","click")' in cells
    assert "'+SUM(1,2)" in cells
    assert "'@cmd" in cells
    assert "'+254 700 000 000" in cells
    assert "'-2+3" in cells
    assert "'\tTabbed" in cells
    assert "'\rReturn" in cells
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]


def test_xlsx_writes_text_as_text_never_as_formula(staff):
    MemberFactory(
        name="=1+1",
        project_title="#N/A",
        contact_name="Zoë Müller-Lüdenscheidt",
        contact_phone="+254 700 000 000",
        is_top_innovator=True,
    )
    MemberFactory(name="Second Lab", contact_phone="-5")

    response = staff.get(URL + "?format=xlsx")

    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "attachment" in response["Content-Disposition"]
    assert ".xlsx" in response["Content-Disposition"]
    sheet = read_xlsx(response)
    rows = list(sheet.iter_rows())
    assert [cell.value for cell in rows[0]] == HEADERS
    assert len(rows) == 3
    by_name = {row[0].value: dict(zip(HEADERS, row, strict=True)) for row in rows[1:]}
    cells = by_name["=1+1"]
    # A typed text cell is never a formula, so it shows exactly what was typed: no "'".
    assert cells["Name"].data_type == "s"
    assert cells["Name"].value == "=1+1"
    assert cells["Project title"].data_type == "s"  # not an error cell
    assert cells["Project title"].value == "#N/A"
    assert cells["Contact phone"].data_type == "s"
    assert cells["Contact phone"].value == "+254 700 000 000"
    assert cells["Contact person"].value == "Zoë Müller-Lüdenscheidt"
    assert cells["Top Innovator"].data_type == "b"
    assert cells["Top Innovator"].value is True
    assert cells["Created"].is_date
    assert by_name["Second Lab"]["Contact phone"].value == "-5"
    for row in rows:
        for cell in row:
            assert cell.data_type != "f"


def test_xlsx_is_ready_to_read_header_frozen_columns_sized_and_filterable(staff):
    MemberFactory(name="Atlas Apprenticeships")
    MemberFactory(name="Andes Career Lab")

    sheet = read_xlsx(staff.get(URL + "?format=xlsx"))

    assert sheet.freeze_panes == "A2"
    last_column = sheet.cell(row=1, column=len(HEADERS)).column_letter
    assert sheet.auto_filter.ref == f"A1:{last_column}3"
    widths = {
        header: sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width
        for index, header in enumerate(HEADERS, start=1)
    }
    assert all(width >= len(header) for header, width in widths.items()), widths
    assert widths["Name"] > widths["Country code"]


def test_export_honours_the_directory_filters_and_writes_the_audit_row(staff, staff_officer):
    MemberFactory(name="Nairobi Makers", country="KE", categories=["entrepreneurship"])
    MemberFactory(name="Atlas", country="MA", categories=["work-based-learning"])
    MemberFactory(name="Andes Lab", country="PE", categories=["entrepreneurship"])

    response = staff.get(URL + "?format=csv&region=africa&category=entrepreneurship")

    rows = read_csv(response)
    assert [row[0] for row in rows[1:]] == ["Nairobi Makers"]
    audit = MemberExport.objects.get()
    assert audit.user == staff_officer
    assert audit.format == "csv"
    assert audit.row_count == 1
    assert audit.source == "directory"
    assert audit.filters == {"region": "africa", "category": ["entrepreneurship"]}


def test_empty_export_still_has_the_header_and_is_audited(staff):
    rows = read_csv(staff.get(URL + "?format=csv&country=FJ"))

    assert rows == [HEADERS]
    assert MemberExport.objects.get().row_count == 0


def test_control_characters_do_not_break_the_excel_file(staff):
    MemberFactory(name="Lab\x07with\x1bcontrols")

    sheet = read_xlsx(staff.get(URL + "?format=xlsx"))

    assert sheet.cell(row=2, column=1).value == "Labwithcontrols"


def test_export_queries_do_not_grow_with_the_rows(staff):
    MemberFactory(name="Lone", country="FJ", categories=["entrepreneurship"], languages=["en"])
    for index in range(30):
        MemberFactory(name=f"Crowd {index}", categories=["social-inclusion"], languages=["fr"])

    counts = []
    for country in ("FJ", "KE"):
        with CaptureQueriesContext(connection) as queries:
            b"".join(staff.get(f"{URL}?format=csv&country={country}").streaming_content)
        counts.append(len(queries))

    assert counts[0] == counts[1]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=1", "'=1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("a=1", "a=1"),
        ("", ""),
    ],
)
def test_neutralize(text, expected):
    assert neutralize(text) == expected
