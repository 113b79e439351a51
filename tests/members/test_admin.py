"""The admin of members, categories and the export log, as the Core Group and ILO staff use it."""

import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from categories.models import Category
from members.models import CoreGroupRole, Member, MemberExport

from ..factories import CoreGroupRoleFactory, ImportedMemberFactory, MemberFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:members_member_changelist")


def change_url(member):
    return reverse("admin:members_member_change", args=[member.pk])


@pytest.fixture
def private_member():
    return MemberFactory(
        name="Private Contacts Lab",
        contact_email="secret.person@example.org",
        contact_phone="+41 22 799 0000",
    )


def test_core_group_cannot_see_private_contacts_in_the_admin(
    client_for, core_group_member, private_member
):
    client = client_for(core_group_member)

    change = client.get(change_url(private_member))
    listing = client.get(CHANGELIST)

    assert change.status_code == 200
    assert listing.status_code == 200
    for response in (change, listing):
        html = response.content.decode()
        assert "secret.person@example.org" not in html
        assert "799 0000" not in html
    assert 'name="contact_email"' not in change.content.decode()
    assert 'name="contact_name"' in change.content.decode()


def test_core_group_cannot_find_a_member_by_its_private_email(
    client_for, core_group_member, private_member
):
    client = client_for(core_group_member)

    by_email = client.get(CHANGELIST, {"q": "secret.person@example.org"})
    by_name = client.get(CHANGELIST, {"q": "Private Contacts"})

    assert list(by_email.context["cl"].result_list) == []
    assert list(by_name.context["cl"].result_list) == [private_member]


def test_core_group_saving_a_profile_keeps_its_private_contacts(
    client_for, core_group_member, private_member
):
    client = client_for(core_group_member)
    form = client.get(change_url(private_member)).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if name in form.fields and value is not None
    }
    data.update(
        project_title="A better title",
        categories=[c.pk for c in private_member.categories.all()] or [Category.objects.first().pk],
        languages=[],
        **{
            "roles-TOTAL_FORMS": "0",
            "roles-INITIAL_FORMS": "0",
            "roles-MIN_NUM_FORMS": "0",
            "roles-MAX_NUM_FORMS": "1000",
        },
    )

    response = client.post(change_url(private_member), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    private_member.refresh_from_db()
    assert private_member.project_title == "A better title"
    assert private_member.contact_email == "secret.person@example.org"
    assert private_member.contact_phone == "+41 22 799 0000"


def test_core_group_cannot_widen_who_sees_the_contacts(
    client_for, core_group_member, private_member
):
    client = client_for(core_group_member)
    form = client.get(change_url(private_member)).context["adminform"].form
    assert "email_visibility" not in form.fields
    assert "is_public" not in form.fields
    assert "owner" not in form.fields
    data = {
        name: value
        for name, value in form.initial.items()
        if name in form.fields and value is not None
    }
    data.update(
        email_visibility="public",
        phone_visibility="public",
        categories=[Category.objects.first().pk],
        languages=[],
        **{
            "roles-TOTAL_FORMS": "0",
            "roles-INITIAL_FORMS": "0",
            "roles-MIN_NUM_FORMS": "0",
            "roles-MAX_NUM_FORMS": "1000",
        },
    )

    client.post(change_url(private_member), data)

    private_member.refresh_from_db()
    assert private_member.email_visibility == "staff"
    assert private_member.phone_visibility == "staff"
    page = client_for(None).get(private_member.get_absolute_url()).content.decode()
    assert "secret.person@example.org" not in page


def test_core_group_cannot_probe_private_contacts_through_url_filters(
    client_for, core_group_member, staff_officer, private_member
):
    probe = CHANGELIST + "?contact_email__startswith=secret"

    assert client_for(core_group_member).get(probe).status_code == 400
    assert (
        client_for(core_group_member).get(CHANGELIST + "?contact_phone__contains=41").status_code
        == 400
    )
    staff = client_for(staff_officer).get(probe)
    assert list(staff.context["cl"].result_list) == [private_member]


def test_staff_see_and_search_private_contacts(client_for, staff_officer, private_member):
    client = client_for(staff_officer)

    change = client.get(change_url(private_member))
    found = client.get(CHANGELIST, {"q": "secret.person@example.org"})

    assert "secret.person@example.org" in change.content.decode()
    assert list(found.context["cl"].result_list) == [private_member]


def test_region_is_read_only_in_the_admin(client_for, staff_officer, private_member):
    form = client_for(staff_officer).get(change_url(private_member)).context["adminform"].form

    assert "region" not in form.fields
    assert "status" not in form.fields


def _actions(client):
    form = client.get(CHANGELIST).context["action_form"]
    if form is None:  # no action at all for this user
        return set()
    return {name for name, _label in form.fields["action"].choices}


def test_only_staff_are_offered_the_export_actions(client_for, core_group_member, staff_officer):
    MemberFactory()

    core_actions = _actions(client_for(core_group_member))
    staff_actions = _actions(client_for(staff_officer))

    assert "approve_selected" in core_actions
    assert not {"export_csv", "export_xlsx"} & core_actions
    assert {"export_csv", "export_xlsx", "approve_selected"} <= staff_actions


def test_core_group_cannot_run_the_export_action(client_for, core_group_member):
    member = MemberFactory()

    response = client_for(core_group_member).post(
        CHANGELIST, {"action": "export_csv", "_selected_action": [member.pk]}
    )

    assert response.status_code in (200, 302)
    assert response.get("Content-Type", "").startswith("text/html")
    assert not MemberExport.objects.exists()


@pytest.mark.parametrize("action", ["export_csv", "export_xlsx"])
def test_staff_export_selected_members_with_an_audit_row(client_for, staff_officer, action):
    chosen = MemberFactory(name="=Chosen Lab", contact_email="chosen@example.org")
    MemberFactory(name="Other Lab")

    response = client_for(staff_officer).post(
        CHANGELIST, {"action": action, "_selected_action": [chosen.pk]}
    )

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    body = b"".join(response.streaming_content)
    audit = MemberExport.objects.get()
    assert audit.user == staff_officer
    assert audit.source == "admin"
    assert audit.row_count == 1
    assert audit.filters == {"selected": [chosen.pk]}
    if action == "export_csv":
        assert audit.format == "csv"
        rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
        assert [row[0] for row in rows[1:]] == ["'=Chosen Lab"]
        assert "chosen@example.org" in rows[1]
    else:
        assert audit.format == "xlsx"
        assert body.startswith(b"PK")


def test_approve_action_lists_pending_profiles(
    client_for, core_group_member, django_capture_on_commit_callbacks
):
    pending = MemberFactory(name="Waiting Lab", status=Member.Status.PENDING)

    with django_capture_on_commit_callbacks(execute=False):
        response = client_for(core_group_member).post(
            CHANGELIST, {"action": "approve_selected", "_selected_action": [pending.pk]}
        )

    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == Member.Status.LISTED
    assert pending.approved_by == core_group_member


def test_approve_action_needs_the_approve_permission(client_for):
    editor = UserFactory(is_staff=True)
    editor.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_member", "change_member"])
    )
    pending = MemberFactory(status=Member.Status.PENDING)

    client = client_for(editor)
    assert "approve_selected" not in _actions(client)
    client.post(CHANGELIST, {"action": "approve_selected", "_selected_action": [pending.pk]})

    pending.refresh_from_db()
    assert pending.status == Member.Status.PENDING


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?claimed=yes", ["Owned Lab"]),
        ("?claimed=no", ["Imported Lab"]),
        ("?region__exact=americas", ["Imported Lab"]),
    ],
)
def test_changelist_filters(client_for, staff_officer, query, expected):
    MemberFactory(name="Owned Lab", country="KE")
    ImportedMemberFactory(name="Imported Lab", country="BR")

    response = client_for(staff_officer).get(CHANGELIST + query)

    assert [m.name for m in response.context["cl"].result_list] == expected


