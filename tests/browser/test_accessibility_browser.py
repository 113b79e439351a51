"""The main pages pass axe-core's WCAG 2.2 AA rules (target size included) with no violation.

axe-core comes from the axe-playwright-python package (it bundles axe.min.js).
"""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.funds.factories import PartnerRequestFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_22_AA = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"],
    },
    "resultTypes": ["violations"],
}


def violations(page):
    """``["rule: target, ...", ...]``: each violated rule with the elements that break it."""
    found = Axe().run(page, options=WCAG_22_AA).response["violations"]
    return [
        f"{rule['id']}: " + ", ".join(str(node["target"]) for node in rule["nodes"][:5])
        for rule in found
    ]


@pytest.mark.parametrize(
    ("viewport", "language"),
    [({"width": 1366, "height": 768}, "en-GB"), ({"width": 390, "height": 844}, "fr-FR")],
    ids=["laptop-en", "phone-fr"],
)
def test_main_pages_have_no_wcag_violations(
    new_context, live_server, main_pages, viewport, language
):
    page = new_context(viewport=viewport, locale=language).new_page()
    found = {}
    for name, path in main_pages.items():
        page.goto(f"{live_server.url}{path}")
        found[name] = violations(page)

    assert found == {name: [] for name in main_pages}


def discussion_thread(author):
    from tests.test_html_validity import discussion_thread as make

    return make(author)


def main_pages_member(main_pages):
    return main_pages["profile"].strip("/").split("/")[-1]


def _conversation_path(user):
    from connections import services
    from tests.factories import MemberFactory

    other = MemberFactory()
    introduction = services.introduction_send(
        user=other.owner, recipient=user.member, message="A message long enough to be sent here."
    )
    services.introduction_answer(introduction=introduction, user=user, accept=True)
    services.message_post(conversation=introduction.conversation, user=other.owner, body="Hi!")
    return introduction.conversation.get_absolute_url()


def test_a_signed_in_members_pages_have_no_wcag_violations(
    new_context, signed_in, live_server, main_pages, innovator
):
    page = signed_in(new_context(viewport={"width": 1366, "height": 768}), innovator).new_page()
    partner_request = PartnerRequestFactory(categories=["research-data"], countries=["SN"])
    paths = {
        **main_pages,
        "own profile": innovator.member.get_absolute_url(),
        "profile form": f"/members/{innovator.member.pk}/edit/",
        "fund alerts": "/funds/alerts/",
        "suggest a call": "/funds/suggest/",
        "weekly email settings": "/weekly-email/",
        "settings": "/accounts/settings/",
        "discussions": "/discussions/",
        "category discussions": "/categories/work-based-learning/discussions/",
        "discussion thread": discussion_thread(innovator).get_absolute_url(),
        "new thread": "/categories/work-based-learning/discussions/new/",
        "discussion search": "/discussions/search/?q=apprentices",
        "partner search": "/funds/partners/",
        "partner request": partner_request.get_absolute_url(),
        "post a partner request": f"/funds/{partner_request.call_id}/partners/new/",
        "needs assessment": "/members/needs/",
        "my connections": "/connections/",
        "introduce yourself": f"/connections/introduce/{main_pages_member(main_pages)}/",
        "conversation": _conversation_path(innovator),
    }
    del paths["sign-in"]  # signed-in users are sent away from it
    found = {}
    for name, path in paths.items():
        page.goto(f"{live_server.url}{path}")
        found[name] = violations(page)

    assert found == {name: [] for name in paths}


def test_the_staff_statistics_page_has_no_wcag_violations(
    new_context, signed_in, live_server, reference_data, staff_officer
):
    from tests.factories import MemberFactory

    MemberFactory(categories=["research-data"])
    MemberFactory(categories=["entrepreneurship"], country="FR")
    page = signed_in(new_context(viewport={"width": 390, "height": 844}), staff_officer).new_page()
    page.goto(f"{live_server.url}/network/statistics/")
    for summary in page.locator("details > summary").all():
        summary.click()  # the data tables too

    assert violations(page) == []
