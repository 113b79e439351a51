"""A signed-in person's home at ``/``: blocks from every app, per persona, in constant queries."""

import datetime

import pytest
from allauth.account.models import EmailAddress
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coaching.models import Registration
from connections.similarity import neighbours_rebuild
from members.models import Member

from .coaching.factories import CoachingSessionFactory, RegistrationFactory
from .factories import MemberFactory, UserFactory
from .funds.factories import FollowFactory, FundCallFactory

pytestmark = pytest.mark.django_db

BLOCKS = {
    "sessions": "My next sessions",
    "deadlines": "Deadlines of calls I follow",
    "similar": "People like me",
    "new members": "New members in my categories",
    "profile": "My profile",
    "start": "Your profile in the network",
    "approvals": "Profiles awaiting approval",
}
EXPECTED_INNOVATOR = {"sessions", "deadlines", "similar", "new members", "profile"}
# Which blocks each persona's home shows (the staff officer persona has no profile).
EXPECTED = {
    "user_without_profile": {"sessions", "deadlines", "start"},
    "innovator": EXPECTED_INNOVATOR,
    "core_group_member": EXPECTED_INNOVATOR | {"approvals"},
    "staff_officer": {"sessions", "deadlines", "start", "approvals"},
}


def headings(page):
    return {key for key, heading in BLOCKS.items() if f">{heading}</h2>" in page}


def test_each_persona_gets_its_own_home(persona):
    name, user, client = persona

    response = client.get("/")

    assert response.status_code == 200
    page = response.content.decode()
    if user is None:
        assert "Skills innovators, connected across the world" in page
        assert headings(page) == set()
        assert 'href="/accounts/signup/"' in page
        return
    assert f"Welcome, {user.display_name}" in page
    assert headings(page) == EXPECTED[name]
    assert page.count("<h1") == 1


def test_a_user_without_a_profile_is_led_to_create_or_claim_one(client_for, user_without_profile):
    imported = MemberFactory(
        name="Youth Digital Skills Collective",
        owner=None,
        contact_email=user_without_profile.email,
        imported=True,
    )

    page = client_for(user_without_profile).get("/").content.decode()

    assert 'href="/members/start/"' in page
    assert "Create or claim my profile" in page
    assert f'href="{imported.get_absolute_url()}"' in page


def test_an_empty_home_says_what_to_do_in_each_block(client_for, innovator):
    page = client_for(innovator).get("/").content.decode()

    assert "You are not registered for any coming session" in page
    assert "You follow no open call" in page
    assert "No suggestions yet" in page
    assert "No new member joined your categories in the last 30 days" in page
    edit = f"/members/{innovator.member.pk}/edit/"
    for link in ("/coaching/", "/funds/following/", "/funds/", edit):
        assert f'href="{link}"' in page


def test_my_next_sessions_with_the_join_link_only_when_due(client_for, innovator):
    soon = CoachingSessionFactory(
        title="Pitch practice",
        start=timezone.now() + datetime.timedelta(minutes=10),
        online_link="https://meet.example.org/pitch-now",
    )
    later = CoachingSessionFactory(
        title="Budget clinic", online_link="https://meet.example.org/later"
    )
    waiting = CoachingSessionFactory(
        title="Reviewers' feedback",
        start=timezone.now() + datetime.timedelta(minutes=5),
        online_link="https://meet.example.org/not-yours",
    )
    CoachingSessionFactory(title="Someone else's circle")
    RegistrationFactory(session=soon, user=innovator)
    RegistrationFactory(session=later, user=innovator)
    RegistrationFactory(session=waiting, user=innovator, status=Registration.Status.WAITLISTED)
    left = CoachingSessionFactory(title="A session I left")
    RegistrationFactory(session=left, user=innovator, status=Registration.Status.CANCELLED)

    page = client_for(innovator).get("/").content.decode()

    assert page.index("Reviewers&#x27; feedback") < page.index("Pitch practice")
    assert page.index("Pitch practice") < page.index("Budget clinic")
    assert "on the waitlist" in page
    assert 'href="https://meet.example.org/pitch-now"' in page
    assert "meet.example.org/later" not in page
    assert "meet.example.org/not-yours" not in page
    assert "Someone else" not in page
    assert "A session I left" not in page


def test_a_host_sees_the_sessions_they_host(client_for, core_group_member):
    CoachingSessionFactory(title="Circle I host", hosts=[core_group_member.member])

    page = client_for(core_group_member).get("/").content.decode()

    assert "Circle I host" in page
    assert "you host it" in page


def test_hosts_and_seat_holders_join_a_running_session_until_it_ends(
    client_for, core_group_member, innovator
):
    now = timezone.now()
    running = CoachingSessionFactory(
        title="Running circle",
        hosts=[core_group_member.member],
        start=now - datetime.timedelta(minutes=10),
        end=now + datetime.timedelta(minutes=50),
        online_link="https://meet.example.org/running",
    )
    CoachingSessionFactory(
        title="Finished circle",
        hosts=[core_group_member.member],
        start=now - datetime.timedelta(hours=2),
        end=now - datetime.timedelta(hours=1),
    )
    RegistrationFactory(session=running, user=innovator)

    for user in (core_group_member, innovator):
        page = client_for(user).get("/").content.decode()

        assert 'href="https://meet.example.org/running"' in page
        assert "Finished circle" not in page


