"""People like you: who is suggested on a profile page, to whom, and why."""

import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from connections.models import DismissedSuggestion, Neighbour
from connections.similarity import similar_members, similar_members_for
from connections.tasks import refresh_member_neighbours, sweep_neighbours
from members.models import Member
from tests.factories import ImportedMemberFactory, MemberFactory, UserFactory

pytestmark = pytest.mark.django_db

REFUGEES = ["work-based-learning", "social-inclusion"]


def refugee_workshop(name, **fields):
    """A profile about apprenticeships for refugees, worded a little differently each time."""
    fields.setdefault("categories", REFUGEES)
    fields.setdefault("languages", ["fr", "en"])
    return MemberFactory(
        name=name,
        project_title=f"Apprenticeships for refugees in {name}",
        project_summary="Refugees learn a trade as apprentices in small workshops of the town.",
        **fields,
    )


@pytest.fixture
def profile():
    return refugee_workshop("Kakuma Trades")


@pytest.fixture
def unrelated():
    return MemberFactory(
        name="Data Lab",
        project_title="Forecasting demand for data analysts",
        project_summary="Labour-market surveys of employers in the capital.",
        categories=["research-data"],
        languages=["es"],
    )


def names(suggestions):
    return [suggestion.member.name for suggestion in suggestions]


def test_a_profile_page_shows_similar_members_with_a_reason(client, profile, unrelated, rebuild):
    refugee_workshop("Dadaab Workshops")
    rebuild()

    page = client.get(profile.get_absolute_url()).content.decode()

    assert "Similar members" in page
    assert "Dadaab Workshops" in page
    assert "also works on" in page and "refugees" in page
    assert "Work-based learning" in page and "speaks English, French" in page


