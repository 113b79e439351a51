"""Directory benchmark: 100k members on PostgreSQL, measured as users meet the portal.

    DATABASE_URL=postgres://postgres@localhost:5432/network_portal_bench python bench/directory.py

Creates the database if needed, migrates it and fills it once with 100,000 invented members
(reused on later runs). Runs with production settings (DEBUG off, cached templates, the
compressed manifest of static files). Then:

1. For each filter set of /members/ (the unfiltered first page included), as a visitor and as a
   signed-in member: the time of the whole request through the middleware (django.test.Client,
   which calls the same handler as gunicorn), first with nothing of the page kept yet ("cold":
   its counts, its members' ids, its rendered cards and filter panel) and then the median of
   ``--runs`` requests ("warm"); this process's CPU per request; the SQL
   time inside those requests (planning, round trips and binding included) and the same
   statements re-run raw on a cursor; the queries per request.
   Target: warm median <= 20 ms for every page.
   The earlier target, request / its own raw SQL <= 3x, rewarded slow SQL: a page whose full
   scans took 100 ms showed 1.1x however slow its Python, and it ran with the settings of
   development (DEBUG turned off after start-up, no static manifest). A replay measured by
   EXPLAIN ANALYZE's execution time leaves out planning (3-30 ms here for the facet and keyword
   queries), hence its 4-16x. Only the whole request's time is what a user waits for.
2. Requests per second under ``wrk`` (10 s, loopback) on gunicorn with 2 workers, for a
   directory page beside /healthz.
3. The CSV export of all members as ILO staff against ``COPY (same columns) TO STDOUT``, and
   the memory the export grows by (in a fresh process). Targets: <= 3x, < 50 MB.
Not part of `make test`; `make bench` runs it.
"""

import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
import uuid
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from common import ensure_database  # noqa: E402

os.environ.setdefault("DATABASE_URL", "postgres://postgres@localhost:5432/network_portal_bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "network_portal.settings")
# Production settings, as gunicorn runs them; plain HTTP on loopback, so no HTTPS redirect.
PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "bench-only-secret-key-not-used-anywhere-else-0123456789",
    "DJANGO_SECURE_SSL_REDIRECT": "false",
    "DJANGO_ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
}
for _name, _value in PRODUCTION.items():
    os.environ.setdefault(_name, _value)

MEMBER_COUNT = 100_000
BATCH = 5_000
FILTERS = [
    "",
    "category=social-inclusion",
    "category=entrepreneurship",
    "region=africa&category=work-based-learning",
    "country=KE&language=fr",
    "q=apprentice&type=tvet",
    "q=formacion",
    "category=research-data&page=40",
]
TARGET_MS = 20
WRK_URL = "/members/?category=entrepreneurship"
MEMBER_EMAIL = "bench-member@example.org"
STAFF_EMAIL = "bench-staff@example.org"

# The export's columns, computed by PostgreSQL alone (country and labels stay codes).
COPY_SQL = """
COPY (
    SELECT m.name, m.kind, m.member_type, m.country, m.country, m.region,
        (SELECT string_agg(ml.language_id, '; ' ORDER BY ml.language_id)
           FROM members_member_languages ml WHERE ml.member_id = m.id),
        (SELECT string_agg(c.name, '; ' ORDER BY c.position)
           FROM members_member_categories mc JOIN categories_category c ON c.id = mc.category_id
          WHERE mc.member_id = m.id),
        m.project_title, m.project_stage, m.website, m.contact_name, m.contact_email,
        m.contact_phone, m.status, m.owner_id IS NOT NULL, m.is_top_innovator,
        to_char(m.created_at, 'YYYY-MM-DD HH24:MI')
    FROM members_member m
    ORDER BY m.name, m.id
) TO STDOUT WITH (FORMAT csv, HEADER)
"""


# Django reads .iterator() querysets through a named cursor; the captured SQL declares it.
DECLARE = re.compile(r'^DECLARE "?\w+"? .*?CURSOR (?:WITH(?:OUT)? HOLD )?FOR ')


def setup_django():
    import django
    from django.conf import settings

    django.setup()
    assert not settings.DEBUG, "the benchmark runs with production settings"


