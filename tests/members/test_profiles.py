"""Profiles: a newcomer creates one (listed after approval), claims an imported one, edits it."""

import re
import threading

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from members import services
from members.models import Member

from ..factories import ImportedMemberFactory, MemberFactory, UserFactory

pytestmark = pytest.mark.django_db


def _profile_data(**overrides):
    data = {
        "name": "Cairo Skills Studio",
        "kind": "organization",
        "member_type": "startup",
        "country": "EG",
        "languages": ["ar", "en"],
        "categories": [],
        "project_title": "Apprenticeships for solar technicians",
        "project_summary": "Pairing young people with installers.",
        "project_stage": "pilot",
        "website": "cairo-skills.example.org",
        "contact_name": "Mona",
        "contact_email": "mona@cairo-skills.example.org",
        "contact_phone": "+20 2 0000 0000",
        "email_visibility": "members",
        "phone_visibility": "staff",
        "is_public": "on",
    }
    data.update(overrides)
    return data


def _category_pks(*slugs):
    from categories.models import Category

    return [str(pk) for pk in Category.objects.filter(slug__in=slugs).values_list("pk", flat=True)]


# ---- Creating a profile -------------------------------------------------------------------


def test_new_profile_form_asks_no_region_and_defaults_to_public(user_without_profile, client_for):
    response = client_for(user_without_profile).get("/members/new/")

    assert response.status_code == 200
    form = response.context["form"]
    assert "region" not in form.fields
    assert form["is_public"].value() is True
    assert b'name="email_visibility"' in response.content
    assert response.content.count(b"<h1") == 1


def test_profile_form_sections_hold_every_field_once():
    from members.forms import MemberProfileForm

    names = [name for _title, names in MemberProfileForm.SECTIONS for name in names]

    assert sorted(names) == sorted(MemberProfileForm().fields)


def test_created_profile_awaits_approval_and_only_owner_and_approvers_see_it(
    user_without_profile, client_for, innovator, core_group_member, visitor
):
    client = client_for(user_without_profile)
    data = _profile_data(categories=_category_pks("work-based-learning", "entrepreneurship"))

    response = client.post("/members/new/", data, follow=True)

    member = Member.objects.get(owner=user_without_profile)
    assert response.redirect_chain[-1][0] == f"/members/{member.pk}/"
    assert member.status == Member.Status.PENDING
    assert member.region == "africa"
    assert member.website == "https://cairo-skills.example.org"
    assert sorted(member.categories.values_list("slug", flat=True)) == [
        "entrepreneurship",
        "work-based-learning",
    ]
    assert sorted(member.languages.values_list("code", flat=True)) == ["ar", "en"]
    assert "awaits approval" in response.content.decode()
    assert "Africa" in response.content.decode()
    assert client_for(innovator).get(f"/members/{member.pk}/").status_code == 404
    assert visitor.get(f"/members/{member.pk}/").status_code == 404
    assert client_for(core_group_member).get(f"/members/{member.pk}/").status_code == 200
    assert "Cairo Skills Studio" not in client_for(innovator).get("/members/").content.decode()


def test_invalid_profile_shows_errors_and_saves_nothing(user_without_profile, client_for):
    response = client_for(user_without_profile).post(
        "/members/new/", _profile_data(name="", country="ZZ", categories=["999999"])
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"name", "country", "categories"} <= set(errors)
    assert "is-invalid" in response.content.decode()
    assert not Member.objects.filter(owner=user_without_profile).exists()


def test_user_with_a_profile_cannot_create_a_second(innovator, client_for):
    client = client_for(innovator)

    response = client.get("/members/new/")
    data = _profile_data(categories=_category_pks("rpl-certification"))
    posted = client.post("/members/new/", data)

    assert response.status_code == 302 and response.url == innovator.member.get_absolute_url()
    assert posted.status_code == 302
    assert Member.objects.filter(owner=innovator).count() == 1
    with pytest.raises(ValidationError):
        services.member_create(user=innovator, categories=[], name="Second", country="KE")


def test_visitor_is_sent_to_sign_in_to_create_a_profile(visitor):
    response = visitor.get("/members/new/")

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


# ---- Approval -----------------------------------------------------------------------------


def _pending_profile(owner_language="fr"):
    owner = UserFactory(preferred_language=owner_language, time_zone="Africa/Cairo")
    return MemberFactory(owner=owner, status=Member.Status.PENDING, name="Pending Lab")