def test_changelist_queries_do_not_grow_with_the_rows(client_for, staff_officer):
    MemberFactory(name="Lone", country="FJ")
    for index in range(15):
        member = MemberFactory(name=f"Crowd {index}", country="KE", categories=["social-inclusion"])
        CoreGroupRoleFactory(member=member, role=CoreGroupRole.Role.FACILITATOR)
    client = client_for(staff_officer)

    counts = []
    for country in ("FJ", "KE"):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(CHANGELIST, {"q": "Lone" if country == "FJ" else "Crowd"})
        assert response.status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1]


def test_export_log_is_read_only(client_for, staff_officer, core_group_member):
    entry = MemberExport.objects.create(user=staff_officer, format="csv", row_count=3)
    staff = client_for(staff_officer)

    assert staff.get(reverse("admin:members_memberexport_changelist")).status_code == 200
    detail = staff.get(reverse("admin:members_memberexport_change", args=[entry.pk]))
    assert detail.status_code == 200
    assert 'type="submit"' not in detail.content.decode().split('id="content-main"')[1]
    assert staff.get(reverse("admin:members_memberexport_add")).status_code == 403
    assert (
        staff.get(reverse("admin:members_memberexport_delete", args=[entry.pk])).status_code == 403
    )
    core = client_for(core_group_member)
    assert core.get(reverse("admin:members_memberexport_changelist")).status_code == 403


def test_category_slug_is_read_only_once_created(client_for, staff_officer, admin_user):
    category = Category.objects.get(slug="work-based-learning")
    staff = client_for(staff_officer)

    change = staff.get(reverse("admin:categories_category_change", args=[category.pk]))
    assert change.status_code == 200
    assert "slug" not in change.context["adminform"].form.fields
    listing = staff.get(reverse("admin:categories_category_changelist"))
    assert listing.context["cl"].result_list[0].slug == "work-based-learning"

    add = client_for(admin_user).get(reverse("admin:categories_category_add"))
    assert "slug" in add.context["adminform"].form.fields
