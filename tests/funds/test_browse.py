"""Browsing /funds/: open calls by deadline, filters, the detail page, following."""

import datetime
import re

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from categories.models import Category
from funds.models import Follow, FundCall
from funds.views import PAGE_SIZE

from ..factories import MemberFactory, UserFactory
from .factories import FundCallFactory, SuggestedFundCallFactory

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
DAY = datetime.timedelta(days=1)
NOW = datetime.datetime(2026, 3, 6, 15, 0, tzinfo=UTC)


def titles(response):
    return [call.title for call in response.context["page"].object_list]


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def test_visitors_see_only_published_open_calls_soonest_deadline_first(visitor, frozen):
    FundCallFactory(title="Later", deadline=NOW + 40 * DAY)
    FundCallFactory(title="Sooner", deadline=NOW + 2 * DAY)
    FundCallFactory(title="Past", deadline=NOW - DAY)
    SuggestedFundCallFactory(title="Suggested")
    FundCallFactory(title="Withdrawn", status=FundCall.Status.CLOSED)
    FundCallFactory(title="Archived", status=FundCall.Status.ARCHIVED)

    response = visitor.get("/funds/")

    assert response.status_code == 200
    assert titles(response) == ["Sooner", "Later"]
    assert "2 open calls" in response.content.decode()


def test_a_call_leaves_the_open_list_at_its_deadline_by_itself(visitor, time_machine):
    time_machine.move_to(NOW, tick=False)
    call = FundCallFactory(title="Closing soon", deadline=NOW + datetime.timedelta(hours=1))
    assert titles(visitor.get("/funds/")) == ["Closing soon"]

    time_machine.move_to(NOW + datetime.timedelta(hours=1), tick=False)

    assert titles(visitor.get("/funds/")) == []
    assert titles(visitor.get("/funds/?closed=on")) == ["Closing soon"]
    call.refresh_from_db()
    assert call.status == FundCall.Status.PUBLISHED


@pytest.mark.parametrize(
    ("within", "expected"),
    [
        ("7", ["3 days", "7 days"]),
        ("30", ["3 days", "7 days", "7 days and a minute", "29 days"]),
        ("90", ["3 days", "7 days", "7 days and a minute", "29 days", "31 days"]),
    ],
)
def test_closing_within_counts_from_now(visitor, frozen, within, expected):
    for title, delta in [
        ("3 days", 3 * DAY),
        ("7 days", 7 * DAY),
        ("7 days and a minute", 7 * DAY + datetime.timedelta(minutes=1)),
        ("29 days", 29 * DAY),
        ("31 days", 31 * DAY),
        ("100 days", 100 * DAY),
    ]:
        FundCallFactory(title=title, deadline=NOW + delta)

    assert titles(visitor.get(f"/funds/?closing={within}")) == expected


def test_filters_by_category_region_source_and_keywords(visitor, frozen):
    FundCallFactory(
        title="Apprenticeships in Africa",
        categories=["work-based-learning"],
        eligible_regions=["africa"],
        source_type=FundCall.SourceType.MULTILATERAL,
    )
    FundCallFactory(
        title="Global apprenticeship prize",
        categories=["work-based-learning"],
        deadline=NOW + 40 * DAY,
    )
    FundCallFactory(
        title="Career guidance in the Americas",
        categories=["career-guidance"],
        eligible_regions=["americas"],
        funder="Banco de Desarrollo",
    )

    assert titles(visitor.get("/funds/?category=work-based-learning")) == [
        "Apprenticeships in Africa",
        "Global apprenticeship prize",
    ]
    assert titles(visitor.get("/funds/?category=work-based-learning&category=career-guidance")) == [
        "Apprenticeships in Africa",
        "Career guidance in the Americas",
        "Global apprenticeship prize",
    ]
    # A global call is open to every region.
    assert titles(visitor.get("/funds/?region=americas")) == [
        "Career guidance in the Americas",
        "Global apprenticeship prize",
    ]
    assert titles(visitor.get("/funds/?source=multilateral")) == ["Apprenticeships in Africa"]
    assert titles(visitor.get("/funds/?q=banco")) == ["Career guidance in the Americas"]


