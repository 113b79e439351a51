"""Every connections email reaches the SMTP server exactly once through a real Celery worker."""

import pytest

from connections import services
from connections.models import ConnectionEmail
from connections.tasks import send_connection_emails, send_daily_summaries

from .helpers import introduce, member_with_owner

pytestmark = pytest.mark.django_db(transaction=True)


def test_introduction_acceptance_and_messages_are_emailed_once_each(
    celery_worker, smtp_relay, innovator
):
    recipient = member_with_owner()
    introduction = introduce(innovator, recipient)
    celery_worker.wait_until_idle()
    assert smtp_relay.received() == [recipient.owner.email]

    conversation = services.introduction_answer(
        introduction=introduction, user=recipient.owner, accept=True
    )
    services.message_post(conversation=conversation, user=recipient.owner, body="Welcome!")
    celery_worker.wait_until_idle()
    services.message_post(conversation=conversation, user=innovator, body="Thank you!")
    # The beat's rounds, twice: nothing is sent again.
    for _ in range(2):
        send_connection_emails.delay()
        send_daily_summaries.delay()
    celery_worker.wait_until_idle()

    # The introduction, its acceptance, and one email per message.
    assert smtp_relay.received() == sorted(
        [recipient.owner.email, innovator.email, innovator.email, recipient.owner.email]
    )
    assert not ConnectionEmail.objects.filter(sent_at__isnull=True).exists()
    contents = b"".join(content for _to, content in smtp_relay.envelopes)
    assert contents.count(b"Welcome!") >= 1
    assert innovator.email.encode() not in b"".join(
        content for to, content in smtp_relay.envelopes if to != [innovator.email]
    )


def test_the_daily_summary_is_sent_once_a_day(celery_worker, smtp_relay, innovator):
    friend = member_with_owner()
    introduction = introduce(innovator, friend)
    conversation = services.introduction_answer(
        introduction=introduction, user=friend.owner, accept=True
    )
    services.preference_set(user=innovator, notify="daily")
    celery_worker.wait_until_idle()
    smtp_relay.envelopes.clear()
    services.message_post(conversation=conversation, user=friend.owner, body="First")
    services.message_post(conversation=conversation, user=friend.owner, body="Second")

    send_daily_summaries.delay()
    send_daily_summaries.delay()
    celery_worker.wait_until_idle()

    assert smtp_relay.received() == [innovator.email]
    assert ConnectionEmail.objects.filter(kind="summary", sent_at__isnull=False).count() == 1
