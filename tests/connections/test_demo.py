"""The demo shows introductions and conversations, and a second run adds none."""

import io

import pytest
from django.core.management import call_command

from accounts.models import User
from connections.models import ConnectionEmail, Introduction, Message
from connections.unread import waiting_count

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _debug(settings):
    settings.DEBUG = True


def test_seed_demo_connects_the_personas_and_runs_twice_unchanged(client):
    call_command("seed_demo", stdout=io.StringIO())
    counts = (Introduction.objects.count(), Message.objects.count())
    innovator = User.objects.get(email="innovator@example.org")

    assert Introduction.objects.connections().count() >= 20
    assert Introduction.objects.connections_of(innovator.member).count() == 3
    assert Introduction.objects.filter(recipient=innovator.member, status="pending").count() == 1
    assert waiting_count(innovator) == 2  # the introduction and Carla's last message
    assert not ConnectionEmail.objects.exists()
    client.force_login(innovator)
    page = client.get("/connections/").content.decode()
    assert "Red Aprender Haciendo" in page

    call_command("seed_demo", stdout=io.StringIO())
    assert (Introduction.objects.count(), Message.objects.count()) == counts
