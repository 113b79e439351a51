"""Every URL of the foundation issue, for every persona: the status code each one gets."""

import re

import pytest

from members.models import Member

from .conftest import PERSONAS
from .factories import ImportedMemberFactory, MemberFactory

pytestmark = pytest.mark.django_db

# One column per persona, in PERSONAS order:
# visitor, user without profile, innovator, Core Group member, ILO staff officer.
EXPECTED = {
    "/": (200, 200, 200, 200, 200),
    "/healthz": (200, 200, 200, 200, 200),
    "/members/": (200, 200, 200, 200, 200),
    "/members/?category=no-such-slug&country=ZZ": (200, 200, 200, 200, 200),
    "/members/{public}/": (200, 200, 200, 200, 200),
    "/members/{imported}/": (404, 200, 200, 200, 200),
    "/members/{pending}/": (404, 404, 404, 200, 200),
    "/members/999999/": (404, 404, 404, 404, 404),
    # Those with a profile are sent to it; visitors to sign in.
    "/members/start/": (302, 200, 302, 302, 200),
    "/members/new/": (302, 200, 302, 302, 200),
    "/members/{innovator}/edit/": (302, 403, 200, 403, 403),
    "/members/{public}/claim/": (302, 405, 405, 405, 405),
    "/categories/": (200, 200, 200, 200, 200),
    "/categories/work-based-learning/": (200, 200, 200, 200, 200),
    "/categories/no-such-category/": (404, 404, 404, 404, 404),
    # allauth sends signed-in users away from its entrance pages.
    "/accounts/login/": (200, 302, 302, 302, 302),
    "/accounts/signup/": (200, 302, 302, 302, 302),
    "/accounts/password/reset/": (200, 200, 200, 200, 200),
    "/accounts/settings/": (302, 200, 200, 200, 200),
    "/api/members/": (200, 200, 200, 200, 200),
    "/api/members/?country=ZZ": (400, 400, 400, 400, 400),
    "/api/schema/": (200, 200, 200, 200, 200),
    "/members/export/?format=csv": (302, 403, 403, 403, 200),
    "/members/export/?format=xlsx": (302, 403, 403, 403, 200),
    "/members/export/?format=csv&country=ZZ": (302, 403, 403, 403, 400),
    "/admin/": (302, 302, 302, 200, 200),
    "/admin/members/member/": (302, 302, 302, 200, 200),
}


def test_every_url_answers_each_persona_as_designed(persona, innovator):
    name, _user, client = persona
    pks = {
        "public": MemberFactory().pk,
        "imported": ImportedMemberFactory().pk,
        "pending": MemberFactory(status=Member.Status.PENDING).pk,
        "innovator": innovator.member.pk,
    }
    column = PERSONAS.index(name)

    got = {url: client.get(url.format(**pks)).status_code for url in EXPECTED}

    assert got == {url: codes[column] for url, codes in EXPECTED.items()}


@pytest.mark.parametrize(
    "url", ["/", "/members/", "/categories/", "/categories/entrepreneurship/", "/members/{pk}/"]
)
def test_pages_have_one_heading_and_a_skip_link(visitor, url):
    member = MemberFactory(categories=["entrepreneurship"])

    page = visitor.get(url.format(pk=member.pk)).content.decode()

    assert page.count("<h1") == 1
    assert 'href="#main"' in page and 'id="main"' in page


def test_healthz_answers_503_when_the_database_fails(visitor, monkeypatch):
    from django.db import DatabaseError, connection

    def broken_cursor(*args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)

    response = visitor.get("/healthz")

    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"
    assert "no-cache" in response["Cache-Control"]


def test_healthz_is_exempt_from_the_production_https_redirect(visitor, settings, monkeypatch):
    import runpy

    monkeypatch.setenv("DJANGO_DEBUG", "false")
    monkeypatch.setenv("DJANGO_SECRET_KEY", "a-production-secret-for-this-test-only")
    monkeypatch.setenv("DATABASE_URL", "postgres://portal@db.example.org/portal")
    production = runpy.run_path(str(settings.BASE_DIR / "network_portal" / "settings.py"))
    settings.SECURE_SSL_REDIRECT = production["SECURE_SSL_REDIRECT"]
    settings.SECURE_REDIRECT_EXEMPT = production["SECURE_REDIRECT_EXEMPT"]

    assert visitor.get("/healthz").status_code == 200
    assert visitor.get("/").status_code == 301


def home_figures(page):
    """The figures of the home page as a visitor reads them: {label: number}."""
    figure = r'fw-bold mb-0">(\d+)</p><p class="text-body-secondary mb-0">([^<]+)</p>'
    found = re.findall(figure, page)
    return {label: int(value) for value, label in found}


def home_category_counts(page):
    """The member count beside each category on the home page: {slug: number}."""
    found = re.findall(r'href="/categories/([a-z-]+)/">[^<]*</a>\s*<span[^>]*>(\d+) member', page)
    return {slug: int(count) for slug, count in found}


def test_home_page_shows_the_figures_and_the_nine_categories(visitor):
    MemberFactory(country="EG", categories=["entrepreneurship"])
    MemberFactory(country="MA", categories=["entrepreneurship", "career-guidance"])
    MemberFactory(country="MA")
    MemberFactory(country="FJ", status=Member.Status.PENDING)

    page = visitor.get("/").content.decode()

    assert home_figures(page) == {
        "members": 3,
        "countries": 2,
        "ILO regions": 5,
        "skills categories": 9,
    }
    assert 'href="/categories/entrepreneurship/"' in page
    assert "2 members" in page
    for link in ("/members/", "/accounts/signup/", "/funds/", "/coaching/"):
        assert f'href="{link}"' in page


def test_the_home_counts_the_members_the_directory_shows_the_viewer(visitor, client_for):
    MemberFactory(country="EG", categories=["entrepreneurship"])
    MemberFactory(country="MA", categories=["entrepreneurship"], is_public=False)
    ImportedMemberFactory(country="PE", categories=["entrepreneurship"])
    signed_in = client_for(MemberFactory(country="KE").owner)

    for client, members, countries, in_category in ((visitor, 2, 2, 1), (signed_in, 4, 4, 3)):
        page = client.get("/").content.decode()
        directory = client.get("/members/").context["page"].paginator.count

        assert home_figures(page)["members"] == members == directory
        assert home_figures(page)["countries"] == countries
        assert home_category_counts(page)["entrepreneurship"] == in_category


def test_home_page_offers_a_profile_to_a_user_without_one(client_for, user_without_profile):
    page = client_for(user_without_profile).get("/").content.decode()

    assert 'href="/members/start/"' in page
    assert 'href="/accounts/signup/"' not in page


def test_home_page_queries_do_not_grow_with_the_network(visitor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    MemberFactory(categories=["entrepreneurship"])
    with CaptureQueriesContext(connection) as few:
        visitor.get("/")
    MemberFactory.create_batch(30, categories=["entrepreneurship", "research-data"])
    with CaptureQueriesContext(connection) as many:
        visitor.get("/")

    assert len(many) == len(few) <= 3
