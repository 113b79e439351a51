"""Partner requests on fund calls: who may do what, the form, the lists and their filters."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from funds.models import FundCall, PartnerRequest
from funds.views import PAGE_SIZE
from members.models import Member

from ..factories import MemberFactory, UserFactory
from .factories import FollowFactory, FundCallFactory, PartnerRequestFactory

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
DAY = datetime.timedelta(days=1)
NOW = datetime.datetime(2026, 3, 6, 15, 0, tzinfo=UTC)
WITH_PROFILE = {"innovator", "core_group_member"}
MODERATORS = {"core_group_member", "staff_officer"}


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def call(frozen):
    return FundCallFactory(
        title="Apprenticeship Scale-up Grants",
        deadline=NOW + 20 * DAY,
        categories=["work-based-learning"],
    )


@pytest.fixture
def strangers_request(call):
    """A request by someone none of the personas is."""
    return PartnerRequestFactory(
        call=call,
        member=MemberFactory(name="Kenya Dual Training", country="KE"),
        seeking="A co-applicant in West Africa for dual training.",
        categories=["work-based-learning"],
    )


def seekings(response):
    return [request.seeking for request in response.context["page"].object_list]


def form_data(**overrides):
    data = {
        "role": PartnerRequest.Role.CO_APPLICANT,
        "categories": [category_pk("work-based-learning")],
        "regions": ["africa"],
        "offer": "Forty tailoring workshops in Dakar and their masters' trust.",
        "seeking": "A TVET institution to certify the skills of apprentices.",
        "open_until": "",
    }
    data.update(overrides)
    return data


def category_pk(slug):
    from categories.models import Category

    return str(Category.objects.get(slug=slug).pk)


# ---- Permission matrix --------------------------------------------------------------------


def test_partner_search_is_for_signed_in_users(persona, strangers_request):
    name, _user, client = persona

    listing = client.get("/funds/partners/")
    detail = client.get(strangers_request.get_absolute_url())

    if name == "visitor":
        assert listing.status_code == detail.status_code == 302
        assert "login" in listing.url and "login" in detail.url
    else:
        assert listing.status_code == detail.status_code == 200
        assert seekings(listing) == [strangers_request.seeking]
        assert strangers_request.seeking in detail.content.decode()


def test_posting_a_request_needs_a_profile(persona, call):
    name, _user, client = persona

    response = client.get(f"/funds/{call.pk}/partners/new/")

    if name == "visitor":
        assert response.status_code == 302 and "login" in response.url
    elif name in WITH_PROFILE:
        assert response.status_code == 200
        assert response.content.decode().count("<h1") == 1
    else:  # signed in without a profile (the staff officer has none either)
        assert response.status_code == 302 and response.url == "/members/start/"


def test_only_members_with_a_profile_post_a_request(persona, call):
    name, user, client = persona

    response = client.post(f"/funds/{call.pk}/partners/new/", form_data())

    assert response.status_code == 302
    if name in WITH_PROFILE:
        posted = PartnerRequest.objects.get()
        assert (posted.user, posted.member) == (user, user.member)
        assert response.url == posted.get_absolute_url()
    else:
        assert not PartnerRequest.objects.exists()
        assert "login" in response.url if name == "visitor" else response.url == "/members/start/"


def test_only_the_poster_may_edit_or_close_a_request(persona, strangers_request):
    name, _user, client = persona
    url = strangers_request.get_absolute_url()

    edit = client.get(f"{url}edit/")
    edit_post = client.post(f"{url}edit/", form_data(seeking="Taken over"))
    close = client.post(f"{url}close/")

    expected = 302 if name == "visitor" else 403
    assert edit.status_code == edit_post.status_code == close.status_code == expected
    strangers_request.refresh_from_db()
    assert strangers_request.closed_at is None
    assert strangers_request.seeking == "A co-applicant in West Africa for dual training."


@pytest.mark.parametrize("name", sorted(WITH_PROFILE))
def test_the_poster_edits_and_closes_their_own_request(request, client_for, call, name):
    user = request.getfixturevalue(name)
    own = PartnerRequestFactory(call=call, member=user.member, categories=["work-based-learning"])
    client = client_for(user)

    page = client.get(f"{own.get_absolute_url()}edit/")
    saved = client.post(
        f"{own.get_absolute_url()}edit/",
        form_data(categories=[category_pk("rpl-certification")], seeking="A certifier"),
    )
    closed = client.post(f"{own.get_absolute_url()}close/")

    assert page.status_code == 200
    assert saved.status_code == closed.status_code == 302
    own.refresh_from_db()
    assert own.seeking == "A certifier"
    assert [c.slug for c in own.categories.all()] == ["rpl-certification"]
    assert own.closed_at == NOW
    assert not PartnerRequest.objects.open().filter(pk=own.pk).exists()
    # Closed is closed: the edit form sends the poster back to the request.
    assert client.get(f"{own.get_absolute_url()}edit/").url == own.get_absolute_url()


def test_closing_needs_a_post(client_for, innovator, call):
    own = PartnerRequestFactory(call=call, member=innovator.member)

    response = client_for(innovator).get(f"{own.get_absolute_url()}close/")

    assert response.status_code == 405
    own.refresh_from_db()
    assert own.closed_at is None


def test_moderators_hide_requests_in_the_admin(persona, strangers_request):
    name, user, client = persona

    changelist = client.get("/admin/funds/partnerrequest/")
    change = client.get(f"/admin/funds/partnerrequest/{strangers_request.pk}/change/")
    hide = client.post(
        "/admin/funds/partnerrequest/",
        {"action": "hide", "_selected_action": [strangers_request.pk]},
    )

    strangers_request.refresh_from_db()
    if name in MODERATORS:
        assert changelist.status_code == change.status_code == 200
        assert b'name="_save"' not in change.content  # read only: moderators hide, not rewrite
        assert strangers_request.hidden_at == NOW and strangers_request.hidden_by == user
        assert not PartnerRequest.objects.visible_to(UserFactory()).exists()
    else:
        assert changelist.status_code == change.status_code == hide.status_code == 302
        assert "login" in changelist.url
        assert strangers_request.hidden_at is None


def test_a_hidden_request_is_seen_by_its_poster_only(client_for, innovator, call):
    own = PartnerRequestFactory(call=call, member=innovator.member, hidden_at=NOW)

    mine = client_for(innovator).get(own.get_absolute_url())
    theirs = client_for(UserFactory()).get(own.get_absolute_url())

    assert mine.status_code == 200
    assert "Moderators hid this request" in mine.content.decode()
    assert theirs.status_code == 404
    assert seekings(client_for(innovator).get("/funds/partners/")) == []


# ---- Posting: the form -------------------------------------------------------------------


def test_an_innovator_posts_a_request_from_the_call_page(client_for, innovator, call):
    client = client_for(innovator)
    page = client.get(call.get_absolute_url()).content.decode()
    assert f"/funds/{call.pk}/partners/new/" in page and "Post a partner request" in page

    response = client.post(
        f"/funds/{call.pk}/partners/new/",
        form_data(
            categories=[category_pk("work-based-learning")], countries=["SN", "CI"], open_until=""
        ),
    )

    posted = PartnerRequest.objects.get()
    assert response.status_code == 302 and response.url == posted.get_absolute_url()
    assert (posted.member, posted.user, posted.call) == (innovator.member, innovator, call)
    assert posted.countries == ["SN", "CI"] and posted.regions == ["africa"]
    assert posted.open_until is None and posted.closes_at == call.deadline
    assert posted.seeking in client.get(call.get_absolute_url()).content.decode()


def test_the_form_starts_with_the_calls_categories(client_for, innovator, call):
    form = client_for(innovator).get(f"/funds/{call.pk}/partners/new/").context["form"]

    assert [c.slug for c in form.initial["categories"]] == ["work-based-learning"]


def test_open_until_after_the_deadline_is_refused_with_a_clear_message(client_for, innovator, call):
    late = (NOW + 21 * DAY).date().isoformat()

    response = client_for(innovator).post(
        f"/funds/{call.pk}/partners/new/", form_data(open_until=late)
    )

    assert response.status_code == 200
    errors = response.context["form"].errors["open_until"]
    assert errors == [
        "The call closes on March 26, 2026: your request can stay open until then at the "
        "latest. Choose that day or an earlier one, or leave the field empty."
    ]
    assert not PartnerRequest.objects.exists()


def test_open_until_the_deadline_day_closes_with_the_call(client_for, innovator, call):
    client_for(innovator).post(
        f"/funds/{call.pk}/partners/new/",
        form_data(open_until=call.deadline.date().isoformat()),
    )

    assert PartnerRequest.objects.get().open_until == call.deadline


def test_open_until_a_day_ends_at_midnight_in_the_posters_time_zone(client_for, innovator, call):
    innovator.time_zone = "Africa/Dakar"  # UTC+0 all year
    innovator.save()
    client_for(innovator).post(
        f"/funds/{call.pk}/partners/new/", form_data(open_until="2026-03-10")
    )

    assert PartnerRequest.objects.get().open_until == datetime.datetime(2026, 3, 11, tzinfo=UTC)


def test_open_until_in_the_past_is_refused(client_for, innovator, call):
    response = client_for(innovator).post(
        f"/funds/{call.pk}/partners/new/", form_data(open_until="2026-03-01")
    )

    assert response.context["form"].errors["open_until"] == [
        "This day has passed: choose today or a later day."
    ]


def test_what_we_bring_and_seek_are_required(client_for, innovator, call):
    response = client_for(innovator).post(
        f"/funds/{call.pk}/partners/new/", form_data(offer="", seeking="  ")
    )

    assert set(response.context["form"].errors) == {"offer", "seeking"}
    assert not PartnerRequest.objects.exists()


def test_a_closed_call_takes_no_new_request(client_for, innovator, call):
    FundCall.objects.filter(pk=call.pk).update(status=FundCall.Status.CLOSED)

    response = client_for(innovator).post(f"/funds/{call.pk}/partners/new/", form_data())

    assert response.status_code == 302 and response.url == call.get_absolute_url()
    assert not PartnerRequest.objects.exists()


DUPLICATE = "You already look for this role on this call: edit that request instead."


def test_posting_twice_for_the_same_role_posts_once(client_for, innovator, call):
    client = client_for(innovator)
    client.post(f"/funds/{call.pk}/partners/new/", form_data())

    again = client.post(f"/funds/{call.pk}/partners/new/", form_data())
    other_role = client.post(f"/funds/{call.pk}/partners/new/", form_data(role="expert"))

    assert again.status_code == 200
    assert again.context["form"].non_field_errors() == [DUPLICATE]
    assert other_role.status_code == 302
    assert sorted(PartnerRequest.objects.values_list("role", flat=True)) == [
        "co-applicant",
        "expert",
    ]


def test_a_request_past_its_last_day_makes_way_for_a_new_one(
    client_for, innovator, call, time_machine
):
    old = PartnerRequestFactory(call=call, member=innovator.member, open_until=NOW + DAY)
    time_machine.move_to(NOW + 2 * DAY, tick=False)

    response = client_for(innovator).post(f"/funds/{call.pk}/partners/new/", form_data())

    assert response.status_code == 302
    old.refresh_from_db()
    assert old.closed_at == NOW + DAY
    assert PartnerRequest.objects.open().count() == 1


def test_editing_to_a_role_already_sought_is_refused(client_for, innovator, call):
    PartnerRequestFactory(call=call, member=innovator.member, role="expert")
    other = PartnerRequestFactory(call=call, member=innovator.member, role="co-applicant")

    response = client_for(innovator).post(
        f"{other.get_absolute_url()}edit/", form_data(role="expert")
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [DUPLICATE]
    other.refresh_from_db()
    assert other.role == "co-applicant"


def test_the_database_refuses_a_second_unclosed_request_for_a_role(call):
    first = PartnerRequestFactory(call=call)
    with pytest.raises(IntegrityError), transaction.atomic():
        PartnerRequestFactory(call=call, member=first.member, role=first.role)


def test_the_database_refuses_open_until_after_the_deadline(call):
    with pytest.raises(IntegrityError), transaction.atomic():
        PartnerRequestFactory(call=call, open_until=call.deadline + datetime.timedelta(hours=1))


def test_closing_still_works_after_the_deadline_moved_earlier(client_for, innovator, call):
    own = PartnerRequestFactory(call=call, member=innovator.member, open_until=NOW + 10 * DAY)
    FundCall.objects.filter(pk=call.pk).update(deadline=NOW + 5 * DAY)

    client_for(innovator).post(f"{own.get_absolute_url()}close/")

    own.refresh_from_db()
    assert own.closed_at == NOW


def test_the_database_refuses_a_request_that_says_nothing(call):
    with pytest.raises(IntegrityError), transaction.atomic():
        PartnerRequestFactory(call=call, offer="")


# ---- Closing by itself --------------------------------------------------------------------


def test_a_request_closes_by_itself_with_its_call(call, strangers_request):
    def is_open(now):
        return PartnerRequest.objects.open(now=now).filter(pk=strangers_request.pk).exists()

    assert is_open(NOW)
    assert not is_open(call.deadline)
    FundCall.objects.filter(pk=call.pk).update(status=FundCall.Status.CLOSED)
    assert not is_open(NOW)


def test_a_request_closes_by_itself_at_its_own_date(call):
    partner_request = PartnerRequestFactory(call=call, open_until=NOW + 3 * DAY)

    assert PartnerRequest.objects.open(now=NOW + 2 * DAY).get() == partner_request
    assert not PartnerRequest.objects.open(now=NOW + 3 * DAY).exists()


def test_the_page_of_a_closed_call_lists_no_request(client_for, innovator, call, strangers_request):
    FundCall.objects.filter(pk=call.pk).update(status=FundCall.Status.CLOSED)

    page = client_for(innovator).get(call.get_absolute_url()).content.decode()

    assert strangers_request.seeking not in page
    assert "its partner requests are closed too" in page
    assert "Post a partner request" not in page


# ---- Who sees which request -----------------------------------------------------------------


def test_visitors_see_no_request_on_the_call_page(visitor, strangers_request):
    page = visitor.get(strangers_request.call.get_absolute_url()).content.decode()

    assert strangers_request.seeking not in page
    assert "Sign in to see their requests" in page


def test_requests_of_profiles_awaiting_approval_are_shown_only_to_approvers(
    client_for, innovator, core_group_member, call
):
    pending = PartnerRequestFactory(
        call=call, member=MemberFactory(status=Member.Status.PENDING, is_public=False)
    )

    assert seekings(client_for(innovator).get("/funds/partners/")) == []
    assert (
        pending.seeking not in client_for(innovator).get(call.get_absolute_url()).content.decode()
    )
    assert client_for(innovator).get(pending.get_absolute_url()).status_code == 404
    assert seekings(client_for(core_group_member).get("/funds/partners/")) == [pending.seeking]
    assert client_for(pending.user).get(pending.get_absolute_url()).status_code == 200


def test_no_email_address_shows_on_partner_pages(client_for, innovator, strangers_request):
    client = client_for(innovator)
    pages = [
        client.get("/funds/partners/"),
        client.get(strangers_request.get_absolute_url()),
        client.get(strangers_request.call.get_absolute_url()),
    ]

    for response in pages:
        body = response.content.decode()
        assert strangers_request.member.contact_email not in body
        assert strangers_request.user.email not in body


# ---- /funds/partners/: filters, order, queries ----------------------------------------------


@pytest.fixture
def spread(frozen):
    """Requests spread over categories, roles, calls and the places they want partners from."""
    rpl_call = FundCallFactory(title="RPL pilots", categories=["rpl-certification"])
    wbl_call = FundCallFactory(title="Apprenticeships", categories=["work-based-learning"])
    make = PartnerRequestFactory
    return {
        "africa": make(call=wbl_call, regions=["africa"], categories=["work-based-learning"]),
        "senegal": make(
            call=wbl_call, countries=["SN"], role="expert", categories=["rpl-certification"]
        ),
        "anywhere": make(call=rpl_call, categories=["rpl-certification"], role="lead-applicant"),
        "americas": make(call=rpl_call, regions=["americas"], countries=["FR"], role="expert"),
        "calls": (wbl_call, rpl_call),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"africa", "senegal", "anywhere", "americas"}),
        ("category=rpl-certification", {"senegal", "anywhere"}),
        (
            "category=rpl-certification&category=work-based-learning",
            {"africa", "senegal", "anywhere"},
        ),
        ("region=africa", {"africa", "senegal", "anywhere"}),
        ("region=europe-central-asia", {"anywhere", "americas"}),
        ("region=arab-states", {"anywhere"}),
        ("role=expert", {"senegal", "americas"}),
        ("role=expert&region=africa", {"senegal"}),
    ],
)
def test_the_filters_return_the_right_requests(client_for, innovator, spread, query, expected):
    response = client_for(innovator).get(f"/funds/partners/?{query}")

    by_seeking = {request.seeking: key for key, request in spread.items() if key != "calls"}
    assert {by_seeking[seeking] for seeking in seekings(response)} == expected


def test_only_my_requests(client_for, innovator, spread):
    own = PartnerRequestFactory(member=innovator.member, seeking="mine")

    response = client_for(innovator).get("/funds/partners/?mine=on")

    assert seekings(response) == [own.seeking]
    assert "Your request" in response.content.decode()


def test_the_call_filter_lists_the_requests_of_one_call(client_for, innovator, spread):
    wbl_call, _rpl_call = spread["calls"]

    response = client_for(innovator).get(f"/funds/partners/?call={wbl_call.pk}")

    assert set(seekings(response)) == {spread["africa"].seeking, spread["senegal"].seeking}


@pytest.mark.parametrize("query", ["category=nope", "region=mars", "role=boss", "call=999999"])
def test_an_invalid_filter_shows_its_error_and_no_request(client_for, innovator, spread, query):
    response = client_for(innovator).get(f"/funds/partners/?{query}")

    assert response.status_code == 200
    assert seekings(response) == []
    assert not response.context["valid"]
    assert "Correct the filters" in response.content.decode()


def test_newest_first_or_closing_soonest(client_for, innovator, frozen, time_machine):
    late = FundCallFactory(deadline=NOW + 60 * DAY)
    early = FundCallFactory(deadline=NOW + 10 * DAY)
    first = PartnerRequestFactory(call=early, seeking="posted first, closes soonest")
    time_machine.move_to(NOW + datetime.timedelta(hours=1), tick=False)
    second = PartnerRequestFactory(call=late, seeking="posted second, closes last")
    third = PartnerRequestFactory(
        call=late, open_until=NOW + 20 * DAY, seeking="posted third, its own date"
    )
    client = client_for(innovator)

    assert seekings(client.get("/funds/partners/")) == [
        third.seeking,
        second.seeking,
        first.seeking,
    ]
    assert seekings(client.get("/funds/partners/?order=closing")) == [
        first.seeking,
        third.seeking,
        second.seeking,
    ]


def test_the_list_says_what_to_do_when_empty(client_for, user_without_profile, frozen):
    body = client_for(user_without_profile).get("/funds/partners/").content.decode()

    assert "0 open partner requests" in body
    assert "No open partner request matches these filters" in body
    assert "Create your profile" in body


def test_the_list_costs_the_same_queries_whatever_its_length(
    client_for, innovator, django_assert_num_queries, frozen
):
    client = client_for(innovator)
    PartnerRequestFactory.create_batch(2, categories=["work-based-learning"])
    with CaptureQueriesContext(connection) as few:
        client.get("/funds/partners/")
    PartnerRequestFactory.create_batch(
        PAGE_SIZE + 5, categories=["rpl-certification", "research-data"]
    )

    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get("/funds/partners/")

    assert len(response.context["page"].object_list) == PAGE_SIZE


def test_the_call_page_costs_the_same_queries_whatever_its_requests(
    client_for, innovator, django_assert_num_queries, call
):
    client = client_for(innovator)
    PartnerRequestFactory(call=call, categories=["work-based-learning"])
    with CaptureQueriesContext(connection) as few:
        client.get(call.get_absolute_url())
    PartnerRequestFactory.create_batch(12, call=call, categories=["rpl-certification"])

    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(call.get_absolute_url())

    assert len(response.context["partner_requests"]) == 10
    assert response.context["more_partner_requests"]


# ---- /funds/: calls with partner requests --------------------------------------------------


def titles(response):
    return [call.title for call in response.context["page"].object_list]


def test_the_funds_list_filters_calls_with_partner_requests(client_for, innovator, frozen):
    sought = FundCallFactory(title="Sought")
    FundCallFactory(title="Quiet")
    closed_only = FundCallFactory(title="Closed requests only")
    PartnerRequestFactory(call=sought)
    PartnerRequestFactory(call=closed_only, closed_at=NOW)
    client = client_for(innovator)

    response = client.get("/funds/?partners=on")

    assert titles(response) == ["Sought"]
    body = client.get("/funds/").content.decode()
    assert f"/funds/partners/?call={sought.pk}" in body and "1 partner request" in body


def test_visitors_are_told_to_sign_in_for_calls_with_partner_requests(visitor, frozen):
    PartnerRequestFactory()

    response = visitor.get("/funds/?partners=on")

    assert response.status_code == 200
    assert titles(response) == []
    assert "Sign in to see the calls members seek partners for." in response.content.decode()
    assert 'name="partners"' not in visitor.get("/funds/").content.decode()


def test_followers_are_not_emailed_when_a_request_is_posted(
    client_for, innovator, call, mailoutbox
):
    FollowFactory(call=call)

    client_for(innovator).post(f"/funds/{call.pk}/partners/new/", form_data())

    assert PartnerRequest.objects.count() == 1
    assert mailoutbox == []


def test_a_request_for_a_deleted_profile_goes_with_it(call, strangers_request):
    strangers_request.member.delete()

    assert not PartnerRequest.objects.exists()
