"""Followers hear of new posts exactly once, in their language, through a real worker."""

import email
import email.policy

import pytest
from django.core import mail
from django.urls import reverse

from categories.models import Category
from discussions import services
from discussions.emails import follow_for_post
from discussions.models import Follow, Frequency, PostDelivery
from discussions.tasks import send_discussion_emails
from members.models import Language
from tests.factories import MemberFactory, UserFactory


def member(email_address, language="en"):
    user = UserFactory(email=email_address, preferred_language=language)
    MemberFactory(owner=user, categories=["work-based-learning"])
    return user


def messages_in(relay):
    return [
        email.message_from_bytes(content, policy=email.policy.default)
        for _rcpt, content in relay.envelopes
    ]


@pytest.mark.django_db(transaction=True)
def test_followers_get_each_new_post_once_through_the_worker(celery_worker, smtp_relay):
    category = Category.objects.get(slug="work-based-learning")
    poster = member("poster@example.org")
    by_category = member("category@example.org", language="fr")
    by_both = member("both@example.org", language="es")
    weekly = member("weekly@example.org")
    services.follow_set(user=by_category, category=category)
    services.follow_set(user=by_both, category=category)
    services.follow_set(user=weekly, category=category, frequency=Frequency.WEEKLY)

    thread = services.thread_create(
        author=poster,
        category=category,
        title="Apprentice wages",
        body="What do you pay?",
        language=Language.objects.get(code="en"),
    )
    services.follow_set(user=by_both, thread=thread)
    services.post_reply(
        author=by_category,
        thread=thread,
        body="Minimum wage.",
        language=Language.objects.get(code="fr"),
    )
    send_discussion_emails.delay()  # the task delivered twice, and the beat at the same time
    send_discussion_emails.delay()

    celery_worker.wait_until_idle()
    received = sorted(smtp_relay.received())
    # The opening post: both category followers; the reply: the poster (follows own thread)
    # and by_both once (thread and category); never the weekly follower, never the author.
    assert received == sorted(
        ["category@example.org", "both@example.org", "poster@example.org", "both@example.org"]
    )
    assert PostDelivery.objects.filter(sent_at__isnull=False).count() == 4
    # Each in its recipient's language (the catalogs are regenerated after merging: the
    # HTML part's lang attribute says which language it was rendered in).
    languages = {
        message["To"]: message.get_body(("html",)).get_content().split('lang="')[1][:2]
        for message in messages_in(smtp_relay)
    }
    assert languages == {
        "category@example.org": "fr",
        "both@example.org": "es",
        "poster@example.org": "en",
    }
    for message in messages_in(smtp_relay):
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        text = message.get_body(("plain",)).get_content()
        assert "@example.org" not in text  # no member's address, only names


@pytest.mark.django_db
def test_no_email_for_a_post_hidden_before_it_went_out(author, innovator, staff_officer, thread):
    services.follow_set(user=innovator, thread=thread)
    mail.outbox.clear()
    reply = services.post_reply(author=author, thread=thread, body="Oops", language=thread.language)
    services.post_hide(post=reply, by=staff_officer, reason="Wrong thread")

    services.discussion_emails_send()

    assert [m.to for m in mail.outbox] == [[author.email]]  # only "your post was hidden"
    assert PostDelivery.objects.get(user=innovator).failed_at is not None


@pytest.mark.django_db
def test_no_email_to_the_old_category_after_a_move(
    author, innovator, core_group_member, wbl, thread
):
    services.follow_set(user=innovator, category=wbl)
    reply = services.post_reply(
        author=author, thread=thread, body="Later", language=thread.language
    )
    PostDelivery.objects.filter(post=reply).update(due_at=reply.created_at)
    services.thread_move(
        thread=thread, by=core_group_member, category=Category.objects.get(slug="career-guidance")
    )
    mail.outbox.clear()

    services.discussion_emails_send()

    assert innovator.email not in [address for m in mail.outbox for address in m.to]


@pytest.mark.django_db
def test_one_click_unsubscribe_stops_that_follow_only(client, author, innovator, wbl, thread):
    category_follow = services.follow_set(user=innovator, category=wbl)
    services.follow_set(user=innovator, thread=thread)
    services.post_reply(author=author, thread=thread, body="News", language=thread.language)
    services.discussion_emails_send()
    message = next(m for m in mail.outbox if m.to == [innovator.email])
    url = (
        message.extra_headers["List-Unsubscribe"]
        .strip("<>")
        .replace("https://portal.example.org", "")
    )

    assert client.get(url).status_code == 200
    assert Follow.objects.filter(user=innovator).count() == 2
    assert client.post(url).status_code == 200  # no CSRF token: RFC 8058 one-click

    assert list(Follow.objects.filter(user=innovator)) == [category_follow]
    assert follow_for_post(innovator, thread) == category_follow


@pytest.mark.django_db
def test_a_forged_token_changes_nothing(client, innovator, wbl):
    services.follow_set(user=innovator, category=wbl)
    response = client.post(reverse("discussions:unsubscribe", args=["forged"]))

    assert response.status_code == 400
    assert "not valid" in response.content.decode()
    assert Follow.objects.filter(user=innovator).count() == 1


@pytest.mark.django_db
def test_a_second_click_on_the_link_says_it_is_done(client, innovator, wbl):
    from discussions.tokens import unsubscribe_token

    follow = services.follow_set(user=innovator, category=wbl)
    url = reverse("discussions:unsubscribe", args=[unsubscribe_token(follow)])
    client.post(url)

    assert client.post(url).status_code == 200
    assert not Follow.objects.filter(user=innovator).exists()


@pytest.mark.django_db
def test_no_email_for_a_post_its_author_deleted_before_it_went_out(author, innovator, thread):
    services.follow_set(user=innovator, thread=thread)
    reply = services.post_reply(author=author, thread=thread, body="Typo", language=thread.language)
    services.post_delete(post=reply, by=author)
    mail.outbox.clear()

    services.discussion_emails_send()

    assert mail.outbox == []


@pytest.mark.django_db
def test_no_member_email_address_on_the_thread_page(client_for, author, innovator, thread):
    services.post_reply(author=innovator, thread=thread, body="Hello", language=thread.language)

    page = client_for(author).get(thread.get_absolute_url()).content.decode()

    assert innovator.email not in page and "Ines Innovator" in page