def test_the_reason_in_french_names_the_categories_in_french(client, profile, rebuild):
    refugee_workshop("Dadaab Workshops")
    rebuild()

    page = client.get(profile.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    assert "Apprentissage en milieu de travail" in page


def test_the_most_similar_project_comes_first(profile, unrelated, rebuild, visitor):
    refugee_workshop("Dadaab Workshops")
    MemberFactory(name="Same categories only", categories=REFUGEES, languages=["fr"])
    rebuild()

    suggested = names(similar_members(profile, visitor_user()))

    assert suggested[:2] == ["Dadaab Workshops", "Same categories only"]


def visitor_user():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


def test_hidden_pending_and_imported_profiles_are_never_suggested_to_those_who_may_not_see_them(
    profile, rebuild, innovator, core_group_member
):
    refugee_workshop("Listed and public")
    refugee_workshop("Members only", is_public=False)
    refugee_workshop("Awaiting approval", status=Member.Status.PENDING)
    imported = ImportedMemberFactory(
        name="Imported applicant",
        project_title="Apprenticeships for refugees in Imported",
        project_summary="Refugees learn a trade as apprentices in small workshops of the town.",
        categories=REFUGEES,
        languages=["fr"],
    )
    rebuild()

    assert Neighbour.objects.filter(member=profile, neighbour=imported).exists()
    seen_by_visitor = set(names(similar_members(profile, visitor_user())))
    seen_by_innovator = set(names(similar_members(profile, innovator)))
    seen_by_core = set(names(similar_members(profile, core_group_member)))

    assert "Listed and public" in seen_by_visitor
    assert not seen_by_visitor & {"Members only", "Awaiting approval", "Imported applicant"}
    assert seen_by_innovator >= {"Listed and public", "Members only", "Imported applicant"}
    assert "Awaiting approval" not in seen_by_innovator
    assert "Awaiting approval" in seen_by_core


def test_a_pending_profile_is_not_suggested_on_a_page_a_visitor_sees(client, profile, rebuild):
    refugee_workshop("Awaiting approval", status=Member.Status.PENDING)
    refugee_workshop("Members only", is_public=False)
    rebuild()

    page = client.get(profile.get_absolute_url()).content.decode()

    assert "Awaiting approval" not in page
    assert "Members only" not in page


def test_nobody_is_suggested_their_own_profile(profile, rebuild, client_for):
    owner = UserFactory()
    own = refugee_workshop("My own workshop", owner=owner)
    refugee_workshop("Someone else")
    rebuild()

    assert Neighbour.objects.filter(member=profile, neighbour=own).exists()
    assert "My own workshop" not in names(similar_members(profile, owner))
    page = client_for(owner).get(profile.get_absolute_url()).content.decode()
    assert "My own workshop" not in page and "Someone else" in page
    assert not Neighbour.objects.filter(member=own, neighbour=own).exists()


def test_a_member_dismisses_a_suggestion_and_it_stays_gone(profile, rebuild, innovator, client_for):
    other = refugee_workshop("Dadaab Workshops")
    rebuild()
    client = client_for(innovator)
    url = "/connections/suggestions/dismiss/"
    form = {"member": other.pk, "next": profile.get_absolute_url()}

    response = client.post(url, form)
    client.post(url, form)

    assert response.status_code == 302 and response["Location"] == profile.get_absolute_url()
    assert DismissedSuggestion.objects.filter(user=innovator, member=other).count() == 1
    assert (
        "will not be suggested to you again"
        in client.get(profile.get_absolute_url()).content.decode()
    )
    assert "Dadaab Workshops" not in client.get(profile.get_absolute_url()).content.decode()
    assert "Dadaab Workshops" not in names(similar_members(profile, innovator))
    # Others still see it.
    assert "Dadaab Workshops" in names(similar_members(profile, visitor_user()))


def test_dismissing_needs_a_signed_in_post_with_a_csrf_token(profile, innovator, visitor):
    url = "/connections/suggestions/dismiss/"
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(innovator)

    assert visitor.post(url, {"member": profile.pk})["Location"].startswith("/accounts/login/")
    assert strict.post(url, {"member": profile.pk}).status_code == 403
    get = Client()
    get.force_login(innovator)
    assert get.get(url).status_code == 405
    assert not DismissedSuggestion.objects.exists()


def test_a_profile_one_may_not_see_cannot_be_dismissed(innovator, client_for):
    pending = MemberFactory(status=Member.Status.PENDING)

    client = client_for(innovator)
    response = client.post("/connections/suggestions/dismiss/", {"member": pending.pk})

    assert response.status_code == 404
    assert client.post("/connections/suggestions/dismiss/", {"member": "x"}).status_code == 404


def test_an_unsafe_next_address_sends_the_member_home(profile, innovator, client_for):
    response = client_for(innovator).post(
        "/connections/suggestions/dismiss/",
        {"member": profile.pk, "next": "https://evil.example.com/"},
    )

    assert response["Location"] == "/"


def test_changing_a_project_refreshes_its_neighbours_after_commit(
    profile, unrelated, rebuild, django_capture_on_commit_callbacks
):
    rebuild()
    assert names(similar_members(unrelated, visitor_user())) in ([], ["Kakuma Trades"])
    forecaster = MemberFactory(name="Forecasters", categories=["career-guidance"])

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        forecaster.project_title = "Forecasting demand for data analysts and surveys of employers"
        forecaster.project_summary = "Labour-market surveys forecasting demand in the capital."
        forecaster.save()
        forecaster.categories.add(*unrelated.categories.all())

    assert callbacks
    assert names(similar_members(forecaster, visitor_user()))[0] == "Data Lab"
    shown = similar_members(forecaster, visitor_user())[0]
    assert "Research, data and analysis for skills development" in shown.reasons


def test_saving_fields_that_do_not_match_leaves_the_neighbours_alone(
    profile, rebuild, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        profile.approve(by=None)

    # Other apps may act on any save (the directory's counts); no refresh is queued here.
    refreshes = [
        c for c in callbacks if getattr(c, "func", None) == refresh_member_neighbours.delay
    ]
    assert refreshes == []


def test_the_nightly_sweep_computes_every_members_neighbours(profile, unrelated):
    refugee_workshop("Dadaab Workshops")

    assert sweep_neighbours() == 3

    assert names(similar_members(profile, visitor_user()))[0] == "Dadaab Workshops"
    assert Neighbour.objects.filter(member=unrelated).count() <= 2


def test_the_beat_schedule_runs_the_sweep_every_night(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["connections-neighbours-sweep"]

    assert entry["task"] == "connections.tasks.sweep_neighbours"
    assert entry["schedule"].hour == {2}


def test_the_member_home_gets_the_six_most_similar_to_their_own_profile(rebuild):
    owner = UserFactory()
    refugee_workshop("Mine", owner=owner)
    for index in range(8):
        refugee_workshop(f"Peer {index}")
    rebuild()

    suggested = similar_members_for(owner)

    assert len(suggested) == 6
    assert "Mine" not in names(suggested)
    assert similar_members_for(UserFactory()) == []
    assert similar_members_for(visitor_user()) == []


def test_a_profile_page_costs_the_same_queries_with_two_or_six_similar_members(
    client, profile, rebuild
):
    refugee_workshop("Peer A")
    refugee_workshop("Peer B")
    rebuild()
    client.get(profile.get_absolute_url())  # loads the categories' cache
    with CaptureQueriesContext(connection) as few:
        client.get(profile.get_absolute_url())
    for index in range(6):
        refugee_workshop(f"More {index}", languages=["es", "fr"])
    rebuild()
    with CaptureQueriesContext(connection) as many:
        page = client.get(profile.get_absolute_url()).content.decode()

    assert page.count('action="/connections/') == 0  # a visitor has no dismiss buttons
    assert len(many.captured_queries) == len(few.captured_queries)
    neighbour_queries = [q for q in many.captured_queries if "connections_neighbour" in q["sql"]]
    assert len(neighbour_queries) == 1


def test_a_renamed_category_shows_at_once_in_the_reasons(client, profile, rebuild):
    from categories.models import Category

    refugee_workshop("Dadaab Workshops")
    rebuild()
    client.get(profile.get_absolute_url())
    Category.objects.filter(slug="social-inclusion").update(name="Inclusion first")
    Category.objects.get(slug="social-inclusion").save()

    assert "Inclusion first" in client.get(profile.get_absolute_url()).content.decode()


def test_a_signed_in_profile_page_costs_a_fixed_number_of_queries(
    profile, rebuild, innovator, client_for
):
    refugee_workshop("Peer A")
    rebuild()
    client = client_for(innovator)
    client.get(profile.get_absolute_url())  # loads the categories' cache
    with CaptureQueriesContext(connection) as few:
        client.get(profile.get_absolute_url())
    for index in range(6):
        refugee_workshop(f"More {index}")
    rebuild()
    with CaptureQueriesContext(connection) as many:
        page = client.get(profile.get_absolute_url()).content.decode()

    assert page.count('name="member" value=') == 6
    assert len(many.captured_queries) == len(few.captured_queries)


def test_accents_do_not_matter(rebuild):
    accented = MemberFactory(
        name="Accented",
        project_title="Formación técnica en energía solar",
        project_summary="Instalación de paneles solares.",
        categories=["training-delivery"],
    )
    MemberFactory(
        name="Plain",
        project_title="Formacion tecnica en energia solar",
        project_summary="Instalacion de paneles solares.",
        categories=["entrepreneurship"],
    )
    MemberFactory(name="Other", project_title="Soft skills", categories=["entrepreneurship"])
    rebuild()

    first = similar_members(accented, visitor_user())[0]
    assert first.member.name == "Plain"
    assert "also works on" in first.reason


def test_a_new_profile_is_refreshed_by_a_real_worker(celery_worker):
    from django.db import transaction

    with transaction.atomic():
        first = refugee_workshop("Kakuma Trades")
        second = refugee_workshop("Dadaab Workshops")

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if Neighbour.objects.filter(member=second, neighbour=first).exists():
            break
        time.sleep(0.2)
    assert Neighbour.objects.filter(member=second, neighbour=first).exists()
