"""The layout on a phone and a laptop, with and without JavaScript, in the three languages."""

import pytest
from playwright.sync_api import expect

from accounts.roles import CORE_GROUP, ILO_STAFF
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}


def page_width(page):
    return page.evaluate("document.documentElement.scrollWidth")


def test_phone_without_javascript_reaches_every_menu_entry(new_context, live_server, main_pages):
    context = new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    nav = page.get_by_role("navigation", name="Main")
    funds = nav.get_by_role("link", name="Funds")
    expect(funds).to_be_hidden()

    nav.get_by_text("Menu").click()

    for name in ["Members", "Categories", "Funds", "Coaching", "Sign in", "Join"]:
        expect(nav.get_by_role("link", name=name)).to_be_visible()
    expect(nav.get_by_label("Language")).to_be_visible()
    expect(nav.get_by_role("button", name="Change")).to_be_visible()
    funds.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Fund")


def test_phone_without_javascript_switches_language(new_context, live_server, main_pages):
    context = new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_text("Menu").click()
    nav.get_by_label("Language").select_option("fr")
    nav.get_by_role("button", name="Change").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")


@pytest.mark.parametrize("javascript", [True, False])
def test_laptop_shows_the_menu_without_a_toggle(new_context, live_server, main_pages, javascript):
    context = new_context(java_script_enabled=javascript, viewport=LAPTOP)
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_text("Menu")).to_be_hidden()
    for name in ["Members", "Funds", "Coaching", "Sign in"]:
        expect(nav.get_by_role("link", name=name)).to_be_visible()


def test_phone_with_javascript_opens_and_closes_the_menu(new_context, live_server, main_pages):
    page = new_context(viewport=PHONE).new_page()
    page.goto(f"{live_server.url}/")
    nav = page.get_by_role("navigation", name="Main")
    toggle = nav.get_by_text("Menu")
    toggle.click()
    expect(nav.get_by_role("link", name="Coaching")).to_be_visible()
    toggle.click()
    expect(nav.get_by_role("link", name="Coaching")).to_be_hidden()


@pytest.mark.parametrize("language", ["fr-FR", "es-ES"])
def test_phone_pages_do_not_scroll_sideways(new_context, live_server, main_pages, language):
    page = new_context(viewport=PHONE, locale=language).new_page()
    widths = {}
    for name, path in main_pages.items():
        page.goto(f"{live_server.url}{path}")
        widths[name] = page_width(page)

    assert widths == dict.fromkeys(main_pages, PHONE["width"])


@pytest.mark.parametrize("language", ["fr-FR", "es-ES"])
@pytest.mark.parametrize("group", [ILO_STAFF, CORE_GROUP])
def test_staff_menu_fits_a_laptop(new_context, signed_in, live_server, main_pages, language, group):
    user = UserFactory(
        full_name="Fatou Diop", is_staff=True, groups=[group], preferred_language=language[:2]
    )
    context = new_context(viewport=LAPTOP, locale=language)
    signed_in(context, user)
    page = context.new_page()
    page.goto(f"{live_server.url}/members/")

    assert page_width(page) == LAPTOP["width"]
    nav = page.locator("header nav")
    change = "Changer" if language == "fr-FR" else "Cambiar"
    expect(nav.get_by_role("button", name=change)).to_be_visible()
    # Every entry of the menu lies within the screen, none cut.
    entries = nav.locator("a, button, select")
    for index in range(entries.count()):
        box = entries.nth(index).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= LAPTOP["width"], entries.nth(index)