def test_matches_my_profile_uses_the_members_categories_and_region(client_for, innovator, frozen):
    # The innovator works on work-based learning in Senegal (Africa).
    FundCallFactory(
        title="For Africa", categories=["work-based-learning"], eligible_regions=["africa"]
    )
    FundCallFactory(title="Global", categories=["work-based-learning"], deadline=NOW + 60 * DAY)
    FundCallFactory(
        title="For Asia", categories=["work-based-learning"], eligible_regions=["asia-pacific"]
    )
    FundCallFactory(title="Other topic", categories=["entrepreneurship"])

    response = client_for(innovator).get("/funds/?mine=on")

    assert titles(response) == ["For Africa", "Global"]
    assert 'name="mine"' in response.content.decode()


@pytest.mark.parametrize("who", ["visitor", "user_without_profile"])
def test_matches_my_profile_without_a_profile_explains_instead_of_listing_everything(
    request, client_for, who, frozen
):
    FundCallFactory()
    user = None if who == "visitor" else request.getfixturevalue(who)

    response = client_for(user).get("/funds/?mine=on")

    assert response.status_code == 200
    assert titles(response) == []
    assert "create your profile" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "category=no-such-category",
        "region=mars",
        "closing=5",
        "source=lottery",
        "page=abc&region=x",
    ],
)
def test_a_bad_filter_value_shows_its_error_and_no_calls(visitor, frozen, query):
    FundCallFactory()

    response = visitor.get(f"/funds/?{query}")

    assert response.status_code == 200
    assert titles(response) == []
    content = response.content.decode()
    assert "invalid-feedback" in content
    assert "Correct the filters" in content


def test_the_closed_switch_lists_closed_calls_latest_first(visitor, frozen):
    FundCallFactory(title="Open")
    FundCallFactory(title="Ended last year", deadline=NOW - 300 * DAY)
    FundCallFactory(title="Ended yesterday", deadline=NOW - DAY)
    FundCallFactory(title="Withdrawn", status=FundCall.Status.CLOSED, deadline=NOW + 9 * DAY)

    assert titles(visitor.get("/funds/?closed=on")) == [
        "Withdrawn",
        "Ended yesterday",
        "Ended last year",
    ]


@pytest.mark.parametrize("who", ["visitor", "innovator"])
def test_the_list_costs_the_same_queries_for_one_call_and_a_full_page(
    request, client_for, django_assert_num_queries, who, frozen
):
    user = None if who == "visitor" else request.getfixturevalue(who)
    client = client_for(user)
    query = "/funds/?mine=on" if user else "/funds/"
    FundCallFactory(categories=["work-based-learning"])
    client.get(query)  # warm the session and the content types
    with CaptureQueriesContext(connection) as one:
        assert len(titles(client.get(query))) == 1

    for _ in range(PAGE_SIZE + 3):
        FundCallFactory(categories=["work-based-learning", "skills-ecosystem"])
    with django_assert_num_queries(len(one.captured_queries)):
        assert len(titles(client.get(query))) == PAGE_SIZE


def test_the_detail_shows_the_deadline_in_my_time_zone_and_the_funders(client_for, frozen):
    user = UserFactory(time_zone="Asia/Tokyo")
    call = FundCallFactory(
        deadline=datetime.datetime(2026, 3, 27, 16, 0, tzinfo=UTC),
        deadline_time_zone="Europe/Paris",
        amount_min=10000,
        amount_max=50000,
        currency="USD",
        eligible_regions=["africa", "arab-states"],
        categories=["social-inclusion"],
    )

    response = client_for(user).get(f"/funds/{call.pk}/")

    content = response.content.decode()
    assert "March 28, 2026, 1 a.m." in content and "(Tokyo (GMT+9))" in content
    assert "March 27, 2026, 5 p.m." in content and "(Paris (GMT+1))" in content
    assert "21 days" in content
    assert "USD 10,000 to 50,000" in content
    assert "Africa, Arab States" in content
    assert call.link in content
    assert f"/funds/{call.pk}/calendar.ics" in content
    assert "Follow this call" in content
    assert content.count("<h1") == 1


def test_visitors_are_invited_to_sign_in_to_follow(visitor, frozen):
    call = FundCallFactory()

    content = visitor.get(f"/funds/{call.pk}/").content.decode()

    assert "Sign in to follow this call" in content
    assert "UTC" in content


