"""Who may open each page of introductions and conversations, persona by persona; and no
email address of either side in any page or email of an introduction."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from connections import emails, services
from tests.factories import MemberFactory, UserFactory

from .helpers import MESSAGE, connect, introduce, member_with_owner

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


@pytest.fixture
def strangers():
    """An introduction and a conversation between two members no persona is part of."""
    first, second, third = member_with_owner(), member_with_owner(), member_with_owner()
    introduction = introduce(first.owner, second)
    conversation = connect(third.owner, first)
    message = services.message_post(conversation=conversation, user=first.owner, body="Hello")
    return {"introduction": introduction, "conversation": conversation, "message": message}


EXPECTED = {
    # url name: (method, {persona: status})
    "index": (
        "get",
        {
            "user_without_profile": 200,
            "innovator": 200,
            "core_group_member": 200,
            "staff_officer": 200,
        },
    ),
    "introduce": (
        "get",
        {
            "user_without_profile": 403,
            "innovator": 200,
            "core_group_member": 200,
            "staff_officer": 403,
        },
    ),
    "introduction": (
        "get",
        {
            "user_without_profile": 404,
            "innovator": 404,
            "core_group_member": 404,
            "staff_officer": 404,
        },
    ),
    "introduction_answer": (
        "post",
        {
            "user_without_profile": 404,
            "innovator": 404,
            "core_group_member": 404,
            "staff_officer": 404,
        },
    ),
    "conversation": (
        "get",
        {
            "user_without_profile": 404,
            "innovator": 404,
            "core_group_member": 404,
            "staff_officer": 404,
        },
    ),
    "conversation_leave": (
        "post",
        {
            "user_without_profile": 404,
            "innovator": 404,
            "core_group_member": 404,
            "staff_officer": 404,
        },
    ),
    "message_report": (
        "post",
        {
            "user_without_profile": 404,
            "innovator": 404,
            "core_group_member": 404,
            "staff_officer": 404,
        },
    ),
    "preferences": (
        "post",
        {
            "user_without_profile": 302,
            "innovator": 302,
            "core_group_member": 302,
            "staff_officer": 302,
        },
    ),
}


def _path(name, strangers):
    target = strangers["introduction"].recipient
    return {
        "index": "/connections/",
        "introduce": f"/connections/introduce/{target.pk}/",
        "introduction": f"/connections/introductions/{strangers['introduction'].pk}/",
        "introduction_answer": f"/connections/introductions/{strangers['introduction'].pk}/answer/",
        "conversation": f"/connections/conversations/{strangers['conversation'].pk}/",
        "conversation_leave": f"/connections/conversations/{strangers['conversation'].pk}/leave/",
        "message_report": f"/connections/messages/{strangers['message'].pk}/report/",
        "preferences": "/connections/preferences/",
    }[name]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_permission_matrix(persona, strangers, name):
    persona_name, _user, client = persona
    method, statuses = EXPECTED[name]
    path = _path(name, strangers)
    data = {"answer": "accept", "notify": "none", "block": "1"} if method == "post" else None

    response = getattr(client, method)(path, data)

    if persona_name == "visitor":
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)
    else:
        assert response.status_code == statuses[persona_name], persona_name
    # Nothing changed for the strangers.
    strangers["introduction"].refresh_from_db()
    assert strangers["introduction"].status == "pending"
    assert strangers["conversation"].participants.filter(left_at__isnull=True).count() == 2


def test_the_introduce_button_shows_only_to_those_who_may_press_it(persona, strangers):
    persona_name, _user, client = persona
    target = strangers["introduction"].recipient

    page = client.get(target.get_absolute_url()).content.decode()

    shown = f'href="/connections/introduce/{target.pk}/"' in page
    assert shown == (persona_name in ("innovator", "core_group_member"))


def test_no_email_address_in_any_page_or_email_of_an_introduction(
    client_for, django_capture_on_commit_callbacks, rf
):
    sender_user = UserFactory(email="sender.private@example.net", full_name="Sara Sender")
    sender = MemberFactory(
        owner=sender_user, name="Sender Lab", contact_email="sender.contact@example.net"
    )
    recipient_user = UserFactory(email="recipient.private@example.net", full_name="Rui Recipient")
    recipient = MemberFactory(
        owner=recipient_user, name="Recipient Hub", contact_email="recipient.contact@example.net"
    )
    secrets = [
        b"sender.private@example.net",
        b"sender.contact@example.net",
        b"recipient.private@example.net",
        b"recipient.contact@example.net",
    ]
    sender_client, recipient_client = client_for(sender_user), client_for(recipient_user)
    pages = {}

    pages["form"] = sender_client.get(f"/connections/introduce/{recipient.pk}/")
    with django_capture_on_commit_callbacks(execute=True):
        sent = sender_client.post(f"/connections/introduce/{recipient.pk}/", {"message": MESSAGE})
    introduction_url = sent["Location"]
    pages["sender's introduction"] = sender_client.get(introduction_url)
    pages["recipient's introduction"] = recipient_client.get(introduction_url)
    pages["recipient's index"] = recipient_client.get("/connections/")
    with django_capture_on_commit_callbacks(execute=True):
        accepted = recipient_client.post(f"{introduction_url}answer/", {"answer": "accept"})
    conversation_url = accepted["Location"]
    with django_capture_on_commit_callbacks(execute=True):
        sender_client.post(conversation_url, {"body": "Thanks for accepting!"})
    with django_capture_on_commit_callbacks(execute=True):
        recipient_client.post(conversation_url, {"body": "With pleasure."})
    for side, client in (("sender", sender_client), ("recipient", recipient_client)):
        pages[f"{side}'s conversation"] = client.get(conversation_url)
        pages[f"{side}'s index"] = client.get("/connections/")
        pages[f"{side}'s profile view"] = client.get(
            (recipient if side == "sender" else sender).get_absolute_url()
        )
    pages["sender's api"] = sender_client.get("/api/members/")
    pages["recipient's api"] = recipient_client.get("/api/members/")
    services.preference_set(user=sender_user, notify="daily")
    services.message_post(
        conversation=sender_user.conversation_participations.get().conversation,
        user=recipient_user,
        body="Summary please",
    )
    emails.summaries_owe()
    emails.connection_emails_send()

    assert {response.status_code for response in pages.values()} == {200}
    kinds = sorted({email.subject.split(" ")[0] for email in mail.outbox})
    assert len(mail.outbox) >= 5, kinds  # introduction, accepted, 2 messages, summary
    for name, response in pages.items():
        for secret in secrets:
            if secret.startswith(name.split("'")[0].encode()) and "profile" not in name:
                continue  # one's own address may appear on one's own pages (the nav, etc.)
            assert secret not in response.content, (name, secret)
    for email in mail.outbox:
        raw = email.message().as_bytes()
        to = email.to[0].encode()
        for secret in secrets:
            if secret != to:
                assert secret not in raw, (email.subject, secret)


def _count_queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_the_connections_page_costs_the_same_queries_for_2_or_8_of_each(innovator, client_for):
    client = client_for(innovator)

    def add(count):
        for _ in range(count):
            connect(innovator, member_with_owner())
            introduce(member_with_owner().owner, innovator.member)

    add(1)
    client.get("/connections/")
    first = _count_queries(client, "/connections/")
    add(3)
    client.get("/connections/")
    assert _count_queries(client, "/connections/") == first


def test_a_conversation_costs_the_same_queries_for_3_or_30_messages(
    innovator, client_for, django_assert_num_queries
):
    friend = member_with_owner()
    conversation = connect(innovator, friend)
    client = client_for(innovator)
    for body in ("a", "b"):
        services.message_post(conversation=conversation, user=friend.owner, body=body)
    client.get(conversation.get_absolute_url())
    few = _count_queries(client, conversation.get_absolute_url())
    for number in range(27):
        services.message_post(conversation=conversation, user=friend.owner, body=str(number))

    with django_assert_num_queries(few):
        client.get(conversation.get_absolute_url())
