"""The member directory page: filters, facets, pagination, bad values and privacy."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from categories.models import Category
from members.models import CoreGroupRole, Member

from ..factories import CoreGroupRoleFactory, ImportedMemberFactory, MemberFactory

pytestmark = pytest.mark.django_db

URL = "/members/"


@pytest.fixture
def network():
    """A small network whose members differ in one dimension each."""
    return {
        "atlas": MemberFactory(
            name="Atlas Apprenticeships",
            country="MA",
            member_type=Member.Type.TVET,
            categories=["work-based-learning", "rpl-certification"],
            languages=["fr", "ar"],
            project_title="Dual training in Casablanca",
        ),
        "andes": MemberFactory(
            name="Andes Career Lab",
            country="PE",
            member_type=Member.Type.NGO,
            categories=["career-guidance"],
            languages=["es"],
            expertise="Labour-market dashboards",
        ),
        "gulf": MemberFactory(
            name="Gulf Skills Observatory",
            country="QA",
            member_type=Member.Type.RESEARCH,
            categories=["research-data", "career-guidance"],
            languages=["ar", "en"],
        ),
        "nairobi": MemberFactory(
            name="Nairobi Makers",
            country="KE",
            member_type=Member.Type.STARTUP,
            categories=["entrepreneurship", "work-based-learning"],
            languages=["en"],
            project_summary="Apprenticeships for young makers in informal workshops.",
        ),
    }


def names(response):
    return sorted(member.name for member in response.context["page"].object_list)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "",
            [
                "Andes Career Lab",
                "Atlas Apprenticeships",
                "Gulf Skills Observatory",
                "Nairobi Makers",
            ],
        ),
        ("?category=work-based-learning", ["Atlas Apprenticeships", "Nairobi Makers"]),
        (
            "?category=rpl-certification&category=career-guidance",
            ["Andes Career Lab", "Atlas Apprenticeships", "Gulf Skills Observatory"],
        ),
        ("?region=africa", ["Atlas Apprenticeships", "Nairobi Makers"]),
        ("?region=arab-states", ["Gulf Skills Observatory"]),
        ("?country=PE", ["Andes Career Lab"]),
        ("?language=ar", ["Atlas Apprenticeships", "Gulf Skills Observatory"]),
        ("?type=startup", ["Nairobi Makers"]),
        ("?q=casablanca", ["Atlas Apprenticeships"]),
        ("?q=DASHBOARDS", ["Andes Career Lab"]),
        ("?q=apprenticeships", ["Atlas Apprenticeships", "Nairobi Makers"]),
        ("?q=young+makers", ["Nairobi Makers"]),
        ("?category=work-based-learning&region=africa&language=en", ["Nairobi Makers"]),
        ("?category=career-guidance&region=americas", ["Andes Career Lab"]),
        ("?category=career-guidance&type=tvet", []),
        ("?language=es&region=africa", []),
    ],
)
def test_visitor_filters_the_directory(visitor, network, query, expected):
    response = visitor.get(URL + query)

    assert response.status_code == 200
    assert names(response) == expected
    assert response.context["page"].paginator.count == len(expected)


def test_results_count_is_announced_and_the_page_is_accessible(visitor, network):
    response = visitor.get(URL + "?region=africa")
    html = response.content.decode()

    assert html.count("<h1") == 1
    assert re.search(r'role="status" aria-live="polite">\s*2 members found', html)
    assert 'role="search"' in html
    assert '<label class="form-label" for="id_q">' in html
    assert '<label class="form-label" for="id_region">' in html
    assert 'type="submit"' in html


def test_facet_counts_follow_the_other_filters(visitor, network):
    response = visitor.get(URL + "?region=africa&category=work-based-learning")
    categories = {o["slug"]: o["count"] for o in response.context["category_options"]}
    regions = {o["value"]: o["count"] for o in response.context["region_options"]}

    # Categories are counted within Africa, ignoring the category filter itself.
    assert categories["work-based-learning"] == 2
    assert categories["rpl-certification"] == 1
    assert categories["entrepreneurship"] == 1
    assert categories["career-guidance"] == 0
    # Regions are counted within the category, ignoring the region filter itself.
    assert regions == {
        "africa": 2,
        "americas": 0,
        "arab-states": 0,
        "asia-pacific": 0,
        "europe-central-asia": 0,
    }
    html = response.content.decode()
    assert "Africa (2 members)" in html
    chosen = [o["slug"] for o in response.context["category_options"] if o["checked"]]
    assert chosen == ["work-based-learning"]


def test_pagination_keeps_the_filters_in_its_links(visitor, settings):
    settings.MEMBERS_PAGE_SIZE = 2
    for index in range(5):
        MemberFactory(name=f"Kenya Lab {index}", country="KE")
    MemberFactory(name="Lima Lab", country="PE")

    response = visitor.get(URL + "?region=africa&page=2")

    assert names(response) == ["Kenya Lab 2", "Kenya Lab 3"]
    html = response.content.decode()
    assert 'href="?region=africa&amp;page=3"' in html
    assert 'href="?region=africa&amp;page=1"' in html
    assert "Lima Lab" not in html


@pytest.mark.parametrize("page_number", ["abc", "-1", "0", "999", "1e9"])
def test_a_bad_page_number_shows_a_real_page_not_an_error(visitor, settings, page_number):
    settings.MEMBERS_PAGE_SIZE = 2
    for index in range(3):
        MemberFactory(name=f"Lab {index}")

    response = visitor.get(URL + f"?page={page_number}")

    assert response.status_code == 200
    assert 1 <= len(response.context["page"].object_list) <= 2


@pytest.mark.parametrize(
    "query",
    [
        "?category=nope",
        "?category=work-based-learning&category=nope",
        "?country=ZZ",
        "?region=mars",
        "?language=xx",
        "?type=wizard",
        "?q=" + "x" * 201,
        "?q=%00",
        "?category=%00",
        "?language=%00",
        "?region=africa&country=ZZ",
    ],
)
def test_a_bad_filter_value_shows_the_error_and_no_members(visitor, network, query):
    response = visitor.get(URL + query)

    assert response.status_code == 200
    assert list(response.context["page"].object_list) == []
    html = response.content.decode()
    assert "Some filters are not valid" in html
    assert 'role="alert"' in html
    assert "Atlas Apprenticeships" not in html
    assert 'href="/members/">Clear filters' in html


def test_empty_result_offers_to_clear_the_filters(visitor, network):
    response = visitor.get(URL + "?country=FJ")

    html = response.content.decode()
    assert "No members match these filters" in html
    assert 'href="/members/">Clear filters' in html
    assert "0 members found" in html


def test_cards_show_badges_but_never_contact_details(visitor):
    leader = MemberFactory(
        name="Hub of Work-Based Learning",
        is_top_innovator=True,
        contact_email="private@example.org",
        contact_phone="+1 555 0100",
        categories=["work-based-learning"],
    )
    CoreGroupRoleFactory(
        member=leader,
        role=CoreGroupRole.Role.SIG_LEAD,
        category=Category.objects.get(slug="work-based-learning"),
    )
    CoreGroupRoleFactory(
        member=leader,
        role=CoreGroupRole.Role.TRANSLATOR,
        end_date="2020-12-31",
        start_date="2020-01-01",
    )

    html = visitor.get(URL).content.decode()

    assert "Top Innovator" in html
    assert "SIG lead: Work-based learning" in html
    assert "Translation volunteer" not in html  # a role that ended
    assert "private@example.org" not in html
    assert "555 0100" not in html


def test_visitors_never_see_unclaimed_imports_but_signed_in_members_do(
    visitor, client_for, innovator
):
    ImportedMemberFactory(name="Imported Applicant")
    MemberFactory(name="Members Only Lab", is_public=False)

    assert "Imported Applicant" not in names(visitor.get(URL))
    assert "Members Only Lab" not in names(visitor.get(URL))
    signed_in = names(client_for(innovator).get(URL))
    assert "Imported Applicant" in signed_in
    assert "Members Only Lab" in signed_in


def test_pending_profiles_are_listed_only_for_those_who_approve(
    client_for, innovator, core_group_member
):
    MemberFactory(name="Waiting Lab", status=Member.Status.PENDING)

    assert "Waiting Lab" not in names(client_for(innovator).get(URL))
    response = client_for(core_group_member).get(URL)
    assert "Waiting Lab" in names(response)
    assert "Awaiting approval" in response.content.decode()


def test_facet_counts_never_count_profiles_the_user_cannot_see(visitor):
    MemberFactory(country="KE", categories=["entrepreneurship"])
    ImportedMemberFactory(country="KE", categories=["entrepreneurship"])

    response = visitor.get(URL)

    categories = {o["slug"]: o["count"] for o in response.context["category_options"]}
    regions = {o["value"]: o["count"] for o in response.context["region_options"]}
    assert categories["entrepreneurship"] == 1
    assert regions["africa"] == 1


def test_export_link_is_shown_only_to_those_allowed_to_export(persona, network):
    name, _user, client = persona

    html = client.get(URL + "?region=africa").content.decode()

    expected = name == "staff_officer"
    assert ('href="/members/export/?region=africa&amp;format=csv"' in html) is expected
    assert ('href="/members/export/?region=africa&amp;format=xlsx"' in html) is expected


def _queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_directory_queries_do_not_grow_with_the_page(client_for, innovator, settings):
    settings.MEMBERS_PAGE_SIZE = 10
    work = Category.objects.get(slug="work-based-learning")
    lone = MemberFactory(
        name="Lone Lab", country="FJ", categories=["entrepreneurship"], languages=["en"]
    )
    CoreGroupRoleFactory(member=lone, role=CoreGroupRole.Role.SIG_LEAD, category=work)
    for index in range(12):
        member = MemberFactory(
            name=f"Crowd {index}",
            country="KE",
            categories=["social-inclusion", "research-data"],
            languages=["en", "fr"],
            is_top_innovator=True,
        )
        CoreGroupRoleFactory(member=member, role=CoreGroupRole.Role.TECHNICAL_ADVISOR)
    client = client_for(innovator)

    one = _queries_for(client, URL + "?country=FJ&language=en&category=entrepreneurship")
    full = _queries_for(client, URL + "?country=KE&language=en&category=social-inclusion")

    assert one == full
    assert full <= 16


def test_the_chosen_country_stays_selected_in_the_form(visitor, network):
    html = visitor.get(URL + "?country=PE").content.decode()

    assert '<option value="PE" selected>' in html
    assert '<option value="">' in html


def test_country_and_language_filters_offer_only_what_visible_members_have(visitor, network):
    ImportedMemberFactory(name="Hidden Import", country="FJ", languages=["de"])
    MemberFactory(name="Second Kenyan", country="KE", languages=["en", "sw"])

    html = visitor.get(URL + "?region=africa").content.decode()

    countries = re.search(r'<select name="country".*?</select>', html, re.S).group()
    options = re.findall(r'<option value="(\w*)"[^>]*>([^<]*)</option>', countries)
    # Counted under the other filters (Africa): Kenya twice, Morocco once; never Fiji (hidden).
    assert options == [("", "Any country"), ("KE", "Kenya (2)"), ("MA", "Morocco (1)")]
    languages = re.search(r'<select name="language" id="id_language".*?</select>', html, re.S)
    languages = languages.group()
    options = re.findall(r'<option value="(\w*)"[^>]*>([^<]*)</option>', languages)
    assert options == [
        ("", "Any language"),
        ("ar", "Arabic (1)"),
        ("en", "English (2)"),
        ("fr", "French (1)"),
        ("sw", "Swahili (1)"),
    ]


def test_a_chosen_language_without_members_stays_chosen(visitor, network):
    html = visitor.get(URL + "?language=de").content.decode()

    assert "0 members found" in html
    assert '<option value="de" selected>German (0)</option>' in html


def test_keyword_search_ignores_accents_and_case(visitor):
    MemberFactory(name="Bogotá Formación Dual")
    MemberFactory(name="Escuela de Formacion Tecnica", project_summary="Éducation des adultes")

    assert names(visitor.get(URL + "?q=formacion")) == [
        "Bogotá Formación Dual",
        "Escuela de Formacion Tecnica",
    ]
    assert names(visitor.get(URL + "?q=FORMACIÓN+bogota")) == ["Bogotá Formación Dual"]
    assert names(visitor.get(URL + "?q=education")) == ["Escuela de Formacion Tecnica"]


def test_filters_fold_into_a_panel_that_counts_the_active_ones(visitor, network):
    html = visitor.get(URL + "?region=africa&category=work-based-learning").content.decode()

    panel = re.search(
        r"<details class=\"directory-filters\"[^>]*>\s*<summary[^>]*>([^<]*)</summary>", html
    )
    assert panel.group(1) == "Filters (2)"
    assert "open" not in panel.group()  # phones see the results first; wide screens open it
    start = html.index('<details class="directory-filters"')
    assert start < html.index('name="q"') < html.index("</details>", start)
    # A wrong value opens the panel, so its error is in view.
    html = visitor.get(URL + "?country=ZZ").content.decode()
    assert re.search(r"<details class=\"directory-filters\"[^>]* open>", html)


@pytest.mark.django_db(transaction=True)
def test_counts_are_kept_until_a_member_changes(visitor, reference_data):
    kenya = MemberFactory(name="Kenya Lab", country="KE", categories=["entrepreneurship"])
    url = URL + "?category=entrepreneurship"

    def counts():
        response = visitor.get(url)
        regions = {o["value"]: o["count"] for o in response.context["region_options"]}
        return response.context["page"].paginator.count, regions["africa"], regions["americas"]

    cold = _queries_for(visitor, url)
    warm = _queries_for(visitor, url + "&page=1")
    assert warm < cold  # the second visit reads the counts instead of scanning the members
    assert counts() == (1, 1, 0)

    peru = MemberFactory(name="Lima Lab", country="PE", categories=["entrepreneurship"])
    assert counts() == (2, 1, 1)
    peru.categories.clear()
    assert counts() == (1, 1, 0)
    kenya.country = "PE"
    kenya.save()
    assert counts() == (1, 0, 1)
    kenya.delete()
    assert counts() == (0, 0, 0)
