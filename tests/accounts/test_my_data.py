"""Download my data: a zip of JSON and CSV files with the person's rows and nobody else's."""

import csv
import io
import json
import zipfile

import pytest
from django.urls import reverse

from accounts import data
from categories.models import Category
from coaching import services as coaching_services
from connections import services as connection_services
from discussions import services as discussion_services
from members.models import Language

from ..coaching.factories import CoachingSessionFactory
from ..connections.helpers import connect, member_with_owner
from ..factories import MemberFactory, UserFactory
from ..funds.factories import FollowFactory, FundAlertFactory, FundCallFactory

pytestmark = pytest.mark.django_db


def _download(client):
    response = client.get(reverse("account_data"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    return zipfile.ZipFile(io.BytesIO(response.content))


def _json(archive, name):
    return json.loads(archive.read(f"{name}.json"))


def _csv(archive, name):
    return list(csv.DictReader(io.StringIO(archive.read(f"{name}.csv").decode())))


@pytest.fixture
def busy_member():
    """A member who did a bit of everything; a stranger who did the same beside them."""
    user = UserFactory(email="busy@example.org", full_name="Bea Busy")
    MemberFactory(owner=user, name="Busy Bees Academy", categories=["work-based-learning"])
    stranger = UserFactory(email="stranger@example.org", full_name="Stan Stranger")
    MemberFactory(owner=stranger, name="Stranger Things Lab")

    friend = member_with_owner(name="Aprendices de Arequipa", country="PE")
    conversation = connect(user, friend)
    connection_services.message_post(conversation=conversation, user=user, body="Mine to keep")
    connection_services.message_post(
        conversation=conversation, user=friend.owner, body="The friend's words"
    )

    session = CoachingSessionFactory(title="Assessing apprentices")
    coaching_services.registration_create(session=session, user=user, confirm=False)
    coaching_services.registration_create(
        session=CoachingSessionFactory(title="Stranger session"), user=stranger, confirm=False
    )
    FollowFactory(user=user, call=FundCallFactory(title="Youth skills fund"))
    FollowFactory(user=stranger, call=FundCallFactory(title="Stranger fund"))
    FundAlertFactory(user=user, categories=["work-based-learning"])
    discussion_services.thread_create(
        author=user,
        category=Category.objects.get(slug="work-based-learning"),
        title="Paying apprentices fairly",
        body="A stipend from month one",
        language=Language.objects.get(code="en"),
    )
    return user


def test_the_zip_holds_my_rows_in_json_and_csv(client_for, busy_member):
    archive = _download(client_for(busy_member))

    names = set(archive.namelist())
    for part in ("account", "profile", "registrations", "follows", "alerts", "messages", "posts"):
        assert {f"{part}.json", f"{part}.csv"} <= names
    assert "README.txt" in names
    assert _json(archive, "account")[0]["email"] == "busy@example.org"
    assert "password" not in _json(archive, "account")[0]
    assert _json(archive, "profile")[0]["name"] == "Busy Bees Academy"
    assert _json(archive, "profile")[0]["categories"] == ["work-based-learning"]
    assert [row["session"] for row in _csv(archive, "registrations")] == ["Assessing apprentices"]
    assert [row["call"] for row in _json(archive, "follows")] == ["Youth skills fund"]
    assert _json(archive, "alerts")[0]["categories"] == ["work-based-learning"]
    assert "Mine to keep" in [row["message"] for row in _json(archive, "messages")]
    assert [row["message"] for row in _csv(archive, "posts")] == ["A stipend from month one"]


def test_the_zip_holds_nobody_elses_data(client_for, busy_member):
    archive = _download(client_for(busy_member))

    everything = b"".join(archive.read(name) for name in archive.namelist()).decode()
    for other in (
        "stranger@example.org",
        "Stranger Things Lab",
        "Stranger session",
        "Stranger fund",
        "The friend's words",
        "Aprendices de Arequipa",
    ):
        assert other not in everything


def test_someone_without_a_profile_gets_empty_files(client_for, user_without_profile):
    archive = _download(client_for(user_without_profile))

    assert _json(archive, "profile") == []
    assert archive.read("profile.csv") == b""


def test_a_visitor_is_sent_to_sign_in(visitor):
    response = visitor.get(reverse("account_data"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_data_over_the_bound_is_refused_with_a_message(client_for, busy_member, monkeypatch):
    monkeypatch.setattr(data, "MAX_BYTES", 100)

    response = client_for(busy_member).get(reverse("account_data"), follow=True)

    assert response.redirect_chain[-1][0] == reverse("account_settings")
    assert "too large" in response.content.decode()
