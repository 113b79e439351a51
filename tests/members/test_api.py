"""The open-data members API: the directory's filters, public fields only."""

import base64
import functools
import uuid
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from jsonschema import Draft202012Validator, FormatChecker

from categories.models import Category
from members.models import CoreGroupRole, Member, Visibility

from ..factories import CoreGroupRoleFactory, ImportedMemberFactory, MemberFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/members/"
PRIVATE_KEYS = {"contact_email", "contact_phone", "contact_name", "owner", "email_visibility"}


# ---- Every response of these tests is checked against the API's own OpenAPI schema ----------


@functools.cache
def _openapi():
    """The schema /api/schema/ serves (the same generator, without a request)."""
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


def _as_json_schema(node):
    """OpenAPI 3.0's ``nullable`` spelled in JSON Schema, so jsonschema checks the same thing."""
    if isinstance(node, list):
        return [_as_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _as_json_schema(value) for key, value in node.items()}
    if node.pop("nullable", False):
        return {"anyOf": [node, {"type": "null"}]}
    return node


def assert_matches_schema(response, path=URL):
    responses = _openapi()["paths"][path]["get"]["responses"]
    status = str(response.status_code)
    assert status in responses, f"{status} is not documented for {path}"
    schema = responses[status]["content"]["application/json"]["schema"]
    components = _as_json_schema(_openapi()["components"])
    validator = Draft202012Validator(
        {**_as_json_schema(schema), "components": components}, format_checker=FormatChecker()
    )
    errors = [
        f"{list(error.absolute_path)}: {error.message}"
        for error in validator.iter_errors(response.json())
    ]
    assert not errors, errors


@pytest.fixture(autouse=True)
def _every_api_response_matches_the_schema(monkeypatch):
    get = Client.get

    def checked_get(self, path, *args, **kwargs):
        response = get(self, path, *args, **kwargs)
        if urlsplit(path).path == URL:
            assert_matches_schema(response)
        return response

    monkeypatch.setattr(Client, "get", checked_get)


def test_the_schema_checker_needs_a_uri_where_the_schema_says_uri():
    assert not FormatChecker().conforms("", "uri")
    assert FormatChecker().conforms("https://example.org/", "uri")


def test_blank_fields_and_roles_without_scope_match_the_schema(client_for, innovator):
    bare = ImportedMemberFactory(
        name="Bare Applicant", website="", project_stage="", project_summary="", expertise=""
    )
    CoreGroupRoleFactory(member=bare, role=CoreGroupRole.Role.TECHNICAL_ADVISOR)
    full = MemberFactory(
        name="Full Lab", website="https://full.example.org/", project_stage="pilot"
    )
    CoreGroupRoleFactory(
        member=full, role=CoreGroupRole.Role.REGIONAL_REPRESENTATIVE, region="africa"
    )

    results = {m["name"]: m for m in client_for(innovator).get(URL).json()["results"]}

    assert results["Bare Applicant"]["website"] is None
    assert results["Bare Applicant"]["project_stage"] is None
    assert results["Bare Applicant"]["roles"][0]["category"] is None
    assert results["Bare Applicant"]["roles"][0]["region"] is None
    assert results["Full Lab"]["website"] == "https://full.example.org/"
    assert results["Full Lab"]["roles"][0]["region"] == "africa"


def test_errors_and_missing_pages_match_the_schema(visitor):
    assert visitor.get(URL + "?country=ZZ").status_code == 400
    assert visitor.get(URL + "?page=99").status_code == 404


def names(response):
    return sorted(member["name"] for member in response.json()["results"])


