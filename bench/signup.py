"""Sign-up time for a new address against a taken one: the timing must not tell who is a member.

    DATABASE_URL=postgres://postgres@localhost:5432/network_portal_bench \
        .venv/bin/python bench/signup.py --runs 15

Creates the database if needed and migrates it, starts the SMTP sink of ``common.py`` (emails
really leave over SMTP, as in production), then posts ``/accounts/signup/`` through the whole
Django stack (``django.test.Client``) alternately with a new address and with one that already
has an account, each with the same password. It prints the median and the spread of each, and
their difference. ``--allauth-form`` runs allauth's own sign-up form instead of ours, to show
the gap that ``accounts.forms.SignupForm`` closes. Rate limits are off (they are not what is
measured); the cache is local memory. Not part of `make test`.
"""

import argparse
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from common import start  # noqa: E402

os.environ.setdefault("DATABASE_URL", "postgres://postgres@localhost:5432/network_portal_bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "network_portal.settings")
os.environ.pop("REDIS_URL", None)

PASSWORD = "a long and unusual passphrase 42"


def timed_signup(email):
    from django.test import Client

    client = Client()
    began = time.perf_counter()
    response = client.post(
        "/accounts/signup/", {"email": email, "password1": PASSWORD, "password2": PASSWORD}
    )
    elapsed = time.perf_counter() - began
    assert response.status_code == 302, response.status_code
    return elapsed


def describe(label, samples):
    ordered = sorted(samples)
    return (
        f"{label:>14}: median {statistics.median(ordered) * 1000:7.1f} ms, "
        f"min {ordered[0] * 1000:7.1f} ms, max {ordered[-1] * 1000:7.1f} ms"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--allauth-form", action="store_true")
    args = parser.parse_args()

    _port, counter, sink = start()
    try:
        from django.conf import settings

        from accounts.models import User

        settings.ACCOUNT_RATE_LIMITS = False
        settings.ALLOWED_HOSTS = ["testserver"]
        if args.allauth_form:
            settings.ACCOUNT_FORMS = {}
        run = uuid.uuid4().hex[:8]
        taken = [f"bench-taken-{run}-{n}@example.org" for n in range(args.runs)]
        for email in taken:
            User.objects.create_user(email=email, password=PASSWORD)
        timed_signup(f"bench-warm-{run}@example.org")  # imports, template loading

        new, existing = [], []
        for n in range(args.runs):
            new.append(timed_signup(f"bench-new-{run}-{n}@example.org"))
            existing.append(timed_signup(taken[n]))

        form = "allauth's SignupForm" if args.allauth_form else "accounts.forms.SignupForm"
        print(f"Sign-up, {args.runs} runs each, {form}; emails accepted: {counter.value}")
        print(describe("new address", new))
        print(describe("taken address", existing))
        gap = statistics.median(new) - statistics.median(existing)
        print(f"{'difference':>14}: {gap * 1000:+7.1f} ms (new minus taken, medians)")
    finally:
        sink.terminate()


if __name__ == "__main__":
    main()
