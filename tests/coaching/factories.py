import datetime

import factory
from django.utils import timezone

from coaching.models import (
    CoachingSession,
    KnowledgeEntry,
    Registration,
    SessionKind,
    SessionSeries,
)
from members.models import Language

from ..factories import UserFactory


class CoachingSessionFactory(factory.django.DjangoModelFactory):
    """A peer-coaching circle a week from now; pass ``hosts=[member]``, ``categories=[slug]``."""

    class Meta:
        model = CoachingSession
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Peer-coaching circle {n}")
    kind = SessionKind.PEER_CIRCLE
    description = "Presenting a project in five minutes."
    language = factory.LazyFunction(lambda: Language.objects.get(code="en"))
    time_zone = "Europe/Zurich"  # Geneva: IANA has no Europe/Geneva
    start = factory.LazyFunction(
        lambda: (timezone.now() + datetime.timedelta(days=7)).replace(second=0, microsecond=0)
    )
    end = factory.LazyAttribute(lambda o: o.start + datetime.timedelta(hours=1))
    online_link = "https://meet.example.org/circle-secret"
    capacity = 10

    @factory.post_generation
    def hosts(self, create, extracted, **kwargs):
        if create and extracted:
            self.hosts.add(*extracted)

    @factory.post_generation
    def categories(self, create, extracted, **kwargs):
        from categories.models import Category

        if create and extracted:
            self.categories.add(*Category.objects.filter(slug__in=extracted))


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    session = factory.SubFactory(CoachingSessionFactory)
    user = factory.SubFactory(UserFactory)
    status = Registration.Status.REGISTERED


class SessionSeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SessionSeries
        skip_postgeneration_save = True

    title = "Peer-coaching circle"
    kind = SessionKind.PEER_CIRCLE
    language = factory.LazyFunction(lambda: Language.objects.get(code="en"))
    time_zone = "Europe/Zurich"  # Geneva: IANA has no Europe/Geneva
    weekday = SessionSeries.Weekday.TUESDAY
    start_time = datetime.time(14, 0)
    interval = 2
    starts_on = datetime.date(2026, 3, 3)

    @factory.post_generation
    def hosts(self, create, extracted, **kwargs):
        if create and extracted:
            self.hosts.add(*extracted)


class KnowledgeEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KnowledgeEntry
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"How reviewers read a budget {n}")
    slug = factory.Sequence(lambda n: f"how-reviewers-read-a-budget-{n}")
    body = "Reviewers look for **costs that follow the activities**."
    language = factory.LazyFunction(lambda: Language.objects.get(code="en"))
    is_public = True

    @factory.post_generation
    def categories(self, create, extracted, **kwargs):
        from categories.models import Category

        if create and extracted:
            self.categories.add(*Category.objects.filter(slug__in=extracted))