def fill():
    """100k members with owners, categories and languages; reused when already there."""
    import random

    from django.contrib.auth.models import Group
    from django.db import connection, transaction

    from accounts.models import User
    from accounts.roles import ILO_STAFF
    from categories.models import Category
    from members.demo import CATEGORY_SLUGS, COUNTRIES, member_spec
    from members.models import Language, Member

    staff, _created = User.objects.get_or_create(email=STAFF_EMAIL, defaults={"is_staff": True})
    staff.groups.add(Group.objects.get(name=ILO_STAFF))
    member_user, _created = User.objects.get_or_create(email=MEMBER_EMAIL)
    existing = Member.objects.count()
    if existing >= MEMBER_COUNT:
        say(f"reusing {existing} members")
        return staff, member_user
    if existing:
        sys.exit(f"{existing} members found, not {MEMBER_COUNT}: drop the database and rerun.")

    started = time.perf_counter()
    rng = random.Random(100_000)
    countries, types = list(COUNTRIES), list(Member.Type)
    categories = dict(Category.objects.values_list("slug", "id"))
    languages = set(Language.objects.values_list("code", flat=True))
    fields = {field.name for field in Member._meta.concrete_fields} - {"id", "owner", "region"}
    with transaction.atomic():
        for start in range(0, MEMBER_COUNT, BATCH):
            specs = []
            for index in range(start, start + BATCH):
                spec = member_spec(
                    rng,
                    types[index % len(types)],
                    rng.choice(countries),
                    CATEGORY_SLUGS[index % len(CATEGORY_SLUGS)],
                )
                # One imported profile per contact email (a database constraint): number them.
                spec["contact_email"] = spec["contact_email"].replace("@", f".{index}@")
                draw = rng.random()
                spec["imported"] = draw < 0.08
                spec["status"] = "pending" if 0.08 <= draw < 0.10 else "listed"
                spec["is_public"] = draw >= 0.15
                spec["is_top_innovator"] = rng.random() < 0.02
                specs.append(spec)
            owners = User.objects.bulk_create(
                [
                    User(email=f"owner{index}@bench.example.org", password="!")
                    for index, spec in enumerate(specs, start)
                    if not spec["imported"]
                ]
            )
            owner_iter = iter(owners)
            members = Member.objects.bulk_create(
                [
                    Member(
                        owner=None if spec["imported"] else next(owner_iter),
                        **{key: value for key, value in spec.items() if key in fields},
                    )
                    for spec in specs
                ]
            )
            Member.categories.through.objects.bulk_create(
                [
                    Member.categories.through(member_id=member.pk, category_id=categories[slug])
                    for member, spec in zip(members, specs, strict=True)
                    for slug in spec["categories"]
                ]
            )
            Member.languages.through.objects.bulk_create(
                [
                    Member.languages.through(member_id=member.pk, language_id=code)
                    for member, spec in zip(members, specs, strict=True)
                    for code in spec["languages"]
                    if code in languages
                ]
            )
            say(f"  {start + BATCH} members", end="\r")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    say(f"filled {MEMBER_COUNT} members in {time.perf_counter() - started:.0f} s")
    return staff, member_user


def timed(function, runs):
    """Median wall time of ``function()`` over ``runs`` runs, after one warm-up run."""
    function()
    times = []
    for _run in range(runs):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def raw_sql(sql):
    """The statement to re-run: a server-side cursor's SELECT without its DECLARE."""
    return DECLARE.sub("", sql)


class SQLTimer:
    """Wall time spent in the database during requests (connection.execute_wrapper)."""

    def __init__(self):
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started


def bench_directory(users, runs):
    """Server time of each directory page: cold (counts computed) and warm (median of runs)."""
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from members import directory

    say(f"\n/members/, whole request through the middleware (warm: median of {runs} runs)")
    say(
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
        " (wall times need a quiet machine; CPU per request is less disturbed)"
    )
    say(
        f"{'filters':42} {'who':7} {'cold':>8} {'warm':>8} {'CPU':>7} {'SQL in':>7} {'SQL raw':>8} "
        f"{'queries':>7}  target <= {TARGET_MS} ms"
    )
    worst = 0.0
    for who, user in users.items():
        client = Client()
        if user is not None:
            client.force_login(user)
        for query in FILTERS:
            url = f"/members/?{query}"

            def request(url=url, client=client):
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)
                return response

            # Nothing kept: counts and ids as after a member changed, cards and panel as after
            # a release (their keys name the release).
            directory._new_generation()
            with mock.patch.object(directory, "_release", lambda: uuid.uuid4().hex):
                started = time.perf_counter()
                request()
                cold = time.perf_counter() - started
            timer = SQLTimer()
            cpu_started = time.process_time()
            with connection.execute_wrapper(timer):
                warm = timed(request, runs)
            # This process's CPU per request: Python alone, the least disturbed by other load.
            cpu = (time.process_time() - cpu_started) / (runs + 1)
            sql_in = timer.seconds / (runs + 1)
            with CaptureQueriesContext(connection) as captured:
                request()
            statements = [raw_sql(q["sql"]) for q in captured.captured_queries]

            def raw(statements=statements):
                with transaction.atomic(), connection.cursor() as cursor:
                    for sql in statements:
                        cursor.execute(sql)
                        if cursor.description:
                            cursor.fetchall()

            raw_time = timed(raw, runs)
            worst = max(worst, warm)
            say(
                f"{query or '(none)':42} {who:7} {cold * 1000:6.1f}ms {warm * 1000:6.1f}ms "
                f"{cpu * 1000:5.1f}ms {sql_in * 1000:5.1f}ms {raw_time * 1000:6.1f}ms "
                f"{len(statements):7}  "
                f"{'met' if warm * 1000 <= TARGET_MS else 'MISSED'}"
            )
    return worst


