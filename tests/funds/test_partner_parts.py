"""Partner requests in the weekly email and on the member home (registry parts of funds)."""

import datetime

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from funds.partner_parts import home_partner_requests, weekly_partner_requests
from members.models import Member
from network_portal import registry

from ..factories import MemberFactory, UserFactory
from .factories import FollowFactory, FundCallFactory, PartnerRequestFactory

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
DAY = datetime.timedelta(days=1)
NOW = datetime.datetime(2026, 3, 6, 15, 0, tzinfo=UTC)
SINCE = NOW - 7 * DAY


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def posted(days_ago, time_machine, **fields):
    """A partner request posted ``days_ago`` days before NOW."""
    time_machine.move_to(NOW - days_ago * DAY, tick=False)
    partner_request = PartnerRequestFactory(**fields)
    time_machine.move_to(NOW, tick=False)
    return partner_request


def seekings(context):
    return [item["partner_request"].seeking for item in context["partner_requests"]]


@pytest.fixture
def follower(frozen):
    """A member in Kenya working on RPL who follows the call "Followed"."""
    user = UserFactory(full_name="Fatou Follower")
    MemberFactory(owner=user, country="KE", categories=["rpl-certification"])
    return user


def test_the_weekly_section_names_new_requests_on_calls_i_follow(follower, time_machine):
    followed = FundCallFactory(title="Followed", categories=["entrepreneurship"])
    FollowFactory(user=follower, call=followed)
    new = posted(2, time_machine, call=followed, seeking="new on my call")
    posted(9, time_machine, call=followed, seeking="older than a week")
    posted(1, time_machine, call=FundCallFactory(), seeking="on a call I ignore")
    posted(1, time_machine, call=followed, closed_at=NOW, seeking="closed by its poster")
    posted(1, time_machine, call=followed, member=follower.member, seeking="my own")

    context = weekly_partner_requests(user=follower, since=SINCE)

    assert seekings(context) == [new.seeking]
    assert context["partner_requests"][0]["partner_request"].on_followed_call
    assert context["partner_requests"][0]["url"] == (
        f"https://portal.example.org/funds/partners/{new.pk}/"
    )


def test_the_weekly_section_names_requests_matching_my_profile(follower, time_machine):
    rpl = ["rpl-certification"]
    posted(1, time_machine, categories=rpl, seeking="anywhere")
    posted(1, time_machine, categories=rpl, regions=["africa"], seeking="from Africa")
    posted(1, time_machine, categories=rpl, countries=["KE"], seeking="from Kenya")
    posted(1, time_machine, categories=rpl, regions=["americas"], seeking="from the Americas")
    posted(1, time_machine, categories=["entrepreneurship"], seeking="another category")

    context = weekly_partner_requests(user=follower, since=SINCE)

    assert set(seekings(context)) == {"anywhere", "from Africa", "from Kenya"}
    assert not any(item["partner_request"].on_followed_call for item in context["partner_requests"])


def test_the_weekly_section_leaves_out_profiles_the_reader_may_not_see(follower, time_machine):
    followed = FundCallFactory()
    FollowFactory(user=follower, call=followed)
    pending = MemberFactory(status=Member.Status.PENDING)
    posted(1, time_machine, call=followed, member=pending, seeking="awaiting approval")

    assert weekly_partner_requests(user=follower, since=SINCE) is None


def test_the_weekly_section_is_none_when_there_is_nothing_new(follower):
    assert weekly_partner_requests(user=follower, since=SINCE) is None
    assert weekly_partner_requests(user=UserFactory(), since=SINCE) is None


def test_the_weekly_section_follows_calls_without_a_profile(frozen, time_machine):
    user = UserFactory()
    followed = FundCallFactory()
    FollowFactory(user=user, call=followed)
    posted(1, time_machine, call=followed, seeking="for a follower without a profile")

    assert seekings(weekly_partner_requests(user=user, since=SINCE)) == [
        "for a follower without a profile"
    ]


