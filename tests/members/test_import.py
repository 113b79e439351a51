import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from members.imports import COLUMNS, applicants_import, read_rows
from members.models import Member

from ..factories import ImportedMemberFactory, MemberFactory

pytestmark = pytest.mark.django_db


def _row(**overrides):
    row = dict.fromkeys(COLUMNS, "")
    row.update(
        name="Centre de formation Atlas",
        type="tvet",
        country="MA",
        languages="fr; ar",
        categories="work-based-learning;rpl-certification",
        contact_email="atlas@example.org",
        contact_name="Amina",
    )
    row.update(overrides)
    return row


def _csv(rows):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode()


def test_import_creates_unclaimed_members_only_profiles_with_derived_region():
    result = applicants_import(
        rows=[_row(), _row(name="Bogotá Lab", country="co", contact_email="b@example.org")]
    )

    assert result.ok and result.created == 2
    atlas = Member.objects.get(name="Centre de formation Atlas")
    assert atlas.region == "africa"
    assert atlas.owner is None and atlas.imported and not atlas.is_public
    assert atlas.status == Member.Status.LISTED
    assert sorted(atlas.categories.values_list("slug", flat=True)) == [
        "rpl-certification",
        "work-based-learning",
    ]
    assert sorted(atlas.languages.values_list("code", flat=True)) == ["ar", "fr"]
    assert Member.objects.get(name="Bogotá Lab").region == "americas"


def test_one_bad_row_imports_nothing_and_reports_every_bad_row():
    rows = [
        _row(),
        _row(contact_email="x@example.org", country="ZZ"),
        _row(contact_email="y@example.org", categories="knitting"),
        _row(contact_email="atlas@example.org", name="Duplicate email"),
    ]

    result = applicants_import(rows=rows)

    assert not result.ok
    assert Member.objects.count() == 0
    assert set(result.errors) == {3, 4, 5}
    assert any(message.startswith("country") for message in result.errors[3])
    assert "knitting" in " ".join(result.errors[4])
    assert "row 2" in " ".join(result.errors[5])


def test_importing_the_same_file_twice_changes_nothing():
    rows = read_rows(_csv([_row(), _row(name="Other", contact_email="o@example.org")]))
    assert applicants_import(rows=rows).created == 2

    again = applicants_import(rows=rows)

    assert again.ok and again.created == 0 and again.skipped == 2
    assert Member.objects.count() == 2


def test_missing_required_columns_are_named():
    result = applicants_import(rows=[{"name": "Only a name"}])
    assert not result.ok
    assert "contact_email" in result.errors[1][0]


def test_command_fails_with_row_errors_and_writes_nothing(tmp_path):
    path = tmp_path / "applicants.csv"
    path.write_bytes(_csv([_row(type="wizard")]))

    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_applicants", str(path))
    assert not Member.objects.exists()


def test_staff_import_page_reports_errors_and_imports_good_files(client_for, staff_officer):
    client = client_for(staff_officer)
    bad = SimpleUploadedFile("a.csv", _csv([_row(country="ZZ")]), content_type="text/csv")
    response = client.post("/members/import/", {"file": bad})
    assert response.status_code == 200
    assert "Nothing was imported" in response.content.decode()
    assert not Member.objects.exists()

    good = SimpleUploadedFile("a.csv", _csv([_row()]), content_type="text/csv")
    response = client.post("/members/import/", {"file": good})
    # The preview writes nothing; the confirmation imports.
    assert "Ready to import 1 profile" in response.content.decode()
    assert not Member.objects.exists()
    token = response.context["result"].token
    response = client.post("/members/import/", {"confirm": token}, follow=True)
    assert Member.objects.filter(name="Centre de formation Atlas").exists()
    assert "Imported 1 profiles" in response.content.decode()


@pytest.mark.parametrize("name", ["innovator", "core_group_member", "user_without_profile"])
def test_only_ilo_staff_may_import(request, client_for, name):
    user = request.getfixturevalue(name)
    upload = SimpleUploadedFile("a.csv", _csv([_row()]), content_type="text/csv")
    response = client_for(user).post("/members/import/", {"file": upload})
    assert response.status_code == 403
    assert not Member.objects.filter(imported=True).exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_visitor_is_sent_to_sign_in(visitor, method):
    response = getattr(visitor, method)("/members/import/")

    # Like every other staff page: a visitor signs in first, then learns whether they may.
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/members/import/"
    assert not Member.objects.filter(imported=True).exists()


def test_existing_profile_email_is_skipped_not_duplicated():
    MemberFactory(contact_email="atlas@example.org")
    result = applicants_import(rows=[_row()])
    assert result.ok and result.skipped == 1 and result.created == 0


def test_two_imported_profiles_cannot_share_a_contact_email():
    from django.db import IntegrityError, transaction

    ImportedMemberFactory(contact_email="same@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        ImportedMemberFactory(contact_email="Same@Example.org")


def test_an_import_racing_another_reports_and_writes_nothing(monkeypatch):
    from django.db import IntegrityError

    import members.imports

    def collide(valid):
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(members.imports, "_create_members", collide)

    result = applicants_import(rows=[_row()])

    assert not result.ok
    assert "Upload the file again" in result.errors[1][0]
    assert not Member.objects.exists()
