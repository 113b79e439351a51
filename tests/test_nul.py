"""A NUL character in an address (a token, a slug, a filter value) is a 404 or 400, never a 500."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

pytestmark = pytest.mark.django_db

NUL = "a%00b"


def _routes(patterns, prefix=""):
    """Every ``path()`` route of the site with a converter other than int, as a URL with NUL."""
    for entry in patterns:
        if not isinstance(entry.pattern, RoutePattern):
            continue
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, route)
        elif isinstance(entry, URLPattern) and re.search(r"<(?!int:)[^>]+>", route):
            url = re.sub(r"<int:[^>]+>", "1", route)
            yield "/" + re.sub(r"<[^>]+>", NUL, url)


TOKEN_URLS = sorted(
    {
        *_routes(get_resolver().url_patterns),
        "/accounts/confirm-email/a%00b/",
        "/accounts/password/reset/key/a%00b-set-password/",
        "/members/1%00/",
    }
)

FILTERED_PAGES = [
    "/members/",
    "/members/export/",
    "/api/members/",
    "/funds/",
    "/funds/feed.rss",
    "/funds/deadlines.ics",
    "/coaching/",
    "/coaching/past/",
    "/coaching/knowledge/",
    "/categories/work-based-learning/",
    "/categories/work-based-learning/discussions/",
    "/discussions/search/",
]


def test_the_walk_finds_the_token_and_slug_urls():
    assert "/coaching/calendar/a%00b.ics" in TOKEN_URLS
    assert "/categories/a%00b/" in TOKEN_URLS
    assert "/funds/unsubscribe/a%00b/" in TOKEN_URLS


def test_a_nul_in_a_token_or_slug_is_not_found(client_for, staff_officer):
    clients = {"visitor": client_for(None), "staff": client_for(staff_officer)}

    statuses = {
        (who, url): client.get(url).status_code
        for url in TOKEN_URLS
        for who, client in clients.items()
    }

    assert {key: status for key, status in statuses.items() if status != 404} == {}


def test_a_nul_in_a_filter_value_is_an_invalid_value_never_a_500(client_for, staff_officer):
    client = client_for(staff_officer)
    queries = ["q=a%00b", "category=a%00b", "country=K%00", "language=f%00", "a%00=1"]

    statuses = {
        f"{url}?{query}": client.get(f"{url}?{query}").status_code
        for url in FILTERED_PAGES
        for query in queries
    }

    assert {url: status for url, status in statuses.items() if status not in (200, 400)} == {}