def test_approval_lists_the_profile_and_tells_the_owner_once_in_their_language(
    core_group_member, client_for, innovator, django_capture_on_commit_callbacks
):
    member = _pending_profile(owner_language="fr")

    with django_capture_on_commit_callbacks(execute=True):
        services.member_approve(member=member, by=core_group_member)
    with django_capture_on_commit_callbacks(execute=True):
        services.member_approve(member=member, by=core_group_member)

    member.refresh_from_db()
    assert member.status == Member.Status.LISTED
    assert member.approved_by == core_group_member and member.approved_at is not None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [member.owner.email]
    assert "Pending Lab" in message.subject
    html = message.alternatives[0][0]
    assert '<html lang="fr">' in html
    assert f"https://portal.example.org/members/{member.pk}/" in message.body
    assert "Pending Lab" in client_for(innovator).get("/members/").content.decode()


def test_a_redelivered_approval_task_sends_nothing_more(core_group_member):
    from members.tasks import send_member_notices

    member = _pending_profile()
    services.member_approve(member=member, by=core_group_member)

    results = [send_member_notices(), send_member_notices()]

    assert results == [1, 0]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].extra_headers["Message-ID"] == (
        f"<members.approvalnotice.{member.approval_notices.get().pk}@portal.example.org>"
    )


def test_the_approval_email_is_owed_even_when_the_broker_is_down(core_group_member):
    from members.tasks import send_member_notices

    member = _pending_profile()
    # Approved, but the task enqueued after commit never arrives: on_commit never runs here.
    services.member_approve(member=member, by=core_group_member)
    assert mail.outbox == []

    send_member_notices()  # the next beat round

    assert [message.to for message in mail.outbox] == [[member.owner.email]]


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_the_approval_email(celery_worker, reference_data):
    approver = UserFactory(groups=["Core Group"], is_staff=True)
    member = _pending_profile(owner_language="es")

    services.member_approve(member=member, by=approver)

    celery_worker.wait_until_idle()
    assert [message.to for message in mail.outbox] == [[member.owner.email]]


def test_only_approvers_may_approve(innovator, staff_officer, client_for):
    member = _pending_profile()

    with pytest.raises(PermissionDenied):
        services.member_approve(member=member, by=innovator)
    forbidden = client_for(innovator).post(f"/members/{member.pk}/approve/")

    assert forbidden.status_code == 403
    member.refresh_from_db()
    assert member.status == Member.Status.PENDING
    assert mail.outbox == []


def test_staff_approves_from_the_profile_page(
    staff_officer, client_for, django_capture_on_commit_callbacks
):
    member = _pending_profile(owner_language="es")
    client = client_for(staff_officer)
    assert "Approve and list" in client.get(f"/members/{member.pk}/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/members/{member.pk}/approve/")

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.status == Member.Status.LISTED
    assert len(mail.outbox) == 1
    assert '<html lang="es">' in mail.outbox[0].alternatives[0][0]


def test_admin_approve_action_lists_and_notifies(
    core_group_member, client_for, django_capture_on_commit_callbacks
):
    member = _pending_profile()
    client = client_for(core_group_member)
    changelist = client.get("/admin/members/member/")
    action_form = changelist.context.get("action_form") if changelist.context else None
    actions = action_form.fields["action"].choices if action_form else []
    approve_actions = [name for name, _label in actions if "approve" in name]
    assert approve_actions, "The Core Group's changelist lost its approve action."

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/admin/members/member/",
            {"action": approve_actions[0], "_selected_action": [member.pk]},
        )

    member.refresh_from_db()
    assert member.status == Member.Status.LISTED
    assert len(mail.outbox) == 1


# ---- Claiming an imported profile ---------------------------------------------------------


def test_newcomer_claims_their_imported_profile_in_one_click(user_without_profile, client_for):
    imported = ImportedMemberFactory(contact_email="newcomer@example.org", name="Atlas Centre")
    ImportedMemberFactory(contact_email="someone-else@example.org", name="Other Centre")
    client = client_for(user_without_profile)

    start = client.get("/members/start/")
    detail = client.get(f"/members/{imported.pk}/")
    response = client.post(f"/members/{imported.pk}/claim/")

    assert [m.name for m in start.context["claimable"]] == ["Atlas Centre"]
    assert "Claim this profile" in detail.content.decode()
    assert response.status_code == 302 and response.url == f"/members/{imported.pk}/edit/"
    imported.refresh_from_db()
    assert imported.owner == user_without_profile
    assert not imported.is_public
    assert client.get("/members/start/").url == f"/members/{imported.pk}/"


