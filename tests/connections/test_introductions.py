"""Introducing yourself to a member: who may, the limits, blocks and the 90-day cool-down."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from connections import services
from connections.models import ConnectionEmail, Introduction
from members.models import Member
from tests.factories import ImportedMemberFactory

from .helpers import MESSAGE, connect, introduce, member_with_owner

pytestmark = pytest.mark.django_db


@pytest.fixture
def recipient():
    return member_with_owner(name="Kisumu Jobs Lab", country="KE")


def test_innovator_introduces_themself_and_the_recipient_is_emailed(
    innovator, recipient, client_for, django_capture_on_commit_callbacks
):
    client = client_for(innovator)
    page = client.get(f"/connections/introduce/{recipient.pk}/")
    assert page.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/connections/introduce/{recipient.pk}/", {"message": MESSAGE})

    introduction = Introduction.objects.get()
    assert response.status_code == 302
    assert response["Location"] == introduction.get_absolute_url()
    assert introduction.sender == innovator.member
    assert introduction.status == Introduction.Status.PENDING
    assert [message.to for message in mail.outbox] == [[recipient.owner.email]]
    body = mail.outbox[0].body
    assert "Ines Skills Lab" in body and MESSAGE in body
    assert f"/connections/introductions/{introduction.pk}/?answer=accept" in body


def test_the_email_is_written_in_the_recipients_language(
    innovator, django_capture_on_commit_callbacks
):
    recipient = member_with_owner()
    recipient.owner.preferred_language = "es"
    recipient.owner.save()
    with django_capture_on_commit_callbacks(execute=True):
        introduce(innovator, recipient)

    assert '<html lang="es">' in mail.outbox[0].alternatives[0][0]
    assert "Aceptar" in mail.outbox[0].alternatives[0][0] or "Accept" in mail.outbox[0].body


def test_the_message_has_length_limits(innovator, recipient, client_for):
    client = client_for(innovator)
    short = client.post(f"/connections/introduce/{recipient.pk}/", {"message": "Hi!"})
    long = client.post(f"/connections/introduce/{recipient.pk}/", {"message": "x" * 1501})

    assert short.status_code == long.status_code == 200
    assert "at least 30 characters" in short.content.decode()
    assert "at most 1500 characters" in long.content.decode()
    assert not Introduction.objects.exists()


def test_unclaimed_imported_profiles_cannot_be_contacted(innovator, client_for):
    imported = ImportedMemberFactory()

    response = client_for(innovator).get(f"/connections/introduce/{imported.pk}/")

    assert response.status_code == 403
    assert "not been claimed" in response.content.decode()
    with pytest.raises(ValidationError):
        introduce(innovator, imported)


def test_a_profile_that_takes_no_introductions_shows_no_button(innovator, client_for):
    closed = member_with_owner(accepts_introductions=False)
    open_ = member_with_owner()
    client = client_for(innovator)

    assert "Introduce yourself" not in client.get(closed.get_absolute_url()).content.decode()
    assert client.get(f"/connections/introduce/{closed.pk}/").status_code == 403
    page = client.get(open_.get_absolute_url()).content.decode()
    assert f'href="/connections/introduce/{open_.pk}/"' in page


def test_the_owner_turns_introductions_off_in_the_profile_form(innovator, client_for):
    member = innovator.member
    form = client_for(innovator).get(f"/members/{member.pk}/edit/")
    assert form.context["form"]["accepts_introductions"].value() is True

    assert Member._meta.get_field("accepts_introductions").default is True
    assert ImportedMemberFactory().accepts_introductions is True  # on once claimed


def test_one_open_introduction_per_pair(innovator, recipient):
    introduce(innovator, recipient)

    with pytest.raises(ValidationError, match="already introduced yourself"):
        introduce(innovator, recipient)
    with pytest.raises(IntegrityError):
        Introduction.objects.create(
            sender=innovator.member, recipient=recipient, message=MESSAGE, sender_user=innovator
        )


def test_connected_members_cannot_introduce_themselves_again_either_way(innovator, recipient):
    connect(innovator, recipient)

    with pytest.raises(ValidationError, match="already connected"):
        introduce(innovator, recipient)
    with pytest.raises(ValidationError, match="already connected"):
        introduce(recipient.owner, innovator.member)


def test_at_most_one_connection_per_pair_in_the_database(innovator, recipient):
    connect(innovator, recipient)
    now = timezone.now()

    with pytest.raises(IntegrityError):
        Introduction.objects.create(
            sender=recipient,
            recipient=innovator.member,
            message=MESSAGE,
            status="accepted",
            answered_at=now,
            accepted_at=now,
        )


def test_five_introductions_a_day(innovator):
    for _ in range(services.DAILY_LIMIT):
        introduce(innovator, member_with_owner())

    with pytest.raises(ValidationError, match="5 introductions today"):
        introduce(innovator, member_with_owner())
    assert Introduction.objects.count() == 5


def test_twenty_introductions_a_week(innovator, time_machine):
    start = timezone.now()
    for day in range(4):
        time_machine.move_to(start + timedelta(days=day, hours=day + 1))
        for _ in range(services.DAILY_LIMIT):
            introduce(innovator, member_with_owner())
    time_machine.move_to(start + timedelta(days=5))

    with pytest.raises(ValidationError, match="20 introductions this week"):
        introduce(innovator, member_with_owner())
    time_machine.move_to(start + timedelta(days=8))
    introduce(innovator, member_with_owner())


def test_the_limit_shows_as_a_form_error(innovator, client_for):
    for _ in range(services.DAILY_LIMIT):
        introduce(innovator, member_with_owner())
    target = member_with_owner()

    response = client_for(innovator).post(
        f"/connections/introduce/{target.pk}/", {"message": MESSAGE}
    )

    assert response.status_code == 200
    assert "the most a day" in response.content.decode()


def test_a_declined_introduction_cannot_be_sent_again_for_90_days(
    innovator, recipient, time_machine
):
    introduction = introduce(innovator, recipient)
    services.introduction_answer(introduction=introduction, user=recipient.owner, accept=False)

    time_machine.move_to(timezone.now() + timedelta(days=89))
    with pytest.raises(ValidationError, match="declined your introduction"):
        introduce(innovator, recipient)
    time_machine.move_to(timezone.now() + timedelta(days=2))
    assert introduce(innovator, recipient).status == Introduction.Status.PENDING


def test_a_blocked_sender_sees_sent_and_the_recipient_hears_nothing(
    innovator, recipient, client_for, django_capture_on_commit_callbacks
):
    first = introduce(innovator, recipient)
    recipient_client = client_for(recipient.owner)
    recipient_client.post(f"/connections/introductions/{first.pk}/answer/", {"answer": "block"})
    first.refresh_from_db()
    assert first.status == Introduction.Status.DECLINED
    # Past the cool-down, a new introduction is dropped silently.
    Introduction.objects.filter(pk=first.pk).update(
        answered_at=timezone.now() - timedelta(days=100)
    )
    sender_client = client_for(innovator)
    with django_capture_on_commit_callbacks(execute=True):
        response = sender_client.post(
            f"/connections/introduce/{recipient.pk}/", {"message": MESSAGE}
        )

    second = Introduction.objects.latest("pk")
    assert second.status == Introduction.Status.SUPPRESSED
    assert mail.outbox == []
    assert not ConnectionEmail.objects.filter(introduction=second).exists()
    followed = sender_client.get(response["Location"]).content.decode()
    assert "Your introduction was sent" in followed
    assert "Awaiting an answer" in followed and "blocked" not in followed.lower()
    assert client_for(innovator).get("/connections/").content.decode().count("Awaiting an answer")
    # The recipient never sees it.
    assert recipient_client.get(second.get_absolute_url()).status_code == 404
    assert MESSAGE not in recipient_client.get("/connections/").content.decode()


def test_the_recipient_declines_and_nobody_is_emailed(
    innovator, recipient, client_for, django_capture_on_commit_callbacks
):
    introduction = introduce(innovator, recipient)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(recipient.owner).post(
            f"/connections/introductions/{introduction.pk}/answer/", {"answer": "decline"}
        )

    assert response.status_code == 302
    introduction.refresh_from_db()
    assert introduction.status == Introduction.Status.DECLINED
    assert mail.outbox == []


def test_the_recipient_accepts_and_both_get_the_conversation(
    innovator, recipient, client_for, django_capture_on_commit_callbacks
):
    introduction = introduce(innovator, recipient)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(recipient.owner).post(
            f"/connections/introductions/{introduction.pk}/answer/", {"answer": "accept"}
        )

    introduction.refresh_from_db()
    conversation = introduction.conversation
    assert response["Location"] == conversation.get_absolute_url()
    assert introduction.accepted_at is not None
    assert [message.to for message in mail.outbox] == [[innovator.email]]
    assert conversation.get_absolute_url() in mail.outbox[0].body
    for user in (innovator, recipient.owner):
        page = client_for(user).get(conversation.get_absolute_url())
        assert page.status_code == 200
        assert MESSAGE in page.content.decode()  # the introduction opens the conversation
    # Answering again changes nothing.
    assert (
        services.introduction_answer(introduction=introduction, user=recipient.owner, accept=False)
        == conversation
    )


def test_only_the_recipient_may_answer(innovator, recipient, client_for, core_group_member):
    introduction = introduce(innovator, recipient)

    for user in (innovator, core_group_member):
        response = client_for(user).post(
            f"/connections/introductions/{introduction.pk}/answer/", {"answer": "accept"}
        )
        assert response.status_code == 404
    introduction.refresh_from_db()
    assert introduction.status == Introduction.Status.PENDING


def test_a_pending_profile_cannot_introduce_itself(client_for, recipient):
    pending = member_with_owner(status=Member.Status.PENDING)

    response = client_for(pending.owner).get(f"/connections/introduce/{recipient.pk}/")

    assert response.status_code == 403


def test_connections_queryset_lists_each_accepted_introduction_with_its_date(innovator):
    first, second, declined = member_with_owner(), member_with_owner(), member_with_owner()
    connect(innovator, first)
    connect(second.owner, innovator.member)
    services.introduction_answer(
        introduction=introduce(innovator, declined), user=declined.owner, accept=False
    )
    introduce(innovator, member_with_owner())  # still pending: not a connection

    rows = Introduction.objects.connections().values_list("sender_id", "recipient_id")
    assert sorted(rows) == sorted(
        [(innovator.member.pk, first.pk), (second.pk, innovator.member.pk)]
    )
    assert all(row.accepted_at for row in Introduction.objects.connections())
    assert Introduction.objects.connections_of(first).count() == 1


def test_the_button_becomes_introduction_sent_then_open_our_conversation(
    innovator, recipient, client_for
):
    client = client_for(innovator)
    introduction = introduce(innovator, recipient)

    page = client.get(recipient.get_absolute_url()).content.decode()
    assert "Introduction sent" in page
    assert f'href="{introduction.get_absolute_url()}"' in page

    conversation = services.introduction_answer(
        introduction=introduction, user=recipient.owner, accept=True
    )
    for user, profile in ((innovator, recipient), (recipient.owner, innovator.member)):
        page = client_for(user).get(profile.get_absolute_url()).content.decode()
        assert "Open our conversation" in page
        assert f'href="{conversation.get_absolute_url()}"' in page


def test_similar_members_have_an_introduce_link_where_allowed(innovator, client_for, rebuild):
    alike = {"categories": ["work-based-learning"], "languages": ["fr"], "country": "SN"}
    open_ = member_with_owner(name="Open Lab", **alike)
    closed = member_with_owner(name="Closed Lab", accepts_introductions=False, **alike)
    rebuild()

    page = client_for(innovator).get(innovator.member.get_absolute_url()).content.decode()

    assert "Open Lab" in page and "Closed Lab" in page
    assert f'href="/connections/introduce/{open_.pk}/"' in page
    assert f'href="/connections/introduce/{closed.pk}/"' not in page