def test_a_suggestion_is_seen_only_by_its_author_and_the_curators(
    client_for, innovator, staff_officer, user_without_profile
):
    call = SuggestedFundCallFactory(suggested_by=innovator)

    assert client_for(innovator).get(f"/funds/{call.pk}/").status_code == 200
    assert client_for(staff_officer).get(f"/funds/{call.pk}/").status_code == 200
    assert client_for(user_without_profile).get(f"/funds/{call.pk}/").status_code == 404
    assert client_for(None).get(f"/funds/{call.pk}/").status_code == 404


def test_a_member_follows_and_unfollows_a_call(client_for, innovator, frozen):
    call = FundCallFactory(title="Watch me")
    client = client_for(innovator)

    response = client.post(f"/funds/{call.pk}/follow/", follow=True)
    assert "You follow this call" in response.content.decode()
    assert titles(client.get("/funds/following/")) == ["Watch me"]
    assert Follow.objects.filter(user=innovator, call=call).exists()
    client.post(f"/funds/{call.pk}/follow/")  # twice is still once
    assert Follow.objects.count() == 1

    response = client.post(f"/funds/{call.pk}/unfollow/", {"next": "/funds/following/"})
    assert response.url == "/funds/following/"
    assert titles(client.get("/funds/following/")) == []


def test_following_is_a_post_and_closed_calls_cannot_be_followed(client_for, innovator, frozen):
    call = FundCallFactory(deadline=NOW - DAY)
    client = client_for(innovator)

    assert client.get(f"/funds/{call.pk}/follow/").status_code == 405
    response = client.post(f"/funds/{call.pk}/follow/", follow=True)

    assert "Only open calls can be followed." in response.content.decode()
    assert not Follow.objects.exists()


def test_the_following_page_costs_the_same_queries_for_one_call_and_a_full_page(
    client_for, innovator, django_assert_num_queries, frozen
):
    client = client_for(innovator)
    Follow.objects.create(user=innovator, call=FundCallFactory(categories=["entrepreneurship"]))
    client.get("/funds/following/")
    with CaptureQueriesContext(connection) as one:
        client.get("/funds/following/")
    for _ in range(PAGE_SIZE + 2):
        Follow.objects.create(
            user=innovator, call=FundCallFactory(categories=["entrepreneurship", "research-data"])
        )
    with django_assert_num_queries(len(one.captured_queries)):
        assert len(titles(client.get("/funds/following/"))) == PAGE_SIZE


def test_a_category_page_lists_the_categorys_open_calls(visitor, frozen):
    FundCallFactory(title="Start-up grant", categories=["entrepreneurship"])
    FundCallFactory(title="Elsewhere", categories=["research-data"])
    FundCallFactory(title="Over", categories=["entrepreneurship"], deadline=NOW - DAY)

    html = visitor.get("/categories/entrepreneurship/").content.decode()

    assert "Open funding calls" in html
    assert "Start-up grant" in html
    assert "Elsewhere" not in html and "Over" not in html
    assert "/funds/?category=entrepreneurship" in html


def test_a_category_without_open_calls_says_so(frozen):
    category = Category.objects.get(slug="core-life-skills")

    html = render_to_string("funds/_category_calls.html", {"category": category})

    assert "No open funding call in this category" in html


def test_the_feeds_links_carry_the_pages_filters(visitor, frozen):
    content = visitor.get("/funds/?category=rpl-certification&region=africa").content.decode()

    links = re.findall(r'href="(/funds/(?:feed\.rss|deadlines\.ics)[^"]*)"', content)
    assert "/funds/feed.rss?category=rpl-certification&amp;region=africa" in links
    assert "/funds/deadlines.ics?category=rpl-certification&amp;region=africa" in links


def test_a_profile_without_categories_matches_no_call(client_for, frozen):
    user = UserFactory()
    MemberFactory(owner=user, country="FR", categories=[])
    FundCallFactory(title="Any", categories=["entrepreneurship"])

    # A profile without categories matches no call: the filter narrows, it never widens.
    assert titles(client_for(user).get("/funds/?mine=on")) == []
