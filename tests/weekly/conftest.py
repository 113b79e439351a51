import datetime

import pytest

from connections.models import Neighbour
from network_portal.weekly import services

from ..coaching.factories import CoachingSessionFactory
from ..factories import MemberFactory
from ..funds.factories import FollowFactory, FundCallFactory

UTC = datetime.UTC
# Monday 7 December 2026; the innovator lives in Dakar (UTC+0 all year).
MONDAY = datetime.datetime(2026, 12, 7, tzinfo=UTC)
LAST_WEEK = MONDAY - datetime.timedelta(days=7)
EIGHT = datetime.timedelta(hours=8)


@pytest.fixture
def subscriber(innovator, time_machine):
    """The innovator, in Dakar, subscribed to the weekly email on Mondays last Monday."""
    innovator.time_zone = "Africa/Dakar"
    innovator.save(update_fields=["time_zone"])
    services.weekly_email_save(
        user=innovator, frequency="weekly", weekday=0, now=LAST_WEEK + EIGHT + EIGHT
    )
    return innovator


@pytest.fixture
def news(subscriber, time_machine):
    """Something for every section of the innovator's email of Monday 7 December."""
    member = subscriber.member
    time_machine.move_to(LAST_WEEK + datetime.timedelta(days=2), tick=False)
    FundCallFactory(
        title="Apprenticeship Innovation Fund",
        categories=["work-based-learning"],
        eligible_regions=["africa"],
        deadline=MONDAY + datetime.timedelta(days=40),
    )
    FundCallFactory(title="Entrepreneurship Prize", categories=["entrepreneurship"])
    followed = FundCallFactory(
        title="Followed Skills Challenge",
        categories=["entrepreneurship"],
        published_at=LAST_WEEK - datetime.timedelta(days=30),
        deadline=MONDAY + datetime.timedelta(days=5),
    )
    FollowFactory(user=subscriber, call=followed)
    CoachingSessionFactory(
        title="Cercle : présenter son projet",
        categories=["work-based-learning"],
        language_id="fr",
        start=MONDAY + datetime.timedelta(days=3, hours=14),
        end=MONDAY + datetime.timedelta(days=3, hours=15),
    )
    CoachingSessionFactory(
        title="Círculo de presupuesto",
        categories=["work-based-learning"],
        language_id="es",
        start=MONDAY + datetime.timedelta(days=3, hours=14),
        end=MONDAY + datetime.timedelta(days=3, hours=15),
    )
    MemberFactory(name="Nouvelle Académie Apprentissage", categories=["work-based-learning"])
    MemberFactory(name="Unrelated Startup", categories=["entrepreneurship"])
    time_machine.move_to(LAST_WEEK - datetime.timedelta(days=60), tick=False)
    alike = MemberFactory(name="Dakar Skills Twin", categories=["entrepreneurship"])
    Neighbour.objects.create(member=member, neighbour=alike, score=0.9, shared_languages=["fr"])
    time_machine.move_to(LAST_WEEK + datetime.timedelta(days=4), tick=False)
    alike.project_title = "Now scaling to three regions"
    alike.save()
    return subscriber
