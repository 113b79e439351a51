"""Conversations between connected members: messages, unread counts, leaving, blocking,
ended conversations, reports, notifications, and what staff may (not) read."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from connections import emails, services
from connections.models import ConnectionEmail, Conversation, MessagePreference, Report
from connections.parts import member_home
from members.models import Member
from network_portal import registry

from .helpers import MESSAGE, connect, introduce, member_with_owner

pytestmark = pytest.mark.django_db


@pytest.fixture
def friend():
    return member_with_owner(name="Aprendices de Arequipa", country="PE")


@pytest.fixture
def conversation(innovator, friend):
    """The two connected; the emails of the introduction and its acceptance already sent."""
    conversation = connect(innovator, friend)
    emails.connection_emails_send()
    mail.outbox.clear()
    return conversation


def test_they_exchange_messages_and_the_other_is_emailed(
    innovator, friend, conversation, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(friend.owner).post(
            conversation.get_absolute_url(), {"body": "Gladly! When can we talk?"}
        )

    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [[innovator.email]]
    email = mail.outbox[0]
    assert "Gladly! When can we talk?" in email.body
    assert f"https://portal.example.org{conversation.get_absolute_url()}" in email.body
    assert email.extra_headers["Auto-Submitted"] == "auto-generated"
    page = client_for(innovator).get(conversation.get_absolute_url()).content.decode()
    assert "Gladly! When can we talk?" in page


def test_unread_counts_and_the_nav_badge(innovator, friend, conversation, client_for):
    services.message_post(conversation=conversation, user=friend.owner, body="One")
    services.message_post(conversation=conversation, user=friend.owner, body="Two")
    client = client_for(innovator)

    index = client.get("/connections/").content.decode()
    assert "2 unread" in index
    home_page = client.get("/members/").content.decode()
    assert 'href="/connections/">Connections <span class="badge' in home_page

    client.get(conversation.get_absolute_url())
    assert (
        "unread"
        not in client.get("/connections/")
        .content.decode()
        .split("Connections and")[1]
        .split("Introductions you sent")[0]
    )


def test_the_badge_counts_introductions_to_answer(
    innovator, friend, client_for, django_capture_on_commit_callbacks
):
    client = client_for(innovator)
    assert "badge rounded-pill" not in client.get("/funds/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        introduce(friend.owner, innovator.member)

    page = client.get("/funds/").content.decode()

    assert '<span class="badge rounded-pill text-bg-light">1<span' in page


def test_the_badge_costs_no_query_and_survives_a_cache_outage(
    innovator, client_for, django_assert_num_queries, monkeypatch
):
    from connections.templatetags.connections_tags import connections_nav_link

    request = type("Request", (), {"user": innovator, "resolver_match": None})()
    with django_assert_num_queries(0):
        connections_nav_link({"request": request})

    class Down:
        def get(self, *args, **kwargs):
            raise ConnectionError("Redis is down")

    monkeypatch.setattr("connections.unread.cache", Down())
    assert connections_nav_link({"request": request})["count"] is None
    assert client_for(innovator).get("/funds/").status_code == 200


def test_notification_choice_each_daily_none(innovator, friend, conversation, client_for):
    client = client_for(innovator)
    client.post("/connections/preferences/", {"notify": "none"})
    services.message_post(conversation=conversation, user=friend.owner, body="Quiet one")
    assert not ConnectionEmail.objects.filter(kind="message").exists()

    client.post("/connections/preferences/", {"notify": "daily"})
    services.message_post(conversation=conversation, user=friend.owner, body="Daily one")
    assert not ConnectionEmail.objects.filter(kind="message").exists()
    assert emails.summaries_owe() == 1
    assert emails.summaries_owe() == 0  # one per day

    emails.connection_emails_send()
    assert [message.to for message in mail.outbox] == [[innovator.email]]
    assert "2 unread messages from" in mail.outbox[0].body
    assert conversation.get_absolute_url() in mail.outbox[0].body


def test_no_summary_once_everything_is_read(innovator, friend, conversation, client_for):
    MessagePreference.objects.create(user=innovator, notify="daily")
    services.message_post(conversation=conversation, user=friend.owner, body="Read me")
    emails.summaries_owe()
    client_for(innovator).get(conversation.get_absolute_url())

    assert emails.connection_emails_send() == 0
    assert mail.outbox == []


def test_leaving_ends_the_conversation_for_both(innovator, friend, conversation, client_for):
    client_for(innovator).post(f"/connections/conversations/{conversation.pk}/leave/")

    assert client_for(innovator).get(conversation.get_absolute_url()).status_code == 404
    page = client_for(friend.owner).get(conversation.get_absolute_url()).content.decode()
    assert "This conversation has ended" in page
    assert 'name="body"' not in page
    with pytest.raises(ValidationError):
        services.message_post(conversation=conversation, user=friend.owner, body="Hello?")


def test_leave_and_block_stops_new_introductions_silently(
    innovator, friend, conversation, client_for
):
    client_for(friend.owner).post(
        f"/connections/conversations/{conversation.pk}/leave/", {"block": "1"}
    )

    assert friend.owner.blocks_made.filter(blocked=innovator).exists()
    conversation.refresh_from_db()
    assert conversation.ended_at is not None


@pytest.mark.parametrize("change", ["hidden", "deleted"])
def test_a_hidden_or_deleted_profile_ends_the_conversation_the_other_keeps_it(
    innovator, friend, conversation, client_for, change
):
    services.message_post(conversation=conversation, user=friend.owner, body="Before I go")
    if change == "hidden":
        Member.objects.filter(pk=friend.pk).update(status=Member.Status.PENDING)
    else:
        friend.delete()

    page = client_for(innovator).get(conversation.get_absolute_url())
    assert page.status_code == 200
    assert "Before I go" in page.content.decode()
    assert "This conversation has ended" in page.content.decode()
    assert "Ended" in client_for(innovator).get("/connections/").content.decode()
    assert Conversation.objects.filter(pk=conversation.pk).exists()


def test_a_member_reports_a_message_and_staff_see_only_that_message(
    innovator, friend, conversation, client_for, staff_officer
):
    services.message_post(conversation=conversation, user=friend.owner, body="Harmless")
    bad = services.message_post(conversation=conversation, user=friend.owner, body="Abusive")

    response = client_for(innovator).post(
        f"/connections/messages/{bad.pk}/report/", {"reason": "Spam"}
    )
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.reported_text == "Abusive"

    staff = client_for(staff_officer)
    queue = staff.get("/admin/connections/report/").content.decode()
    assert friend.owner.display_name in queue
    detail = staff.get(f"/admin/connections/report/{report.pk}/change/").content.decode()
    assert "Abusive" in detail and "Spam" in detail
    assert "Harmless" not in detail and MESSAGE not in detail


def test_one_cannot_report_ones_own_message(innovator, conversation, client_for):
    mine = services.message_post(conversation=conversation, user=innovator, body="Mine")

    response = client_for(innovator).post(f"/connections/messages/{mine.pk}/report/")

    assert response.status_code == 404
    assert not Report.objects.exists()


def test_staff_see_counts_never_bodies(innovator, friend, conversation, client_for, staff_officer):
    services.message_post(conversation=conversation, user=friend.owner, body="Private words")
    staff = client_for(staff_officer)

    listing = staff.get("/admin/connections/conversation/").content.decode()
    detail = staff.get(f"/admin/connections/conversation/{conversation.pk}/change/")
    introduction = staff.get(
        f"/admin/connections/introduction/{conversation.introduction.pk}/change/"
    )

    assert listing.count('class="field-message_count">2<') == 1
    for page in (listing, detail.content.decode(), introduction.content.decode()):
        assert "Private words" not in page and MESSAGE not in page
    assert staff.get(conversation.get_absolute_url()).status_code == 404
    assert staff.get("/admin/connections/message/").status_code == 404


def test_the_member_home_block_shows_what_waits(innovator, friend, conversation, rf):
    services.message_post(conversation=conversation, user=friend.owner, body="Hi")
    stranger = member_with_owner(name="Gulu Youth Lab")
    introduce(stranger.owner, innovator.member)
    request = rf.get("/")
    request.user = innovator

    context = member_home(request=request)
    html = "".join(registry.render(registry.MEMBER_HOME_BLOCKS, request=request))

    assert [i.sender for i in context["waiting"]] == [stranger]
    assert [p.unread for p in context["unread"]] == [1]
    assert "Gulu Youth Lab introduces themself" in html
    assert "1 unread message from" in html


def test_the_member_home_block_leaves_out_those_without_a_profile(user_without_profile, rf):
    request = rf.get("/")
    request.user = user_without_profile

    assert member_home(request=request) is None


def test_messages_keep_their_order_and_time(innovator, friend, conversation):
    first = services.message_post(conversation=conversation, user=innovator, body="1")
    second = services.message_post(conversation=conversation, user=friend.owner, body="2")

    assert list(conversation.messages.values_list("body", flat=True))[-2:] == ["1", "2"]
    assert first.created_at <= second.created_at <= timezone.now()
