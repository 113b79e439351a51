import io
import sys
import types

import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command

from accounts.models import User
from categories.models import Category
from coaching.models import (
    CoachingSession,
    KnowledgeEntry,
    Registration,
    SessionNotice,
    SessionSeries,
)
from funds.models import Follow, FundAlert, FundCall, FundCallDelivery
from members.management.commands.seed_demo import DEMO_PASSWORD, PERSONAS
from members.models import CoreGroupRole, Member
from members.regions import Region

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _debug(settings):
    # seed_demo refuses to run with DEBUG off (tests/conftest.py already hashes with MD5).
    settings.DEBUG = True


def seed(*args):
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def counts():
    return {
        "members": Member.objects.count(),
        "users": User.objects.count(),
        "emails": EmailAddress.objects.count(),
        "roles": CoreGroupRole.objects.count(),
        "member categories": Member.categories.through.objects.count(),
        "member languages": Member.languages.through.objects.count(),
        "fund calls": FundCall.objects.count(),
        "follows": Follow.objects.count(),
        "fund alerts": FundAlert.objects.count(),
        "series": SessionSeries.objects.count(),
        "sessions": CoachingSession.objects.count(),
        "registrations": Registration.objects.count(),
        "knowledge entries": KnowledgeEntry.objects.count(),
    }


def test_running_seed_demo_twice_changes_nothing():
    seed()
    first = counts()
    names = set(Member.objects.values_list("name", "country", "owner__email"))
    seed()
    assert counts() == first
    assert set(Member.objects.values_list("name", "country", "owner__email")) == names
    assert 190 <= first["members"] <= 220


def test_demo_fund_calls_and_sessions_are_listed_and_a_second_run_adds_none(client):
    seed()
    first = counts()
    deadlines = set(FundCall.objects.values_list("title", "deadline"))
    starts = set(CoachingSession.objects.values_list("title", "start"))

    funds = client.get("/funds/")
    coaching = client.get("/coaching/")
    knowledge = client.get("/coaching/knowledge/")

    assert len(funds.context["page"].object_list) >= 15
    assert len(coaching.context["sessions"]) >= 8
    assert "Peer-coaching circle" in coaching.content.decode()
    assert len(knowledge.context["page"].object_list) >= 2
    assert set(FundCall.objects.values_list("status", flat=True)) >= {"published", "suggested"}
    assert FundCall.objects.closed().count() >= 2
    assert Follow.objects.filter(user__email="innovator@example.org").count() == 3
    assert Registration.objects.filter(status="waitlisted").exists()
    # Seeding writes no email, not even one owed for later.
    assert not FundCallDelivery.objects.exists()
    assert not SessionNotice.objects.exists()

    seed()
    assert counts() == first
    assert set(FundCall.objects.values_list("title", "deadline")) == deadlines
    assert set(CoachingSession.objects.values_list("title", "start")) == starts


def test_a_profile_renamed_in_the_admin_is_not_created_again():
    seed()
    before = Member.objects.count()
    Member.objects.filter(owner__email="innovator@example.org").update(name="Renamed atelier")
    seed()
    assert Member.objects.count() == before
    assert Member.objects.get(owner__email="innovator@example.org").name == "Renamed atelier"


def test_demo_members_cover_every_category_region_and_many_countries():
    seed()
    for category in Category.objects.all():
        assert category.members.listed().filter(is_public=True).exists(), category.slug
    for region in Region:
        assert Member.objects.listed().filter(region=region, is_public=True).exists(), region
    assert Member.objects.values("country").distinct().count() >= 30
    for code in ["en", "fr", "es"]:
        assert Member.objects.filter(languages__code=code).count() >= 20, code
    assert set(Member.objects.values_list("member_type", flat=True)) == set(Member.Type)


def test_demo_members_show_every_state_of_a_profile():
    seed()
    imported = Member.objects.filter(imported=True)
    assert imported.count() >= 10
    assert not imported.filter(owner__isnull=False).exists()
    assert not imported.filter(is_public=True).exists()
    assert Member.objects.filter(status=Member.Status.PENDING).exists()
    assert Member.objects.filter(is_top_innovator=True).count() >= 5
    assert (
        Member.objects.filter(roles__role=CoreGroupRole.Role.REGIONAL_REPRESENTATIVE).count() == 5
    )
    assert CoreGroupRole.objects.filter(role=CoreGroupRole.Role.SIG_LEAD).count() >= 4
    for member in Member.objects.all():
        assert member.region  # set from the country by bulk_create


@pytest.mark.parametrize("email", list(PERSONAS))
def test_each_persona_signs_in_with_the_documented_password(client, email):
    seed()
    response = client.post("/accounts/login/", {"login": email, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == User.objects.get(email=email).pk


def test_personas_hold_their_roles():
    seed()
    innovator = User.objects.get(email="innovator@example.org")
    core = User.objects.get(email="core@example.org")
    staff = User.objects.get(email="staff@example.org")
    newcomer = User.objects.get(email="newcomer@example.org")
    admin = User.objects.get(email="admin@example.org")

    assert Member.objects.get(owner=innovator).status == Member.Status.LISTED
    assert core.is_staff and core.has_perm("members.approve_member")
    assert not core.has_perm("members.export_members")
    assert CoreGroupRole.objects.filter(
        member__owner=core,
        role=CoreGroupRole.Role.SIG_LEAD,
        category__slug="work-based-learning",
        end_date__isnull=True,
    ).exists()
    assert staff.is_staff and staff.has_perm("members.export_members")
    assert not Member.objects.filter(owner=newcomer).exists()
    claimable = Member.objects.get(contact_email="newcomer@example.org")
    assert claimable.owner is None and claimable.imported
    assert admin.is_superuser
    assert EmailAddress.objects.filter(verified=True, primary=True).count() == User.objects.count()


def test_seed_demo_refuses_to_run_without_debug_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG"):
        call_command("seed_demo")
    assert not Member.objects.exists()
    assert not User.objects.exists()

    output = seed("--force")
    assert Member.objects.count() > 190
    assert DEMO_PASSWORD in output


def test_apps_add_their_demo_data_through_a_seed_hook(monkeypatch):
    calls = []
    fake = types.ModuleType("funds.demo")
    fake.seed = lambda rng: calls.append((rng.random(), Member.objects.count()))
    monkeypatch.setitem(sys.modules, "funds.demo", fake)
    seed()
    seed()
    assert len(calls) == 2
    # Same random numbers on every run, and the members exist by then.
    assert calls[0] == calls[1]
    assert calls[0][1] > 190


def test_demo_has_needs_answers_and_an_invitation_round_and_a_second_run_adds_none(client):
    from members.models import InvitationEmail, InvitationRound, NeedsAnswer, NeedsAssessment

    seed()
    answered = NeedsAssessment.objects.answered().count()
    answers = NeedsAnswer.objects.count()
    assert answered > 50
    assert InvitationRound.objects.count() == 1
    assert InvitationEmail.objects.filter(sent_at__isnull=False).count() > 10
    # The innovator persona is still invited to answer; the newcomer's profile is not invited.
    assert not NeedsAssessment.objects.filter(member__owner__email="innovator@example.org")
    assert not Member.objects.get(name="Youth Digital Skills Collective").invitations.exists()

    seed()
    assert NeedsAssessment.objects.answered().count() == answered
    assert NeedsAnswer.objects.count() == answers
    assert InvitationRound.objects.count() == 1

    client.force_login(User.objects.get(email="core@example.org"))
    page = client.get("/members/needs/report/").content.decode()
    assert "Most requested workshop topics" in page