def bench_wrk(seconds):
    """Requests per second of gunicorn (2 workers) under wrk on loopback, a page and /healthz."""
    import shutil
    import urllib.request

    from common import free_port

    if not shutil.which("wrk"):
        say("\nwrk not found (Debian: apt-get install -y wrk): requests per second not measured")
        return None
    port = free_port()
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "network_portal.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _attempt in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1).read()
                break
            except OSError:
                time.sleep(0.2)
        rates = {}
        for path in (WRK_URL, "/healthz"):
            urllib.request.urlopen(base + path, timeout=10).read()
            result = subprocess.run(
                ["wrk", "-t2", "-c8", f"-d{seconds}s", base + path],
                capture_output=True,
                text=True,
                check=True,
            )
            rates[path] = float(re.search(r"Requests/sec:\s*([\d.]+)", result.stdout).group(1))
    finally:
        server.terminate()
        server.wait(timeout=30)
    say(f"\ngunicorn, 2 workers, wrk -t2 -c8 -d{seconds}s on loopback")
    for path, rate in rates.items():
        say(f"  {path:42} {rate:8.0f} requests/s")
    say(f"  ratio page / healthz {rates[WRK_URL] / rates['/healthz']:.2f}")
    return rates


def export_csv(client, filters=""):
    """Download an export and read every chunk; returns its size in bytes."""
    response = client.get(f"/members/export/?format=csv{filters}")
    assert response.status_code == 200, response.status_code
    return sum(len(chunk) for chunk in response.streaming_content)


def bench_export(staff, runs):
    from django.db import connection
    from django.test import Client

    client = Client()
    client.force_login(staff)
    export_time = timed(lambda: export_csv(client), runs)
    size = export_csv(client)

    def copy():
        raw = connection.connection  # the psycopg connection under Django's
        total = 0
        with raw.cursor() as cursor, cursor.copy(COPY_SQL) as copy:
            for block in copy:
                total += len(block)
        return total

    connection.ensure_connection()
    copy_time = timed(copy, runs)
    copy_size = copy()
    ratio = export_time / copy_time
    say(f"\nCSV export of all {MEMBER_COUNT} members (median of {runs} runs)")
    say(f"  export  {export_time:6.2f} s  {size / 1e6:5.1f} MB")
    say(f"  COPY    {copy_time:6.2f} s  {copy_size / 1e6:5.1f} MB")
    say(f"  ratio   {ratio:6.1f}x")
    return ratio


def export_memory():
    """In this fresh process: memory growth of one full export (tracemalloc peak and RSS)."""
    from django.test import Client

    from accounts.models import User

    client = Client()
    client.force_login(User.objects.get(email=STAFF_EMAIL))
    # Warm up (imports, translations, connection) on a small export.
    export_csv(client, "&country=FJ&type=tvet")
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    baseline = tracemalloc.get_traced_memory()[0]
    export_csv(client)
    peak = tracemalloc.get_traced_memory()[1] - baseline
    tracemalloc.stop()
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"tracemalloc_peak": peak, "rss_growth": (rss_after - rss_before) * 1024}


def say(text, end="\n"):
    sys.stdout.write(text + end)
    sys.stdout.flush()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs per measure")
    parser.add_argument("--wrk-seconds", type=int, default=10, help="length of each wrk run")
    parser.add_argument("--skip-export", action="store_true", help="only the directory pages")
    parser.add_argument("--memory-only", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()

    if options.memory_only:
        setup_django()
        say(json.dumps(export_memory()))
        return

    ensure_database()
    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    staff, member_user = fill()
    worst = bench_directory({"visitor": None, "member": member_user}, options.runs)
    bench_wrk(options.wrk_seconds)
    slowest = worst * 1000
    label = f"slowest directory page {slowest:.1f} ms (<= {TARGET_MS} ms)"
    targets = [(label, slowest <= TARGET_MS)]
    if not options.skip_export:
        export_ratio = bench_export(staff, options.runs)
        result = subprocess.run(
            [sys.executable, __file__, "--memory-only"],
            capture_output=True,
            text=True,
            check=True,
        )
        memory = json.loads(result.stdout.strip().splitlines()[-1])
        growth = max(memory.values())
        say(
            f"  memory  tracemalloc peak {memory['tracemalloc_peak'] / 1e6:.1f} MB, "
            f"max RSS growth {memory['rss_growth'] / 1e6:.1f} MB"
        )
        targets += [
            (f"export / COPY {export_ratio:.1f}x (<= 3x)", export_ratio <= 3),
            (f"export memory growth {growth / 1e6:.1f} MB (< 50 MB)", growth < 50e6),
        ]
    say(f"\nload average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs at the end")
    say("\ntargets:")
    for label, met in targets:
        say(f"  {label}: {'met' if met else 'MISSED'}")


if __name__ == "__main__":
    main()
