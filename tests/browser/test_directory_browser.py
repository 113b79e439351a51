import re

import pytest
from playwright.sync_api import expect

from members.models import Member
from tests.factories import ImportedMemberFactory, MemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def directory(reference_data):
    """Members of two regions and two categories, and two a visitor must never see."""
    MemberFactory(
        name="Tamale Apprentice Network", country="GH", categories=["work-based-learning"]
    )
    MemberFactory(
        name="Atelier Couture Dakar",
        country="SN",
        categories=["social-inclusion", "work-based-learning"],
    )
    MemberFactory(name="Aprendices de Arequipa", country="PE", categories=["work-based-learning"])
    MemberFactory(name="Kisumu Jobs Data Lab", country="KE", categories=["research-data"])
    ImportedMemberFactory(
        name="Gulu Imported Apprenticeships", country="UG", categories=["work-based-learning"]
    )
    MemberFactory(
        name="Kigali Pending Workshop",
        country="RW",
        categories=["work-based-learning"],
        status=Member.Status.PENDING,
    )


def test_visitor_filters_the_directory_by_category_and_region(page, live_server, directory):
    page.goto(f"{live_server.url}/members/")
    cards = page.get_by_role("article").get_by_role("heading")
    expect(cards).to_have_count(4)

    page.get_by_role("checkbox", name="Work-based learning").check()
    page.get_by_label("Region").select_option("africa")
    page.get_by_role("button", name="Show members").click()

    expect(page).to_have_url(re.compile(r"category=work-based-learning.*region=africa"))
    expect(cards).to_have_count(2)
    assert sorted(cards.all_inner_texts()) == ["Atelier Couture Dakar", "Tamale Apprentice Network"]
    # The filters stay chosen, so the visitor can refine them.
    expect(page.get_by_role("checkbox", name="Work-based learning")).to_be_checked()
    expect(page.get_by_label("Region")).to_have_value("africa")
