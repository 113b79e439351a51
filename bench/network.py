"""The network graph at 5,000 members and 20,000 connections: the task, the page, its weight.

    DATABASE_URL=postgres://postgres@localhost:5432/network_portal_bench_network \
        .venv/bin/python bench/network.py [--runs 5]

Fills its own database once (5,000 invented members, 20,000 accepted introductions between
random pairs), then prints:
- the Celery task's time (``refresh_graph(force=True)``: the three audiences' layout and
  metrics, sampled above ``graph.SAMPLE_ABOVE`` members) and each audience's share;
- ``/network/`` as a visitor and as ILO staff (the biggest graph, with the metrics table): the
  median of ``--runs`` requests, the HTML's size raw and gzipped;
- ``/network/map/`` the same way.
Runs with production settings (DEBUG off). Not part of ``make test``.
"""

import argparse
import gzip
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault(
    "DATABASE_URL", "postgres://postgres@localhost:5432/network_portal_bench_network"
)

from common import ensure_database  # noqa: E402
from directory import say, setup_django  # noqa: E402 (sets the production settings)

MEMBERS = 5_000
CONNECTIONS = 20_000
STAFF_EMAIL = "bench-staff@example.org"


def fill():
    from django.contrib.auth.models import Group
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import User
    from accounts.roles import ILO_STAFF
    from categories.models import Category
    from connections.models import Introduction
    from members.demo import CATEGORY_SLUGS, COUNTRIES, member_spec
    from members.models import Member

    staff, _created = User.objects.get_or_create(email=STAFF_EMAIL, defaults={"is_staff": True})
    staff.groups.add(Group.objects.get(name=ILO_STAFF))
    if Member.objects.count() >= MEMBERS:
        say(f"reusing {Member.objects.count()} members")
        return staff
    rng = random.Random(5_000)
    countries, types = list(COUNTRIES), list(Member.Type)
    categories = dict(Category.objects.values_list("slug", "id"))
    fields = {field.name for field in Member._meta.concrete_fields} - {"id", "owner", "region"}
    with transaction.atomic():
        specs = []
        for index in range(MEMBERS):
            spec = member_spec(
                rng,
                types[index % len(types)],
                rng.choice(countries),
                CATEGORY_SLUGS[index % len(CATEGORY_SLUGS)],
            )
            spec["contact_email"] = spec["contact_email"].replace("@", f".{index}@")
            spec["imported"] = False
            spec["status"] = "listed"
            spec["is_public"] = rng.random() >= 0.15
            specs.append(spec)
        owners = User.objects.bulk_create(
            [User(email=f"owner{i}@bench.example.org", password="!") for i in range(MEMBERS)]
        )
        members = Member.objects.bulk_create(
            [
                Member(owner=owner, **{k: v for k, v in spec.items() if k in fields})
                for owner, spec in zip(owners, specs, strict=True)
            ]
        )
        Member.categories.through.objects.bulk_create(
            [
                Member.categories.through(member_id=member.pk, category_id=categories[slug])
                for member, spec in zip(members, specs, strict=True)
                for slug in spec["categories"]
            ]
        )
        ids = [member.pk for member in members]
        # Preferential attachment-ish: some members are hubs, as in a real network.
        weights = [1 + (rng.random() < 0.05) * 20 for _id in ids]
        pairs = set()
        while len(pairs) < CONNECTIONS:
            a, b = rng.choices(ids, weights=weights, k=2)
            if a != b:
                pairs.add((min(a, b), max(a, b)))
        now = timezone.now()
        Introduction.objects.bulk_create(
            [
                Introduction(
                    sender_id=a,
                    recipient_id=b,
                    message="Benchmark",
                    status="accepted",
                    answered_at=now,
                    accepted_at=now,
                )
                for a, b in sorted(pairs)
            ],
            batch_size=5_000,
        )
    say(f"filled {MEMBERS} members and {CONNECTIONS} connections")
    return staff


def bench_task():
    from network import graph

    times = {}
    started = time.perf_counter()
    data = None
    for audience in graph.AUDIENCES:
        begun = time.perf_counter()
        data = graph.build(audience, previous=data)
        times[audience] = (time.perf_counter() - begun, data["summary"])
    return time.perf_counter() - started, times


def bench_page(path, user, runs):
    from django.test import Client

    client = Client()
    if user is not None:
        client.force_login(user)
    client.get(path)  # warm up
    timings = []
    for _run in range(runs):
        started = time.perf_counter()
        response = client.get(path)
        timings.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
    body = response.content
    return statistics.median(timings) * 1000, len(body), len(gzip.compress(body))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()

    ensure_database()
    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    staff = fill()

    total, times = bench_task()
    say(f"\nrefresh_graph (3 audiences, layout + metrics): {total:.1f} s")
    for audience, (seconds, summary) in times.items():
        say(
            f"  {audience:8} {seconds:5.1f} s: {summary['members']} members, "
            f"{summary['edges']} edges, {summary['communities']} communities, "
            f"diameter {summary['diameter']}, sampled {summary['sampled']}"
        )
    for path in ("/network/", "/network/map/"):
        for who, user in (("visitor", None), ("staff", staff)):
            median, raw, gzipped = bench_page(path, user, options.runs)
            say(
                f"{path:14} as {who:7}: median {median:6.1f} ms over {options.runs}, "
                f"{raw / 1024:6.0f} KB, {gzipped / 1024:5.0f} KB gzipped"
            )


if __name__ == "__main__":
    main()
