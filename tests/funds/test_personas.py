"""Every URL of the funds app, for each persona of DESIGN.md."""

import pytest

from funds.tokens import unsubscribe_token

from .factories import FundAlertFactory, FundCallFactory, SuggestedFundCallFactory

pytestmark = pytest.mark.django_db

SIGNED_IN = {"user_without_profile", "innovator", "core_group_member", "staff_officer"}
CURATORS = {"core_group_member", "staff_officer"}


@pytest.fixture
def calls():
    return {
        "published": FundCallFactory(categories=["work-based-learning"]),
        "suggested": SuggestedFundCallFactory(categories=["work-based-learning"]),
    }


def expected_status(url_kind, name):
    signed_in = name in SIGNED_IN
    return {
        "public": 200,
        "members": 200 if signed_in else 302,
        "curators": 200 if name in CURATORS else 404,
        "admin": 200 if name in CURATORS else 302,
    }[url_kind]


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/funds/", "public"),
        ("/funds/?closed=on", "public"),
        ("/funds/feed.rss", "public"),
        ("/funds/deadlines.ics", "public"),
        ("/funds/{published}/", "public"),
        ("/funds/{published}/calendar.ics", "public"),
        ("/funds/{suggested}/", "curators"),
        ("/funds/{suggested}/calendar.ics", "curators"),
        ("/funds/following/", "members"),
        ("/funds/suggest/", "members"),
        ("/funds/alerts/", "members"),
        ("/admin/funds/fundcall/", "admin"),
        ("/admin/funds/fundcall/{suggested}/change/", "admin"),
        ("/admin/funds/fundcallevent/", "admin"),
    ],
)
def test_each_page_answers_each_persona(persona, calls, path, kind):
    name, _user, client = persona
    url = path.format(**{key: call.pk for key, call in calls.items()})

    response = client.get(url)

    assert response.status_code == expected_status(kind, name)
    if response.status_code == 302:
        assert "login" in response.url
    if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
        assert response.content.decode().count("<h1") == 1 or url.startswith("/admin/")


def test_following_a_call_needs_a_sign_in(persona, calls):
    name, user, client = persona
    call = calls["published"]

    response = client.post(f"/funds/{call.pk}/follow/")

    assert response.status_code == 302
    if name == "visitor":
        assert "login" in response.url
        assert not call.follows.exists()
    else:
        assert response.url == f"/funds/{call.pk}/"
        assert call.follows.get().user == user


def test_the_unsubscribe_page_needs_no_sign_in_only_a_valid_token(persona):
    _name, _user, client = persona
    alert = FundAlertFactory()

    assert client.get(f"/funds/unsubscribe/{unsubscribe_token(alert)}/").status_code == 200
    assert client.get("/funds/unsubscribe/forged:token/").status_code == 400
