"""The nine skills categories: the list with member counts and one page per category."""

import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from categories.models import Category
from members.models import Member

from ..coaching.factories import CoachingSessionFactory
from ..factories import ImportedMemberFactory, MemberFactory

pytestmark = pytest.mark.django_db

SLUGS = [
    "work-based-learning",
    "rpl-certification",
    "career-guidance",
    "research-data",
    "skills-ecosystem",
    "training-delivery",
    "social-inclusion",
    "entrepreneurship",
    "core-life-skills",
]


def test_category_list_shows_the_nine_in_order_with_links(visitor):
    response = visitor.get("/categories/")

    assert response.status_code == 200
    assert [c.slug for c in response.context["categories"]] == SLUGS
    page = response.content.decode()
    for slug in SLUGS:
        assert f'href="/categories/{slug}/"' in page
    assert page.count("<h1") == 1


def test_category_counts_are_those_of_the_members_the_viewer_may_see(visitor, client_for):
    MemberFactory.create_batch(2, categories=["entrepreneurship", "career-guidance"])
    ImportedMemberFactory(categories=["entrepreneurship"])
    MemberFactory(categories=["entrepreneurship"], status=Member.Status.PENDING)
    signed_in = client_for(MemberFactory().owner)

    def counts(client):
        page = client.get("/categories/").content.decode()
        card = r'href="/categories/([a-z-]+)/".*?card-footer[^>]*>\s*(\d+) member'
        found = re.findall(card, page, re.S)
        return {slug: int(count) for slug, count in found}

    assert counts(visitor)["entrepreneurship"] == 2
    assert counts(visitor)["career-guidance"] == 2
    assert counts(visitor)["research-data"] == 0
    assert counts(signed_in)["entrepreneurship"] == 3
    assert len(counts(visitor)) == 9


def test_the_admin_counts_every_member_of_each_category(client_for, staff_officer):
    MemberFactory.create_batch(2, categories=["entrepreneurship"])
    ImportedMemberFactory(categories=["entrepreneurship"])
    MemberFactory(categories=["entrepreneurship"], status=Member.Status.PENDING)

    response = client_for(staff_officer).get("/admin/categories/category/")

    counts = {c.slug: c.member_count for c in response.context["cl"].result_list}
    assert counts["entrepreneurship"] == 4
    assert counts["research-data"] == 0


def test_category_page_shows_its_definition_and_its_visible_members(visitor, client_for):
    MemberFactory(name="Dakar Apprentices", categories=["work-based-learning"])
    MemberFactory(name="Lima Mentors", categories=["career-guidance"])
    ImportedMemberFactory(name="Unclaimed Workshop", categories=["work-based-learning"])

    response = visitor.get("/categories/work-based-learning/")

    page = response.content.decode()
    category = Category.objects.get(slug="work-based-learning")
    assert response.status_code == 200
    assert category.description in page
    assert "Dakar Apprentices" in page
    assert "Lima Mentors" not in page
    assert "Unclaimed Workshop" not in page
    assert 'href="/members/?category=work-based-learning"' in page
    assert page.count("<h1") == 1
    signed_in = client_for(MemberFactory().owner).get("/categories/work-based-learning/")
    assert "Unclaimed Workshop" in signed_in.content.decode()


def test_category_page_names_its_current_sig_lead(visitor, core_group_member):
    lead = core_group_member.member

    page = visitor.get("/categories/work-based-learning/").content.decode()
    other = visitor.get("/categories/research-data/").content.decode()

    assert f'led by <a href="{lead.get_absolute_url()}">{lead.name}</a>' in page
    assert "special-interest group is led by" not in other


def test_category_page_lists_the_next_sessions_of_that_category(visitor):
    CoachingSessionFactory(title="Budget clinic", categories=["entrepreneurship"])
    CoachingSessionFactory(title="Career circle", categories=["career-guidance"])

    page = visitor.get("/categories/entrepreneurship/").content.decode()

    assert "Budget clinic" in page
    assert "Career circle" not in page
    assert 'href="/coaching/?category=entrepreneurship"' in page
    assert page.count("<h1") == 1


def test_category_page_without_members_says_so(visitor):
    response = visitor.get("/categories/research-data/")

    assert "No members in this category yet." in response.content.decode()


def test_unknown_category_is_404(visitor):
    assert visitor.get("/categories/no-such-category/").status_code == 404


@pytest.mark.parametrize(
    ("language", "field"), [("fr", "description_fr"), ("es", "description_es")]
)
def test_definitions_follow_the_chosen_language(visitor, language, field):
    category = Category.objects.get(slug="social-inclusion")
    visitor.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    detail = visitor.get("/categories/social-inclusion/").content.decode()
    listing = visitor.get("/categories/").content.decode()

    assert escape(getattr(category, field)) in detail
    assert escape(getattr(category, f"name_{language}")) in detail
    assert escape(getattr(category, f"name_{language}")) in listing
    assert f'<html lang="{language}">' in detail


def test_category_page_is_paginated(visitor):
    MemberFactory.create_batch(settings.MEMBERS_PAGE_SIZE + 1, categories=["entrepreneurship"])

    first = visitor.get("/categories/entrepreneurship/")
    second = visitor.get("/categories/entrepreneurship/?page=2")

    assert len(first.context["page"].object_list) == settings.MEMBERS_PAGE_SIZE
    assert len(second.context["page"].object_list) == 1
    assert 'href="?page=2"' in first.content.decode()
    assert visitor.get("/categories/entrepreneurship/?page=junk").status_code == 200


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_category_page_costs_the_same_queries_for_one_member_as_for_a_full_page(
    visitor, client_for
):
    from members.models import CoreGroupRole

    from ..factories import CoreGroupRoleFactory

    first = MemberFactory(categories=["entrepreneurship", "career-guidance"])
    CoreGroupRoleFactory(member=first, role=CoreGroupRole.Role.FACILITATOR)
    CoachingSessionFactory(hosts=[first], categories=["entrepreneurship"])
    viewer = client_for(MemberFactory().owner)
    one_visitor = _queries(visitor, "/categories/entrepreneurship/")
    one_member = _queries(viewer, "/categories/entrepreneurship/")
    listing = _queries(visitor, "/categories/")

    for member in MemberFactory.create_batch(
        settings.MEMBERS_PAGE_SIZE, categories=["entrepreneurship", "social-inclusion"]
    ):
        CoreGroupRoleFactory(member=member, role=CoreGroupRole.Role.TRANSLATOR)
        CoachingSessionFactory(hosts=[member], categories=["entrepreneurship", "career-guidance"])

    assert _queries(visitor, "/categories/entrepreneurship/") == one_visitor
    assert _queries(viewer, "/categories/entrepreneurship/") == one_member
    assert _queries(visitor, "/categories/") == listing
