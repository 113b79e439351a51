"""Curation: members suggest calls, Core Group and ILO staff publish, reject or archive them."""

import datetime

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from funds import services
from funds.forms import FundCallForm
from funds.models import FundCall, FundCallEvent

from ..factories import UserFactory
from .factories import FundAlertFactory, FundCallFactory, SuggestedFundCallFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/funds/fundcall/"
UTC = datetime.UTC


def act(client, action, calls, **extra):
    return client.post(
        CHANGELIST,
        {"action": action, ACTION_CHECKBOX_NAME: [call.pk for call in calls], **extra},
    )


@pytest.mark.parametrize("curator", ["core_group_member", "staff_officer"])
def test_curators_publish_a_suggestion_which_is_logged_and_announced(
    request, client_for, curator, django_capture_on_commit_callbacks
):
    user = request.getfixturevalue(curator)
    call = SuggestedFundCallFactory(categories=["work-based-learning"])
    FundAlertFactory(categories=["work-based-learning"])

    with django_capture_on_commit_callbacks(execute=True):
        response = act(client_for(user), "publish", [call])

    assert response.status_code == 302
    call.refresh_from_db()
    assert call.status == FundCall.Status.PUBLISHED
    assert call.published_at is not None
    event = call.events.first()
    assert (event.actor, event.from_status, event.to_status) == (user, "suggested", "published")
    assert len(mail.outbox) == 2  # the subscriber, and the person who suggested it


@pytest.mark.parametrize("who", ["visitor", "user_without_profile", "innovator"])
def test_plain_members_never_reach_the_admin_nor_publish(request, client_for, who):
    user = None if who == "visitor" else request.getfixturevalue(who)
    call = SuggestedFundCallFactory()
    client = client_for(user)

    assert client.get(CHANGELIST).status_code == 302
    response = act(client, "publish", [call])

    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")
    call.refresh_from_db()
    assert call.status == FundCall.Status.SUGGESTED
    assert mail.outbox == []


def test_staff_without_the_curators_permissions_cannot_publish(client_for):
    clerk = UserFactory(is_staff=True)
    call = SuggestedFundCallFactory()

    assert client_for(clerk).get(CHANGELIST).status_code == 403
    act(client_for(clerk), "publish", [call])

    call.refresh_from_db()
    assert call.status == FundCall.Status.SUGGESTED


def test_rejecting_asks_for_a_reason_and_emails_it_to_the_suggester(
    client_for, core_group_member, django_capture_on_commit_callbacks
):
    author = UserFactory(preferred_language="fr")
    call = SuggestedFundCallFactory(
        title="Lottery jackpot", suggested_by=author, categories=["work-based-learning"]
    )
    client = client_for(core_group_member)

    page = act(client, "reject", [call])
    assert page.status_code == 200
    assert "Reason" in page.content.decode()
    assert "Lottery jackpot" in page.content.decode()
    empty = act(client, "reject", [call], apply="1", reason="  ")
    assert empty.status_code == 200
    assert "This field is required." in empty.content.decode()
    call.refresh_from_db()
    assert call.status == FundCall.Status.SUGGESTED

    with django_capture_on_commit_callbacks(execute=True):
        done = act(client, "reject", [call], apply="1", reason="Not a funding opportunity.")

    assert done.status_code == 302
    call.refresh_from_db()
    assert call.status == FundCall.Status.REJECTED
    assert call.rejection_reason == "Not a funding opportunity."
    (message,) = mail.outbox
    assert message.to == [author.email]
    assert "Not a funding opportunity." in message.body
    assert call.events.first().note == "Not a funding opportunity."


def test_archiving_and_forbidden_moves_are_reported_not_applied(client_for, staff_officer):
    published = FundCallFactory()
    suggestion = SuggestedFundCallFactory()
    client = client_for(staff_officer)

    response = act(client, "archive", [published, suggestion])
    messages = [str(m) for m in response.wsgi_request._messages]

    published.refresh_from_db()
    suggestion.refresh_from_db()
    assert published.status == FundCall.Status.ARCHIVED
    assert suggestion.status == FundCall.Status.SUGGESTED
    assert any("cannot become" in m for m in messages)
    assert any("1 call archived." in m for m in messages)