def test_the_weekly_section_renders_in_html_and_text(follower, time_machine):
    followed = FundCallFactory(title="Apprenticeship Scale-up Grants")
    FollowFactory(user=follower, call=followed)
    partner_request = posted(
        1,
        time_machine,
        call=followed,
        member=MemberFactory(name="Dakar & Co", contact_email="secret@example.org"),
        role="expert",
        seeking="An assessor <for> our tailors",
    )
    part = registry.parts(registry.WEEKLY_EMAIL_SECTIONS)
    part = next(p for p in part if p.name == "partner-requests")
    context = part.context(user=follower, since=SINCE, language="en")

    html = render_to_string(part.template, context)
    text = render_to_string(part.text_template, context)

    url = f"https://portal.example.org{partner_request.get_absolute_url()}"
    assert f'<a href="{url}">Dakar &amp; Co seeks: Expert</a>' in html
    assert "An assessor &lt;for&gt; our tailors" in html
    assert "(a call you follow)" in html
    assert "Dakar & Co seeks: Expert" in text
    assert "An assessor <for> our tailors" in text and url in text
    assert "secret@example.org" not in html + text
    assert partner_request.user.email not in html + text


def test_the_weekly_section_costs_the_same_queries_however_many_requests(
    follower, time_machine, django_assert_num_queries
):
    followed = FundCallFactory()
    FollowFactory(user=follower, call=followed)
    posted(1, time_machine, call=followed, categories=["rpl-certification"])
    reader = User.objects.get(pk=follower.pk)  # nothing cached: the email task starts so
    with CaptureQueriesContext(connection) as few:
        weekly_partner_requests(user=reader, since=SINCE)
    for _ in range(15):
        posted(1, time_machine, call=FundCallFactory(), categories=["rpl-certification"])
    reader = User.objects.get(pk=follower.pk)

    with django_assert_num_queries(len(few.captured_queries)):
        context = weekly_partner_requests(user=reader, since=SINCE)

    assert len(context["partner_requests"]) == 10 and context["more"]


# ---- Member home block --------------------------------------------------------------------


def home_request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_the_home_block_lists_requests_matching_my_profile(follower, time_machine):
    match = posted(1, time_machine, categories=["rpl-certification"], seeking="for me")
    posted(1, time_machine, categories=["entrepreneurship"], seeking="not my category")
    posted(1, time_machine, categories=["rpl-certification"], regions=["americas"])
    posted(1, time_machine, categories=["rpl-certification"], member=follower.member)

    context = home_partner_requests(request=home_request(follower))
    html = render_to_string(
        "funds/partners/_home_block.html", context, request=home_request(follower)
    )

    assert context["partner_requests"] == [match]
    assert "Partner requests matching my profile" in html and match.get_absolute_url() in html


def test_the_home_block_has_an_empty_state(follower):
    context = home_partner_requests(request=home_request(follower))
    assert context == {"has_profile": True, "partner_requests": []}

    html = render_to_string("funds/partners/_home_block.html", context)
    assert "No open partner request in your categories at the moment." in html


def test_the_home_block_asks_for_a_profile_first(frozen):
    user = UserFactory()

    context = home_partner_requests(request=home_request(user))
    assert context == {"has_profile": False, "partner_requests": []}

    html = render_to_string("funds/partners/_home_block.html", context)
    assert 'href="/members/start/">Create your profile</a>' in html


def test_the_home_block_is_not_for_visitors(frozen):
    from django.contrib.auth.models import AnonymousUser

    assert home_partner_requests(request=home_request(AnonymousUser())) is None


def test_both_parts_are_registered():
    home = {part.name for part in registry.parts(registry.MEMBER_HOME_BLOCKS)}
    weekly = {part.name: part for part in registry.parts(registry.WEEKLY_EMAIL_SECTIONS)}

    assert "partner-requests" in home
    assert weekly["partner-requests"].text_template == "funds/partners/_weekly_section.txt"


def test_the_home_block_costs_the_same_queries_however_many_requests(
    follower, time_machine, django_assert_num_queries
):
    posted(1, time_machine, categories=["rpl-certification"])
    request = home_request(User.objects.get(pk=follower.pk))  # nothing cached, as on a page
    with CaptureQueriesContext(connection) as few:
        home_partner_requests(request=request)
    for _ in range(8):
        posted(1, time_machine, categories=["rpl-certification", "research-data"])
    request = home_request(User.objects.get(pk=follower.pk))

    with django_assert_num_queries(len(few.captured_queries)):
        context = home_partner_requests(request=request)

    assert len(context["partner_requests"]) == 5