def test_api_answers_a_page_with_the_total_count(visitor):
    MemberFactory(name="Atlas", country="MA", categories=["work-based-learning"], languages=["fr"])
    MemberFactory(name="Andes", country="PE")

    response = visitor.get(URL)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 2
    atlas = body["results"][1]
    assert atlas["name"] == "Atlas"
    assert atlas["country"] == "MA"
    assert atlas["country_name"] == "Morocco"
    assert atlas["region"] == "africa"
    assert atlas["categories"] == ["work-based-learning"]
    assert atlas["languages"] == ["fr"]
    assert atlas["url"].endswith(f"/members/{Member.objects.get(name='Atlas').pk}/")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?category=work-based-learning&category=career-guidance", ["Andes", "Atlas"]),
        ("?region=africa", ["Atlas", "Nairobi"]),
        ("?country=KE", ["Nairobi"]),
        ("?language=es", ["Andes"]),
        ("?type=startup", ["Nairobi"]),
        ("?q=makers", ["Nairobi"]),
        ("?region=africa&category=work-based-learning&type=tvet", ["Atlas"]),
    ],
)
def test_api_takes_the_directory_filters(visitor, query, expected):
    MemberFactory(name="Atlas", country="MA", categories=["work-based-learning"])
    MemberFactory(name="Andes", country="PE", categories=["career-guidance"], languages=["es"])
    MemberFactory(
        name="Nairobi",
        country="KE",
        member_type=Member.Type.STARTUP,
        expertise="A network of makers",
        categories=["entrepreneurship"],
    )

    response = visitor.get(URL + query)

    assert response.status_code == 200
    assert names(response) == expected


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?category=nope", "category"),
        ("?country=ZZ", "country"),
        ("?region=mars", "region"),
        ("?language=xx", "language"),
        ("?type=wizard", "type"),
        ("?q=" + "x" * 201, "q"),
        ("?region=africa&country=ZZ", "country"),
    ],
)
def test_a_bad_filter_value_answers_400_with_the_errors(visitor, query, field):
    MemberFactory(name="Atlas", country="MA")

    response = visitor.get(URL + query)

    assert response.status_code == 400
    assert field in response.json()
    assert b"Atlas" not in response.content


def test_format_parameter_is_not_a_renderer_switch(visitor):
    MemberFactory(name="Atlas")

    response = visitor.get(URL + "?format=csv")

    assert response.status_code == 200
    assert response.json()["count"] == 1


@pytest.mark.parametrize("persona_name", ["visitor", "innovator", "staff_officer"])
def test_api_never_exposes_contact_details_or_the_owner(request, client_for, persona_name):
    user = None if persona_name == "visitor" else request.getfixturevalue(persona_name)
    MemberFactory(
        name="Open Lab",
        contact_email="open@example.org",
        contact_phone="+1 555 0101",
        email_visibility=Visibility.PUBLIC,
        phone_visibility=Visibility.PUBLIC,
    )

    response = client_for(user).get(URL)

    assert response.status_code == 200
    for member in response.json()["results"]:
        assert not PRIVATE_KEYS & set(member)
    assert b"open@example.org" not in response.content
    assert b"555 0101" not in response.content


def test_unclaimed_imports_are_for_signed_in_members_only(client_for, visitor, innovator):
    ImportedMemberFactory(name="Imported Applicant")
    MemberFactory(name="Private Lab", is_public=False)
    MemberFactory(name="Waiting Lab", status=Member.Status.PENDING, is_public=True)

    assert "Imported Applicant" not in names(visitor.get(URL))
    assert "Private Lab" not in names(visitor.get(URL))
    signed_in = names(client_for(innovator).get(URL))
    assert "Imported Applicant" in signed_in
    assert "Private Lab" in signed_in
    assert "Waiting Lab" not in signed_in


def test_api_lists_current_roles_as_badges(visitor):
    member = MemberFactory(name="Leader", is_top_innovator=True)
    CoreGroupRoleFactory(
        member=member,
        role=CoreGroupRole.Role.SIG_LEAD,
        category=Category.objects.get(slug="social-inclusion"),
    )
    CoreGroupRoleFactory(
        member=member,
        role=CoreGroupRole.Role.TRANSLATOR,
        start_date="2020-01-01",
        end_date="2020-06-30",
    )

    (leader,) = visitor.get(URL).json()["results"]

    assert leader["is_top_innovator"] is True
    assert [role["role"] for role in leader["roles"]] == ["sig-lead"]
    assert leader["roles"][0]["category"] == "social-inclusion"
    assert leader["roles"][0]["label"] == "SIG lead: Social inclusion and access to training"