def test_claim_matches_a_verified_address_whatever_its_case(user_without_profile):
    imported = ImportedMemberFactory(contact_email="NewComer@Example.org")

    assert list(services.claimable_members(user_without_profile)) == [imported]

    services.member_claim(user=user_without_profile, member_id=imported.pk)

    imported.refresh_from_db()
    assert imported.owner == user_without_profile


def test_an_unverified_matching_address_cannot_claim(client_for):
    user = UserFactory(email="main@example.org")
    EmailAddress.objects.create(user=user, email="applicant@example.org", verified=False)
    imported = ImportedMemberFactory(contact_email="applicant@example.org")
    client = client_for(user)

    start = client.get("/members/start/")
    detail = client.get(f"/members/{imported.pk}/")
    response = client.post(f"/members/{imported.pk}/claim/", follow=True)

    assert list(start.context["claimable"]) == []
    assert "Claim this profile" not in detail.content.decode()
    assert "verified address" in response.content.decode()
    imported.refresh_from_db()
    assert imported.owner is None


def test_a_second_claim_fails_cleanly(user_without_profile, client_for):
    imported = ImportedMemberFactory(contact_email="newcomer@example.org")
    client = client_for(user_without_profile)
    client.post(f"/members/{imported.pk}/claim/")

    again = client.post(f"/members/{imported.pk}/claim/", follow=True)

    assert again.status_code == 200
    assert "already have a profile" in again.content.decode()
    imported.refresh_from_db()
    assert imported.owner == user_without_profile


def test_a_claimed_profile_cannot_be_claimed_again(user_without_profile, client_for):
    # Its first owner may since have changed addresses; the profile stays theirs.
    owner = UserFactory()
    claimed = MemberFactory(owner=owner, contact_email="newcomer@example.org")

    response = client_for(user_without_profile).post(f"/members/{claimed.pk}/claim/", follow=True)

    assert response.redirect_chain[0][0] == "/members/start/"
    assert "already been claimed" in response.content.decode()
    claimed.refresh_from_db()
    assert claimed.owner == owner


def test_a_user_who_has_a_profile_cannot_claim_another(innovator, client_for):
    EmailAddress.objects.create(user=innovator, email="old-address@example.org", verified=True)
    imported = ImportedMemberFactory(contact_email="old-address@example.org")

    response = client_for(innovator).post(f"/members/{imported.pk}/claim/", follow=True)

    assert "already have a profile" in response.content.decode()
    imported.refresh_from_db()
    assert imported.owner is None


def test_claim_only_by_post(user_without_profile, client_for, visitor):
    imported = ImportedMemberFactory(contact_email="newcomer@example.org")

    assert client_for(user_without_profile).get(f"/members/{imported.pk}/claim/").status_code == 405
    assert visitor.post(f"/members/{imported.pk}/claim/").url.startswith("/accounts/login/")
    imported.refresh_from_db()
    assert imported.owner is None


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_claims_by_one_user_give_them_one_profile(reference_data):
    user = UserFactory(email="twice@example.org")
    EmailAddress.objects.create(user=user, email="second@example.org", verified=True)
    first = ImportedMemberFactory(contact_email="twice@example.org")
    second = ImportedMemberFactory(contact_email="second@example.org")
    barrier = threading.Barrier(2)
    outcomes = []

    def claim(member_id):
        try:
            barrier.wait()
            services.member_claim(user=user, member_id=member_id)
            outcomes.append("claimed")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=claim, args=(pk,)) for pk in (first.pk, second.pk)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["claimed", "refused"]
    assert Member.objects.filter(owner=user).count() == 1


# ---- Editing ------------------------------------------------------------------------------


def test_owner_edits_their_profile_and_the_region_follows_the_country(innovator, client_for):
    member = innovator.member
    client = client_for(innovator)
    form = client.get(f"/members/{member.pk}/edit/").context["form"]
    data = {
        name: form[name].value() if form[name].value() is not None else "" for name in form.fields
    }
    data.update(
        country="JO",
        project_title="Digital apprenticeships",
        phone_visibility="public",
        is_public="",
        languages=["ar"],
    )

    response = client.post(f"/members/{member.pk}/edit/", data)

    assert response.status_code == 302 and response.url == f"/members/{member.pk}/"
    member.refresh_from_db()
    assert (member.country, member.region) == ("JO", "arab-states")
    assert member.project_title == "Digital apprenticeships"
    assert member.phone_visibility == "public" and member.is_public is False
    assert list(member.languages.values_list("code", flat=True)) == ["ar"]


