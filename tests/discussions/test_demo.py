import random

import pytest

from discussions import demo
from discussions.models import Follow, Post, Thread
from tests.factories import MemberFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_demo_threads_span_several_categories_and_a_second_run_adds_nothing():
    MemberFactory(owner=UserFactory(email="innovator@example.org"))
    for _ in range(4):
        MemberFactory()

    demo.seed(random.Random(1))
    counts = (Thread.objects.count(), Post.objects.count(), Follow.objects.count())
    demo.seed(random.Random(2))

    assert Thread.objects.values("category").distinct().count() >= 4
    assert (Thread.objects.count(), Post.objects.count(), Follow.objects.count()) == counts
    assert Follow.objects.filter(
        user__email="innovator@example.org", category__isnull=False
    ).exists()
    assert all(thread.posts.filter(is_opening=True).count() == 1 for thread in Thread.objects.all())
