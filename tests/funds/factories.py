import datetime

import factory
from django.utils import timezone

from categories.models import Category
from funds.models import Follow, FundAlert, FundCall, PartnerRequest

from ..factories import MemberFactory, UserFactory


class FundCallFactory(factory.django.DjangoModelFactory):
    """A published call closing in 30 days; pass ``categories=["slug", ...]``."""

    class Meta:
        model = FundCall
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Skills Challenge Fund {n}")
    funder = "Global Skills Foundation"
    source_type = FundCall.SourceType.FOUNDATION
    description = "Grants for innovations that match training to the jobs employers need."
    link = factory.Sequence(lambda n: f"https://funder.example.org/calls/{n}")
    deadline = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))
    deadline_time_zone = "Europe/Paris"
    status = FundCall.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def categories(self, create, extracted, **kwargs):
        if create and extracted:
            self.categories.add(*Category.objects.filter(slug__in=extracted))


class SuggestedFundCallFactory(FundCallFactory):
    status = FundCall.Status.SUGGESTED
    published_at = None
    suggested_by = factory.SubFactory(UserFactory)


class FundAlertFactory(factory.django.DjangoModelFactory):
    """An immediate alert; pass ``categories=["slug", ...]``."""

    class Meta:
        model = FundAlert
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    frequency = FundAlert.Frequency.IMMEDIATE

    @factory.post_generation
    def categories(self, create, extracted, **kwargs):
        if create and extracted:
            self.categories.add(*Category.objects.filter(slug__in=extracted))


class FollowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Follow

    user = factory.SubFactory(UserFactory)
    call = factory.SubFactory(FundCallFactory)


class PartnerRequestFactory(factory.django.DjangoModelFactory):
    """An open request by a listed member's owner on an open call; pass ``categories=[...]``."""

    class Meta:
        model = PartnerRequest
        skip_postgeneration_save = True

    call = factory.SubFactory(FundCallFactory)
    member = factory.SubFactory(MemberFactory)
    user = factory.LazyAttribute(lambda request: request.member.owner)
    role = PartnerRequest.Role.CO_APPLICANT
    offer = "A tested apprenticeship model and trainers ready to teach it."
    seeking = factory.Sequence(lambda n: f"A training provider to run pilot number {n} with us.")

    @factory.post_generation
    def categories(self, create, extracted, **kwargs):
        if create and extracted:
            self.categories.add(*Category.objects.filter(slug__in=extracted))