def test_others_may_not_edit_a_profile(innovator, persona):
    name, _user, client = persona
    member = innovator.member if name != "innovator" else MemberFactory()

    response = client.get(f"/members/{member.pk}/edit/")
    posted = client.post(f"/members/{member.pk}/edit/", {"name": "Hijacked"})

    if name == "visitor":
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    else:
        assert response.status_code == 403 and posted.status_code == 403
    member.refresh_from_db()
    assert member.name != "Hijacked"


def test_owner_sees_edit_link_others_do_not(innovator, client_for, user_without_profile):
    url = innovator.member.get_absolute_url()
    edit_url = f"/members/{innovator.member.pk}/edit/"

    assert edit_url in client_for(innovator).get(url).content.decode()
    assert edit_url not in client_for(user_without_profile).get(url).content.decode()


def test_member_update_refuses_anyone_but_the_owner(innovator, staff_officer):
    with pytest.raises(PermissionDenied):
        services.member_update(member=innovator.member, by=staff_officer, name="Renamed")


# ---- The profile page ---------------------------------------------------------------------


def test_profile_page_shows_the_project_and_links_categories(innovator, visitor):
    member = innovator.member
    Member.objects.filter(pk=member.pk).update(
        project_objectives="Train 500 apprentices",
        beneficiaries="Young women in Dakar",
        impact="300 placed in jobs",
        expertise="Apprenticeship contracts",
        project_stage="scaling",
    )

    page = visitor.get(member.get_absolute_url()).content.decode()

    for text in (
        "Ines Skills Lab",
        "Senegal",
        "Africa",
        "Train 500 apprentices",
        "Young women in Dakar",
        "300 placed in jobs",
        "Apprenticeship contracts",
        "Scaling",
        'href="/categories/work-based-learning/"',
        'href="/members/"',
    ):
        assert text in page
    assert page.count("<h1") == 1


def test_unclaimed_import_is_hidden_from_visitors_and_shown_to_signed_in_users(
    visitor, user_without_profile, client_for
):
    imported = ImportedMemberFactory(name="Imported Institute")

    assert visitor.get(imported.get_absolute_url()).status_code == 404
    response = client_for(user_without_profile).get(imported.get_absolute_url())
    assert response.status_code == 200
    assert "Imported Institute" in response.content.decode()


def test_a_profile_its_owner_keeps_from_visitors_is_404_for_them(visitor, client_for):
    member = MemberFactory(is_public=False)

    assert visitor.get(member.get_absolute_url()).status_code == 404
    assert client_for(UserFactory()).get(member.get_absolute_url()).status_code == 200


def test_unknown_profile_is_404(visitor):
    assert visitor.get("/members/999999/").status_code == 404


# ---- Field lengths ------------------------------------------------------------------------


def test_an_over_long_summary_is_refused_with_a_clear_message(client_for, user_without_profile):
    data = _profile_data(
        categories=_category_pks("work-based-learning"), project_summary="x" * 2_400_000
    )

    response = client_for(user_without_profile).post("/members/new/", data)

    assert response.status_code == 200
    assert "Ensure this value has at most 3000 characters (it has 2400000)." in (
        response.content.decode()
    )
    assert not Member.objects.filter(name="Cairo Skills Studio").exists()


def test_the_profile_form_tells_the_browser_each_limit(client_for, user_without_profile):
    page = client_for(user_without_profile).get("/members/new/").content.decode()

    for name in ("project_summary", "project_objectives", "beneficiaries", "impact", "expertise"):
        tag = re.search(rf'<textarea[^>]*name="{name}"[^>]*>', page).group(0)
        assert re.search(r'maxlength="\d+"', tag), name


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("project_summary", "x" * 3001),
        ("expertise", "x" * 2001),
        ("website", "https://example.org/" + "x" * 300),
        ("name", "x" * 201),
    ],
)
def test_the_import_reports_an_over_long_cell_on_its_row(column, value):
    from members.imports import applicants_import

    from .test_import import _row

    result = applicants_import(
        rows=[_row(), _row(contact_email="b@example.org", **{column: value})]
    )

    assert not result.ok
    assert list(result.errors) == [3]
    assert result.errors[3][0].startswith(f"{column}: Ensure this value has at most")
    assert Member.objects.count() == 0