def test_the_status_map_is_enforced_by_the_model_and_the_database(staff_officer):
    call = FundCallFactory(status=FundCall.Status.ARCHIVED)

    with pytest.raises(ValidationError):
        services.fundcall_publish(call=call, by=staff_officer)
    with pytest.raises(IntegrityError), transaction.atomic():
        FundCall.objects.filter(pk=call.pk).update(status="deleted")
    with pytest.raises(IntegrityError), transaction.atomic():
        FundCall.objects.filter(pk=call.pk).update(status="rejected", rejection_reason="")
    assert not FundCallEvent.objects.filter(call=call).exists()


def test_a_call_past_its_deadline_cannot_be_published(staff_officer):
    call = SuggestedFundCallFactory(deadline=datetime.datetime(2020, 1, 1, tzinfo=UTC))

    with pytest.raises(ValidationError, match="deadline"):
        services.fundcall_publish(call=call, by=staff_officer)

    call.refresh_from_db()
    assert call.status == FundCall.Status.SUGGESTED


def test_a_sig_leads_queue_starts_on_their_category_and_can_show_all(
    client_for, core_group_member, staff_officer
):
    FundCallFactory(title="Apprentices", categories=["work-based-learning"])
    FundCallFactory(title="Start-ups", categories=["entrepreneurship"])

    def listed(client, query=""):
        changelist = client.get(CHANGELIST + query).context["cl"]
        return sorted(call.title for call in changelist.result_list)

    lead = client_for(core_group_member)
    assert listed(lead) == ["Apprentices"]
    assert listed(lead, "?category=all") == ["Apprentices", "Start-ups"]
    assert listed(lead, "?category=entrepreneurship") == ["Start-ups"]
    assert listed(client_for(staff_officer)) == ["Apprentices", "Start-ups"]


def test_the_queue_filters_by_status_and_searches(client_for, staff_officer):
    SuggestedFundCallFactory(title="Youth employment prize")
    FundCallFactory(title="Green skills grant")
    client = client_for(staff_officer)

    suggested = client.get(CHANGELIST + "?status__exact=suggested").context["cl"].result_list
    found = client.get(CHANGELIST + "?q=green").context["cl"].result_list

    assert [call.title for call in suggested] == ["Youth employment prize"]
    assert [call.title for call in found] == ["Green skills grant"]


def test_a_curator_enters_a_call_with_the_funders_17_00_and_its_history_shows(
    client_for, staff_officer
):
    client = client_for(staff_officer)
    data = {
        "title": "TVET Innovation Grant",
        "funder": "European Training Foundation",
        "source_type": "multilateral",
        "link": "https://etf.example.org/call",
        "description": "Grants for TVET innovators.",
        "categories": ["1"],
        "deadline": "2026-04-30T17:00",
        "deadline_time_zone": "Europe/Paris",
        "currency": "",
        "events-TOTAL_FORMS": "0",
        "events-INITIAL_FORMS": "0",
    }
    from categories.models import Category

    data["categories"] = [Category.objects.get(slug="training-delivery").pk]

    response = client.post("/admin/funds/fundcall/add/", data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    call = FundCall.objects.get()
    assert call.deadline == datetime.datetime(2026, 4, 30, 15, 0, tzinfo=UTC)  # 17:00 CEST
    assert call.status == FundCall.Status.SUGGESTED
    page = client.get(f"/admin/funds/fundcall/{call.pk}/change/").content.decode()
    assert "2026-04-30T17:00" in page
    assert "Created" in page


def test_a_member_suggests_a_call_and_is_told_it_awaits_review(client_for, innovator):
    from categories.models import Category

    response = client_for(innovator).post(
        "/funds/suggest/",
        {
            "title": "Crowdfund your training app",
            "funder": "SkillsCrowd",
            "source_type": "crowdfunding",
            "link": "skillscrowd.example.org/apply",
            "description": "Matched crowdfunding for training apps.",
            "categories": [Category.objects.get(slug="training-delivery").pk],
            "eligible_regions": ["africa"],
            "deadline": "2030-06-01T23:59",
            "deadline_time_zone": "Africa/Nairobi",
            "amount_max": "25000",
            "currency": "kes",
        },
        follow=True,
    )

    assert "awaits review" in response.content.decode()
    call = FundCall.objects.get()
    assert call.status == FundCall.Status.SUGGESTED
    assert call.suggested_by == innovator
    assert call.link == "https://skillscrowd.example.org/apply"
    assert call.currency == "KES"
    assert call.deadline == datetime.datetime(2030, 6, 1, 20, 59, tzinfo=UTC)
    assert call.events.get().to_status == "suggested"
    assert FundCall.objects.open().count() == 0


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"deadline": "2020-01-01T12:00"}, "The deadline has passed already."),
        ({"deadline_time_zone": "Mars/Olympus"}, "Select a valid choice."),
        ({"deadline": "2030-03-31T02:30", "deadline_time_zone": "Europe/Paris"}, "does not exist"),
        ({"amount_min": "500", "amount_max": "100", "currency": "USD"}, "exceeds the maximum"),
        ({"amount_min": "500"}, "needs its currency"),
        ({"currency": "US1", "amount_min": "5"}, "three-letter"),
    ],
)
def test_a_bad_suggestion_shows_a_clear_error_and_saves_nothing(
    client_for, innovator, change, error
):
    from categories.models import Category

    data = {
        "title": "Anything",
        "funder": "Someone",
        "source_type": "other",
        "link": "https://example.org",
        "description": "Text",
        "categories": [Category.objects.get(slug="training-delivery").pk],
        "deadline": "2030-06-01T12:00",
        "deadline_time_zone": "UTC",
        **change,
    }

    response = client_for(innovator).post("/funds/suggest/", data)

    assert response.status_code == 200
    assert error in response.content.decode()
    assert not FundCall.objects.exists()


