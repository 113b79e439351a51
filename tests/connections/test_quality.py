"""Similar members find projects on the same topic, not only in the same categories."""

import random

import pytest

from connections.similarity import similar_members
from tests.factories import MemberFactory

from .clusters import CLUSTERS

pytestmark = pytest.mark.django_db

COUNTRIES = {"en": ["KE", "GH", "PH", "JM"], "fr": ["SN", "CI", "BF", "MA"], "es": ["CO", "PE"]}


@pytest.fixture
def clustered(rebuild):
    """80 members: ``{member: cluster}``, their neighbours computed."""
    clusters = {}
    for cluster, (language, categories, projects) in CLUSTERS.items():
        for index, (title, summary) in enumerate(projects):
            # Working languages: the cluster's own, and often English or French as well.
            extra = [code for code in ("en", "fr") if code != language and (index + len(code)) % 3]
            member = MemberFactory(
                name=f"{cluster} {index}",
                country=COUNTRIES[language][index % len(COUNTRIES[language])],
                project_title=title,
                project_summary=summary,
                categories=categories,
                languages=[language, *extra],
            )
            clusters[member] = cluster
    rebuild()
    return clusters


def test_similar_members_share_the_topic_far_more_than_a_random_pick_in_the_same_categories(
    clustered, staff_officer, record_property
):
    rng = random.Random(11)
    by_categories = {}
    for member, cluster in clustered.items():
        by_categories.setdefault(tuple(CLUSTERS[cluster][1]), []).append(member)

    hits = baseline_hits = 0
    draws = 20
    for member, cluster in clustered.items():
        suggested = similar_members(member, staff_officer, limit=5)
        assert len(suggested) == 5, member
        hits += sum(clustered[s.member] == cluster for s in suggested)
        peers = [m for m in by_categories[tuple(CLUSTERS[cluster][1])] if m != member]
        for _draw in range(draws):
            baseline_hits += sum(clustered[m] == cluster for m in rng.sample(peers, 5))
    precision = hits / (5 * len(clustered))
    baseline = baseline_hits / (5 * len(clustered) * draws)

    record_property("precision_at_5", round(precision, 3))
    record_property("random_same_categories_at_5", round(baseline, 3))
    assert precision >= 0.8
    assert precision - baseline >= 0.3
