"""The main pages pass axe-core's WCAG 2.2 AA rules (target size included) with no violation.

axe-core comes from the axe-playwright-python package (it bundles axe.min.js).
"""

import pytest
from axe_playwright_python.sync_playwright import Axe

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


def test_a_signed_in_members_pages_have_no_wcag_violations(
    new_context, signed_in, live_server, main_pages, innovator
):
    page = signed_in(new_context(viewport={"width": 1366, "height": 768}), innovator).new_page()
    paths = {
        **main_pages,
        "own profile": innovator.member.get_absolute_url(),
        "profile form": f"/members/{innovator.member.pk}/edit/",
        "fund alerts": "/funds/alerts/",
        "suggest a call": "/funds/suggest/",
        "weekly email settings": "/weekly-email/",
        "settings": "/accounts/settings/",
    }
    del paths["sign-in"]  # signed-in users are sent away from it
    found = {}
    for name, path in paths.items():
        page.goto(f"{live_server.url}{path}")
        found[name] = violations(page)

    assert found == {name: [] for name in paths}
