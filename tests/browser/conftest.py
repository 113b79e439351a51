"""What the browser tests of the layout share: a small network and its main pages."""

import pytest
from django.test import Client

from members.letters import document_issue
from members.models import IssuedDocument
from network.tasks import refresh_graph
from tests.coaching.factories import CoachingSessionFactory
from tests.factories import MemberFactory
from tests.funds.factories import FundCallFactory

# Categories whose French and Spanish names are the longest: the badges that overflowed phones.
LONG_CATEGORIES = ["research-data", "career-guidance", "social-inclusion", "entrepreneurship"]


@pytest.fixture
def main_pages(reference_data):
    """The main pages' paths, with a member, a fund call and a session to show on them."""
    member = MemberFactory(
        name="Centre de formation professionnelle et d'apprentissage de Thiès",
        country="SN",
        categories=LONG_CATEGORIES,
    )
    call = FundCallFactory(
        title="Fonds pour l'innovation dans la formation professionnelle",
        categories=LONG_CATEGORIES,
        amount_min=10000,
        amount_max=100000,
        currency="USD",
        deadline_time_zone="Africa/Dakar",
    )
    session = CoachingSessionFactory(
        title="Atelier : rédiger une proposition de financement",
        categories=LONG_CATEGORIES,
        hosts=[member],
        time_zone="Africa/Dakar",
    )
    letter = document_issue(
        kind=IssuedDocument.Kind.LETTER,
        member=member,
        holder_name=member.name,
        language="fr",
        statement="Le Réseau d'innovation en matière de compétences présente ce membre.",
        facts=[["Pays", "Sénégal"], ["Membre depuis", "1 mars 2021"]],
        issued_by_name="Sam Staff",
    )
    refresh_graph(force=True)  # the network page's graph, computed as the worker would
    return {
        "home": "/",
        "letter verification": letter.get_absolute_url(),
        "directory": "/members/",
        "profile": member.get_absolute_url(),
        "funds": "/funds/",
        "fund call": call.get_absolute_url(),
        "coaching": "/coaching/",
        "session": session.get_absolute_url(),
        "categories": "/categories/",
        "category": "/categories/research-data/",
        "sign-in": "/accounts/login/",
        "network": "/network/",
        "world map": "/network/map/",
    }


@pytest.fixture
def new_context(browser):
    """``new_context(**options)``: a browser context closed after the test."""
    contexts = []

    def make(**options):
        context = browser.new_context(**options)
        context.set_default_timeout(5_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def signed_in(live_server):
    """``signed_in(context, user)``: the browser context gets ``user``'s session cookie."""

    def sign_in(context, user):
        client = Client()
        client.force_login(user)
        cookie = {"name": "sessionid", "value": client.cookies["sessionid"].value}
        context.add_cookies([{**cookie, "url": live_server.url}])
        return context

    return sign_in