def test_the_suggest_form_labels_every_field(client_for, innovator):
    content = client_for(innovator).get("/funds/suggest/").content.decode()

    for name in ("title", "funder", "link", "deadline", "deadline_time_zone", "currency"):
        assert f'for="id_{name}"' in content
    assert content.count("<h1") == 1


def change_data(call, **changes):
    """The admin change form of ``call`` as a curator submits it, with ``changes``."""
    data = {
        "title": call.title,
        "funder": call.funder,
        "source_type": call.source_type,
        "link": call.link,
        "description": call.description,
        "categories": [category.pk for category in call.categories.all()],
        "eligible_regions": call.eligible_regions,
        "eligible_member_types": call.eligible_member_types,
        "opening_date": "",
        "deadline": call.deadline_in_funder_zone.strftime("%Y-%m-%dT%H:%M"),
        "deadline_time_zone": call.deadline_time_zone,
        "amount_min": "",
        "amount_max": "",
        "currency": "",
        "amount_text": "",
        "events-TOTAL_FORMS": "0",
        "events-INITIAL_FORMS": "0",
    }
    return {**data, **changes}


def test_editing_a_call_in_the_admin_keeps_a_status_change_made_meanwhile(
    client_for, staff_officer, monkeypatch
):
    call = FundCallFactory(title="Green skills grant", categories=["training-delivery"])
    clean = FundCallForm.clean

    def closed_meanwhile(form):
        # A colleague closes the call after this request read it and before it saves.
        FundCall.objects.filter(pk=call.pk).update(status=FundCall.Status.CLOSED)
        return clean(form)

    monkeypatch.setattr(FundCallForm, "clean", closed_meanwhile)

    response = client_for(staff_officer).post(
        f"/admin/funds/fundcall/{call.pk}/change/", change_data(call, title="Green jobs grant")
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    call.refresh_from_db()
    assert call.title == "Green jobs grant"
    assert call.status == FundCall.Status.CLOSED


def test_changing_only_the_funders_zone_in_the_admin_moves_the_deadline(client_for, staff_officer):
    call = FundCallFactory(
        deadline=datetime.datetime(2030, 4, 30, 15, 0, tzinfo=UTC),  # 17:00 in Paris
        deadline_time_zone="Europe/Paris",
        categories=["training-delivery"],
    )

    response = client_for(staff_officer).post(
        f"/admin/funds/fundcall/{call.pk}/change/",
        change_data(call, deadline_time_zone="America/Bogota"),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    call.refresh_from_db()
    assert call.deadline == datetime.datetime(2030, 4, 30, 22, 0, tzinfo=UTC)  # 17:00 in Bogota
