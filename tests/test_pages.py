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


# ---- Error pages ----------------------------------------------------------------------------


def test_a_missing_page_answers_404_in_the_portal_layout(visitor):
    response = visitor.get("/members/999999/")

    page = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in page
    assert 'aria-label="Main"' in page and 'href="/funds/"' in page


def test_a_forbidden_page_answers_403_in_the_portal_layout(client_for, innovator):
    response = client_for(innovator).get("/members/export/?format=csv")

    page = response.content.decode()
    assert response.status_code == 403
    assert "<h1>Access denied</h1>" in page
    assert 'aria-label="Main"' in page and "Sign out" in page


def test_the_server_error_page_renders_without_a_request_or_database(django_db_blocker):
    from django.test import RequestFactory
    from django.views.defaults import server_error

    with django_db_blocker.block():
        response = server_error(RequestFactory().get("/"))

    page = response.content.decode()
    assert response.status_code == 500
    assert "<h1>Something went wrong</h1>" in page
    assert 'aria-label="Main"' in page and 'href="/coaching/"' in page


# ---- Content-Security-Policy ------------------------------------------------------------------


@pytest.fixture
def main_page_paths():
    from tests.coaching.factories import CoachingSessionFactory
    from tests.funds.factories import FundCallFactory

    member = MemberFactory(categories=["research-data"])
    return [
        "/",
        "/members/",
        member.get_absolute_url(),
        "/funds/",
        FundCallFactory(categories=["research-data"]).get_absolute_url(),
        "/coaching/",
        CoachingSessionFactory(hosts=[member]).get_absolute_url(),
        "/coaching/knowledge/",
        "/categories/",
        "/categories/research-data/",
        "/accounts/login/",
        "/accounts/signup/",
        "/api/docs/",
        "/members/999999/",
    ]


INLINE_CODE = [
    (r"<script(?![^>]*\ssrc=)[^>]*>", "an inline <script>"),
    (r"<style[\s>]", "a <style> element"),
    (r"<[^>]+\sstyle=", "a style attribute"),
    (r"<[^>]+\son[a-z]+=", "an event-handler attribute"),
]


@pytest.mark.parametrize("who", ["visitor", "staff_officer"])
def test_pages_send_a_strict_csp_and_hold_no_inline_code(who, request, client_for, main_page_paths):
    import re

    client = client_for(None if who == "visitor" else request.getfixturevalue(who))
    for path in main_page_paths:
        response = client.get(path)
        policy = response.headers.get("Content-Security-Policy", "")
        assert "script-src 'self'" in policy and "style-src 'self'" in policy, path
        assert "unsafe-inline" not in policy and "http" not in policy, path
        page = response.content.decode()
        found = [name for pattern, name in INLINE_CODE if re.search(pattern, page)]
        assert found == [], path


def test_the_api_docs_serve_swagger_ui_from_our_own_static_files(visitor):
    page = visitor.get("/api/docs/").content.decode()

    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower() and "@latest" not in page
    script = visitor.get("/api/docs/?script=")
    assert script.status_code == 200 and "/api/schema/" in script.content.decode()


def test_pages_link_our_favicon(visitor):
    page = visitor.get("/").content.decode()

    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
    from django.contrib.staticfiles import finders

    assert finders.find("favicon.svg")
