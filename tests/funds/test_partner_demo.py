"""seed_demo shows partner search: several requests across calls, the innovator's among them."""

import io

import pytest
from django.core.management import call_command

from funds.models import PartnerRequest

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _debug(settings):
    settings.DEBUG = True  # seed_demo refuses to run with DEBUG off


def test_the_demo_has_partner_requests_across_calls_and_runs_twice(client_for):
    call_command("seed_demo", stdout=io.StringIO())
    first = set(PartnerRequest.objects.values_list("pk", flat=True))
    call_command("seed_demo", stdout=io.StringIO())

    requests = PartnerRequest.objects.open()
    assert set(PartnerRequest.objects.values_list("pk", flat=True)) == first
    assert requests.count() >= 6
    assert requests.values("call").distinct().count() >= 4
    assert requests.filter(user__email="innovator@example.org").exists()
    innovator = requests.get(user__email="innovator@example.org").user
    page = client_for(innovator).get("/funds/partners/")
    assert page.status_code == 200 and page.context["page"].paginator.count == requests.count()
