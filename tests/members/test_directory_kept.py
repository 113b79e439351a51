"""What the directory keeps in the cache (pages, cards, filter panel) never shows a stale card.

These tests commit (``transaction=True``): inside a transaction the page keeps nothing. Each first
visits the page so that it is kept, then changes something and visits again.
"""

import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from categories.models import Category
from members.models import CoreGroupRole, Member

from ..factories import CoreGroupRoleFactory, MemberFactory

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/members/"


@pytest.fixture
def lab(reference_data):
    return MemberFactory(
        name="Kisumu Skills Lab",
        country="KE",
        member_type=Member.Type.NGO,
        categories=["entrepreneurship"],
        project_title="Tailoring apprenticeships",
        is_public=True,
    )


def cards(client, query=""):
    """The cards of the page, each as its text with the tags (and what is hidden from
    assistive technology, such as the initials badge) taken out."""
    html = client.get(URL + query).content.decode()
    found = re.findall(r'<article class="card h-100 member-card">(.*?)</article>', html, re.S)
    found = [re.sub(r'<span [^>]*aria-hidden="true">[^<]*</span>', " ", card) for card in found]
    return [" ".join(re.sub(r"<[^>]+>", " ", card).split()) for card in found]


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_a_page_seen_again_asks_the_database_less_and_shows_the_same(visitor, lab):
    MemberFactory(name="Mombasa Makers", country="KE", categories=["entrepreneurship"])
    url = URL + "?category=entrepreneurship"

    first = cards(visitor, "?category=entrepreneurship")
    assert queries(visitor, url) < 5  # session-less visitor: counts, page and cards kept

    assert cards(visitor, "?category=entrepreneurship") == first
    assert [card.split(" · ")[0] for card in first] == [
        "Kisumu Skills Lab NGO",
        "Mombasa Makers TVET institution",
    ]


def test_an_edited_profile_shows_its_new_card(visitor, lab):
    assert "Tailoring apprenticeships" in cards(visitor)[0]

    lab.name = "Kisumu Skills Hub"
    lab.project_title = "Solar repair apprenticeships"
    lab.save()

    (card,) = cards(visitor)
    assert card.startswith("Kisumu Skills Hub")
    assert "Solar repair apprenticeships" in card
    assert "Tailoring" not in card


def test_a_badge_given_by_a_bulk_update_shows(visitor, lab):
    assert "Top Innovator" not in cards(visitor)[0]

    Member.objects.filter(pk=lab.pk).update(is_top_innovator=True)

    assert "Top Innovator" in cards(visitor)[0]


def test_a_profile_made_private_leaves_the_visitors_page_only(visitor, client_for, lab):
    member = client_for(MemberFactory(name="Zanzibar Weavers", country="TZ").owner)
    assert cards(visitor) and "Kisumu Skills Lab" in " ".join(cards(member))

    lab.is_public = False
    lab.save()

    assert "Kisumu Skills Lab" not in " ".join(cards(visitor))
    assert "Kisumu Skills Lab" in " ".join(cards(member))


def test_each_language_gets_its_cards_in_it(visitor, lab):
    english = cards(visitor)[0]
    visitor.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    french = cards(visitor)[0]
    visitor.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    assert "NGO" in english and "Kenya" in english
    assert "ONG" in french and "Projet :" in french
    assert cards(visitor)[0] == english


def test_who_looks_decides_which_cards_and_badges(visitor, client_for, lab, core_group_member):
    pending = MemberFactory(name="Kigali Pending Lab", country="RW", status="pending")
    approver = client_for(core_group_member)

    (card,) = [card for card in cards(approver) if card.startswith("Kigali Pending Lab")]
    assert "Awaiting approval" in card
    assert not [card for card in cards(visitor) if "Kigali" in card]

    pending.approve(by=core_group_member)

    (card,) = [card for card in cards(visitor) if card.startswith("Kigali Pending Lab")]
    assert "Awaiting approval" not in card
    (card,) = [card for card in cards(approver) if card.startswith("Kigali Pending Lab")]
    assert "Awaiting approval" not in card


def test_a_new_role_and_a_renamed_category_show_on_the_card(visitor, lab):
    assert "SIG lead" not in cards(visitor)[0]

    category = Category.objects.get(slug="entrepreneurship")
    CoreGroupRoleFactory(member=lab, role=CoreGroupRole.Role.SIG_LEAD, category=category)
    assert "SIG lead: Entrepreneurship" in cards(visitor)[0]

    category.name = "Enterprise and start-ups"
    category.save()
    card = cards(visitor)[0]
    assert "SIG lead: Enterprise and start-ups" in card
    assert card.endswith("Enterprise and start-ups")


def test_the_filter_panel_follows_the_counts_and_the_language(visitor, lab):
    def region_option(client):
        html = client.get(URL).content.decode()
        return re.search(r'<option value="africa"[^>]*>([^<]*)</option>', html).group(1)

    assert region_option(visitor) == "Africa (1 member)"
    MemberFactory(name="Accra Lab", country="GH")
    assert region_option(visitor) == "Africa (2 members)"
    visitor.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert region_option(visitor).startswith("Afrique")
