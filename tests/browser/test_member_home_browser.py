"""A member signs in and lands on their home: in their language, blocks in a grid, no WCAG issue."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.coaching.factories import CoachingSessionFactory, RegistrationFactory
from tests.factories import MemberFactory
from tests.funds.factories import FollowFactory, FundCallFactory

from .test_accessibility_browser import violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}


@pytest.fixture
def busy_innovator(reference_data, innovator):
    session = CoachingSessionFactory(
        title="Pitch practice",
        start=timezone.now() + datetime.timedelta(minutes=5),
        online_link="https://meet.example.org/pitch-now",
    )
    RegistrationFactory(session=session, user=innovator)
    FollowFactory(user=innovator, call=FundCallFactory(title="Apprenticeship Scale-up Grants"))
    MemberFactory(name="Kigali Apprenticeship Centre", categories=["work-based-learning"])
    innovator.preferred_language = "fr"
    innovator.save()
    return innovator


def sign_in(page, live_server, user):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_label("Password").press("Enter")
    page.wait_for_url(f"{live_server.url}/")


def test_signing_in_lands_on_my_home_in_my_language(new_context, live_server, busy_innovator):
    page = new_context(viewport=LAPTOP).new_page()

    sign_in(page, live_server, busy_innovator)

    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ines Innovator")
    expect(page.get_by_role("link", name="Rejoindre maintenant Pitch practice")).to_have_attribute(
        "href", "https://meet.example.org/pitch-now"
    )
    expect(page.get_by_role("link", name="Apprenticeship Scale-up Grants")).to_be_visible()
    expect(page.get_by_role("link", name="Kigali Apprenticeship Centre")).to_be_visible()
    # A grid: the first three blocks side by side on a laptop.
    tops = [
        round(box["y"])
        for box in page.locator(".member-home-block").evaluate_all(
            "blocks => blocks.slice(0, 3).map(block => block.getBoundingClientRect())"
        )
    ]
    assert len(set(tops)) == 1
    assert violations(page) == []


def test_my_home_fits_a_phone(new_context, signed_in, live_server, busy_innovator):
    page = signed_in(new_context(viewport=PHONE, locale="fr-FR"), busy_innovator).new_page()

    page.goto(f"{live_server.url}/")

    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert violations(page) == []