def test_api_paginates(visitor):
    for index in range(3):
        MemberFactory(name=f"Lab {index}")

    first = visitor.get(URL + "?page_size=2&region=africa").json()

    assert first["count"] == 3
    assert len(first["results"]) == 2
    assert "region=africa" in first["next"]
    assert first["previous"] is None
    assert len(visitor.get(first["next"]).json()["results"]) == 1


def _queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.json()["count"]


def test_api_queries_do_not_grow_with_the_page(client_for, innovator):
    work = Category.objects.get(slug="work-based-learning")
    lone = MemberFactory(name="Lone", country="FJ", categories=["entrepreneurship"])
    CoreGroupRoleFactory(member=lone, role=CoreGroupRole.Role.SIG_LEAD, category=work)
    for index in range(20):
        member = MemberFactory(
            name=f"Crowd {index}",
            country="KE",
            categories=["social-inclusion", "research-data"],
            languages=["en", "fr"],
        )
        CoreGroupRoleFactory(member=member, role=CoreGroupRole.Role.TECHNICAL_ADVISOR)
    client = client_for(innovator)

    one = _queries_for(client, URL + "?country=FJ&category=entrepreneurship&page_size=20")
    full = _queries_for(client, URL + "?country=KE&category=social-inclusion&page_size=20")

    assert one[1] == 1 and full[1] == 20
    assert one[0] == full[0]


def test_openapi_schema_describes_the_members_endpoint(visitor):
    response = visitor.get("/api/schema/")

    assert response.status_code == 200
    assert b"/api/members/" in response.content
    assert b"contact_email" not in response.content


def test_schema_of_the_members_endpoint_generates_without_warnings():
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    from members.api_urls import urlpatterns

    GENERATOR_STATS.reset()
    with GENERATOR_STATS.silence():
        schema = SchemaGenerator(patterns=urlpatterns).get_schema(request=None, public=True)

    assert "/members/" in schema["paths"]
    assert not GENERATOR_STATS, dict(GENERATOR_STATS._warn_cache)


def test_api_ignores_http_basic_credentials_even_correct_ones(visitor):
    """Basic auth would be a password-guessing door around the login's rate limits."""
    UserFactory(email="unverified@example.org", password="right password", verified=False)
    ImportedMemberFactory(name="Imported Applicant")
    credentials = base64.b64encode(b"unverified@example.org:right password").decode()

    response = visitor.get(URL, HTTP_AUTHORIZATION=f"Basic {credentials}")

    assert response.status_code == 200
    assert "Imported Applicant" not in names(response)


def test_an_unverified_account_cannot_open_a_session_to_read_members_only_profiles(visitor):
    UserFactory(email="unverified@example.org", password="right password", verified=False)
    ImportedMemberFactory(name="Imported Applicant")

    visitor.post(
        "/accounts/login/", {"login": "unverified@example.org", "password": "right password"}
    )
    visitor.post(
        "/admin/login/", {"username": "unverified@example.org", "password": "right password"}
    )

    assert "_auth_user_id" not in visitor.session
    assert "Imported Applicant" not in names(visitor.get(URL))


def test_api_throttles_a_visitor_on_the_shared_cache(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api-visitor": "2/minute", "api-member": "5/minute"},
    }
    client = Client(REMOTE_ADDR=f"10.77.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}")

    statuses = [client.get(URL).status_code for _attempt in range(3)]

    assert statuses == [200, 200, 429]


def test_api_throttles_a_signed_in_member_per_account(settings, client_for, innovator):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api-visitor": "100/minute", "api-member": "2/minute"},
    }
    client = client_for(innovator)

    statuses = [client.get(URL).status_code for _attempt in range(3)]

    assert statuses == [200, 200, 429]
