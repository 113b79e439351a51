"""The Content-Security-Policy as Chromium enforces it: nothing on our pages is blocked."""

import pytest
from playwright.sync_api import expect

from accounts.roles import ILO_STAFF
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def watch_csp_violations(page):
    """A list that fills with every CSP violation the page reports, from the console or events."""
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return violations


def test_main_pages_break_no_rule_of_the_policy(new_context, live_server, main_pages):
    page = new_context().new_page()
    violations = watch_csp_violations(page)

    blocked = {}
    for name, path in main_pages.items():
        response = page.goto(f"{live_server.url}{path}")
        assert "script-src 'self'" in response.headers["content-security-policy"]
        blocked[name], violations[:] = violations[:], []

    assert blocked == {name: [] for name in main_pages}


def test_the_api_docs_render_offline_under_the_policy(new_context, live_server, reference_data):
    context = new_context()
    # Anything but our own server is unreachable, as offline.
    context.route(lambda url: not url.startswith(live_server.url), lambda route: route.abort())
    page = context.new_page()
    violations = watch_csp_violations(page)

    page.goto(f"{live_server.url}/api/docs/")

    expect(page.get_by_role("heading", name="Skills Innovation Network API")).to_be_visible()
    expect(page.get_by_text("/api/members/").first).to_be_visible()
    assert violations == []


def test_the_admin_works_under_the_policy(new_context, signed_in, live_server, reference_data):
    staff = UserFactory(is_staff=True, groups=[ILO_STAFF])
    page = signed_in(new_context(), staff).new_page()
    violations = watch_csp_violations(page)

    page.goto(f"{live_server.url}/admin/")
    page.get_by_role("link", name="Members").first.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.goto(f"{live_server.url}/admin/funds/fundcall/add/")
    expect(page.locator("#fundcall_form")).to_be_visible()

    assert violations == []
