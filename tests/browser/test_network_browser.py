"""The network page in a browser: complete without JavaScript, pan and zoom with it."""

import pytest
from playwright.sync_api import expect

from network.tasks import refresh_graph
from tests.coaching.factories import CoachingSessionFactory
from tests.connections.helpers import connect
from tests.factories import MemberFactory

from .test_security_browser import watch_csp_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def small_network(reference_data):
    ada = MemberFactory(name="Ada Works", country="SN")
    bea = MemberFactory(name="Bea Lab", country="KE")
    cem = MemberFactory(name="Cem Hub", country="BR")
    connect(bea.owner, ada)
    CoachingSessionFactory(hosts=[bea, cem])
    refresh_graph(force=True)
    return ada


def test_without_javascript_each_member_is_a_link_in_the_graph_and_the_table(
    new_context, live_server, small_network
):
    page = new_context(java_script_enabled=False).new_page()
    page.goto(f"{live_server.url}/network/")

    node = page.locator("svg.network-graph a").filter(
        has=page.locator("title", has_text="Ada Works")
    )
    expect(node).to_have_count(1)
    expect(page.locator("svg.network-graph a")).to_have_count(3)
    expect(page.get_by_role("button", name="Zoom in")).to_have_count(0)
    page.get_by_role("link", name="Country", exact=True).click()
    expect(page.locator("table tbody tr").first).to_contain_text("Cem Hub")  # BR first
    node.click()
    expect(page).to_have_url(f"{live_server.url}{small_network.get_absolute_url()}")


def test_with_javascript_the_graph_zooms_and_keeps_its_links(
    new_context, live_server, small_network
):
    page = new_context().new_page()
    violations = watch_csp_violations(page)
    page.goto(f"{live_server.url}/network/")

    svg = page.locator("svg.network-graph")
    expect(svg).to_have_attribute("data-zoomable", "true")
    before = svg.evaluate("s => s.viewBox.baseVal.width")
    page.get_by_role("button", name="Zoom in").click()
    assert svg.evaluate("s => s.viewBox.baseVal.width") < before
    page.get_by_role("button", name="Show the whole graph").click()
    assert svg.evaluate("s => s.viewBox.baseVal.width") == before
    expect(page.locator("svg.network-graph a")).to_have_count(3)
    assert violations == []
