"""A member follows a category, another posts, the first gets the email and replies."""

import email
import email.policy
import re

import pytest
from playwright.sync_api import expect

from discussions.models import Post
from tests.factories import MemberFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def member(address, name):
    user = UserFactory(email=address, full_name=name)
    MemberFactory(owner=user, name=f"{name}'s lab", categories=["work-based-learning"])
    return user


def test_a_follower_hears_of_a_new_thread_by_email_and_replies(
    new_context, signed_in, live_server, celery_worker, smtp_relay
):
    follower = member("follower@example.org", "Fatou Follower")
    poster = member("poster@example.org", "Pablo Poster")

    # The first member follows the category's discussions, an email for each post.
    page = signed_in(new_context(), follower).new_page()
    page.goto(f"{live_server.url}/categories/work-based-learning/")
    page.get_by_role("link", name="All discussions of this special-interest group").click()
    page.get_by_label("Follow. Emails:").select_option("immediate")
    page.get_by_role("button", name="Follow", exact=True).click()
    expect(page.get_by_text("You follow it: each new post comes by email.")).to_be_visible()

    # Another member opens a thread.
    other = signed_in(new_context(), poster).new_page()
    other.goto(f"{live_server.url}/categories/work-based-learning/discussions/")
    other.get_by_role("link", name="Start a thread").click()
    other.get_by_label("Title").fill("Paying apprentices in small workshops")
    other.get_by_label("Message").fill("How do you set a **fair** allowance?")
    other.get_by_role("button", name="Open the thread").click()
    expect(other.get_by_role("heading", level=1)).to_have_text(
        "Paying apprentices in small workshops"
    )

    # The email reaches the first member, with a link to the post.
    celery_worker.wait_until_idle()
    assert smtp_relay.received() == ["follower@example.org"]
    message = email.message_from_bytes(smtp_relay.envelopes[0][1], policy=email.policy.default)
    text = message.get_body(("plain",)).get_content()
    assert "Pablo Poster" in text and "poster@example.org" not in text
    link = re.search(r"https://portal\.example\.org(\S+#post-\d+)", text)[1]

    # They follow it and reply.
    page.goto(f"{live_server.url}{link}")
    expect(page.get_by_text("How do you set a fair allowance?")).to_be_visible()
    page.get_by_label("Your reply").fill("We use a sliding scale tied to monthly sales.")
    page.get_by_role("button", name="Post the reply").click()
    expect(page.get_by_text("Your reply is posted.")).to_be_visible()
    expect(page.get_by_text("We use a sliding scale tied to monthly sales.")).to_be_visible()
    assert Post.objects.filter(author=follower).count() == 1

    # The poster follows their own thread: they hear of the reply, once.
    celery_worker.wait_until_idle()
    assert smtp_relay.received() == ["follower@example.org", "poster@example.org"]
