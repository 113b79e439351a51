"""The introduction journey: an innovator finds a similar member, introduces themself, the
recipient accepts, and they exchange a message, all in the browser."""

import re

import pytest
from playwright.sync_api import expect

from connections.similarity import neighbours_rebuild
from tests.factories import MemberFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

INTRODUCTION = (
    "We upgrade informal apprenticeships in Dakar and would love to compare how you assess "
    "apprentices in Tamale."
)


@pytest.fixture
def similar(reference_data, innovator):
    """A member whose work is like the innovator's, their neighbours computed."""
    owner = UserFactory(full_name="Tariq Tamale", email="tariq@example.net")
    member = MemberFactory(
        owner=owner,
        name="Tamale Apprentice Network",
        country="GH",
        categories=["work-based-learning"],
        languages=["fr"],
        project_summary="Informal apprenticeships upgraded with master craftspeople.",
    )
    neighbours_rebuild(force=True)
    return member


def test_innovator_introduces_themself_and_they_exchange_messages(
    new_context, signed_in, live_server, innovator, similar
):
    sender = signed_in(new_context(viewport={"width": 1366, "height": 768}), innovator).new_page()
    sender.goto(f"{live_server.url}{innovator.member.get_absolute_url()}")
    suggestions = sender.get_by_role("region", name="Similar members")
    suggestions.get_by_role("link", name="Tamale Apprentice Network", exact=True).click()
    expect(sender.get_by_role("heading", level=1)).to_have_text("Tamale Apprentice Network")

    sender.get_by_role("link", name="Introduce yourself").click()
    sender.get_by_label("Your message").fill(INTRODUCTION)
    sender.get_by_role("button", name="Send my introduction").click()
    expect(
        sender.get_by_text("Your introduction was sent to Tamale Apprentice Network.")
    ).to_be_visible()
    expect(sender.get_by_text("Awaiting an answer")).to_be_visible()

    recipient = signed_in(
        new_context(viewport={"width": 390, "height": 844}), similar.owner
    ).new_page()
    recipient.goto(f"{live_server.url}/connections/")
    recipient.get_by_role("link", name=re.compile("Answer")).click()
    expect(recipient.get_by_text(INTRODUCTION)).to_be_visible()
    recipient.get_by_role("button", name="Accept", exact=True).click()
    expect(recipient.get_by_role("heading", level=1)).to_have_text(
        "Conversation with Ines Innovator"
    )
    recipient.get_by_label("Your message").fill("Welcome! Tuesday afternoon suits me.")
    recipient.get_by_role("button", name="Send", exact=True).click()
    expect(recipient.get_by_text("Welcome! Tuesday afternoon suits me.")).to_be_visible()

    sender.goto(f"{live_server.url}/connections/")
    expect(sender.get_by_text("1 unread")).to_be_visible()
    sender.get_by_role("link", name="Tamale Apprentice Network", exact=True).click()
    expect(sender.get_by_text("Welcome! Tuesday afternoon suits me.")).to_be_visible()
    sender.get_by_label("Your message").fill("Tuesday it is.")
    sender.get_by_role("button", name="Send", exact=True).click()
    expect(sender.get_by_text("Tuesday it is.")).to_be_visible()
    # Neither page names the other's email address.
    assert "tariq@example.net" not in sender.content()
    assert innovator.email not in recipient.content()