def test_deadlines_of_the_open_calls_i_follow_soonest_first(client_for, innovator):
    now = timezone.now()
    later = FundCallFactory(title="Later fund", deadline=now + datetime.timedelta(days=40))
    sooner = FundCallFactory(title="Sooner fund", deadline=now + datetime.timedelta(days=3))
    closed = FundCallFactory(title="Closed fund", deadline=now - datetime.timedelta(days=1))
    FundCallFactory(title="Unfollowed fund")
    for call in (later, sooner, closed):
        FollowFactory(user=innovator, call=call)

    page = client_for(innovator).get("/").content.decode()

    assert page.index("Sooner fund") < page.index("Later fund")
    assert "2 days left" in page  # 3 days less the moments the test took
    assert "Closed fund" not in page
    assert "Unfollowed fund" not in page


def test_new_members_in_my_categories_that_i_may_see(client_for, innovator):
    MemberFactory(name="New apprenticeship lab", categories=["work-based-learning"])
    MemberFactory(name="New data lab", categories=["research-data"])
    MemberFactory(
        name="Pending apprenticeship lab",
        categories=["work-based-learning"],
        status=Member.Status.PENDING,
    )
    old = MemberFactory(name="Old apprenticeship lab", categories=["work-based-learning"])
    Member.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=60))

    page = client_for(innovator).get("/").content.decode()

    assert "New apprenticeship lab" in page
    assert "New data lab" not in page
    assert "Pending apprenticeship lab" not in page
    assert "Old apprenticeship lab" not in page
    assert 'href="/members/?category=work-based-learning"' in page


def test_people_like_me_from_the_precomputed_neighbours(client_for, innovator):
    innovator.member.project_summary = "Apprenticeships for refugees in small town workshops."
    innovator.member.save()
    MemberFactory(
        name="Refugee trades",
        project_summary="Refugees learn a trade as apprentices in workshops of the town.",
        categories=["work-based-learning"],
        languages=["fr"],
    )
    neighbours_rebuild(force=True)

    page = client_for(innovator).get("/").content.decode()

    assert "Refugee trades" in page
    assert "No suggestions yet" not in page


def test_profile_completeness_links_to_the_missing_fields(client_for, innovator):
    member = innovator.member
    page = client_for(innovator).get("/").content.decode()

    assert f'href="/members/{member.pk}/edit/#id_expertise"' in page
    assert f'href="/members/{member.pk}/edit/#id_beneficiaries"' in page
    assert "#id_project_summary" not in page  # filled by the factory
    assert "#id_languages" not in page

    for field in ("project_objectives", "beneficiaries", "impact", "expertise"):
        setattr(member, field, "Filled in.")
    member.project_stage = Member.Stage.PILOT
    member.website = "https://lab.example.org"
    member.save()
    page = client_for(innovator).get("/").content.decode()

    assert "Your profile is 100% complete." in page
    assert "Everything that helps others find you is filled in." in page


def test_approvers_see_the_profiles_awaiting_approval(client_for, core_group_member, innovator):
    MemberFactory(name="Waiting lab", status=Member.Status.PENDING)

    approver_page = client_for(core_group_member).get("/").content.decode()
    member_page = client_for(innovator).get("/").content.decode()

    assert "1 profile awaits approval." in approver_page
    assert "Waiting lab" in approver_page
    assert "Waiting lab" not in member_page


def grow(user, size):
    """``size`` more of everything the home shows to ``user``."""
    for _ in range(size):
        RegistrationFactory(user=user, session=CoachingSessionFactory())
        FollowFactory(user=user, call=FundCallFactory(categories=["work-based-learning"]))
        MemberFactory(categories=["work-based-learning"], languages=["fr"])
        MemberFactory(categories=["work-based-learning"], status=Member.Status.PENDING)
    neighbours_rebuild(force=True)


def test_the_home_queries_do_not_grow_with_the_data(
    client_for, core_group_member, django_assert_num_queries
):
    client = client_for(core_group_member)
    grow(core_group_member, 1)
    client.get("/")  # per-process caches (the category names) filled
    with CaptureQueriesContext(connection) as small:
        client.get("/")

    grow(core_group_member, 12)
    with django_assert_num_queries(len(small)):
        response = client.get("/")

    assert response.context["blocks"]
    assert len(small) <= 30


def test_the_home_of_someone_without_a_profile_in_constant_queries(
    client_for, user_without_profile, django_assert_num_queries
):
    client = client_for(user_without_profile)
    client.get("/")
    with CaptureQueriesContext(connection) as small:
        client.get("/")

    for number in range(8):
        address = f"office{number}@example.org"
        EmailAddress.objects.create(user=user_without_profile, email=address, verified=True)
        MemberFactory(owner=None, contact_email=address, imported=True)
        RegistrationFactory(user=user_without_profile, session=CoachingSessionFactory())
    with django_assert_num_queries(len(small)):
        client.get("/")


def test_a_user_without_a_profile_sees_no_one_elses_data(client_for, user_without_profile):
    stranger = UserFactory()
    RegistrationFactory(user=stranger, session=CoachingSessionFactory(title="Private circle"))

    page = client_for(user_without_profile).get("/").content.decode()

    assert "Private circle" not in page
