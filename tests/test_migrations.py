"""What `migrate` creates on an empty database: categories, languages, groups and permissions.

The test database of the suite is reused between runs and its reference rows are re-seeded by
tests/conftest.py, so these tests run a real `migrate` on a brand-new database instead.
"""

import json
import os
import uuid

import pytest
from django.db import connection

from accounts.roles import CORE_GROUP, GROUP_PERMISSIONS, ILO_STAFF

from .processes import run_python

pytestmark = pytest.mark.django_db


NINE = [
    "work-based-learning",
    "rpl-certification",
    "career-guidance",
    "research-data",
    "skills-ecosystem",
    "training-delivery",
    "social-inclusion",
    "entrepreneurship",
    "core-life-skills",
]

REPORT = """
import json
import django
django.setup()
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
from django.contrib.auth.models import Group
from categories.models import Category
from members.models import Language
fields = ["name", "name_fr", "name_es", "description", "description_fr", "description_es"]
print(json.dumps({
    "categories": [c.slug for c in Category.objects.all()],
    "translated": all(all(getattr(c, f) for f in fields) for c in Category.objects.all()),
    "languages": sorted(Language.objects.values_list("code", flat=True)),
    "groups": {
        g.name: sorted(
            f"{p.content_type.app_label}.{p.codename}"
            for p in g.permissions.select_related("content_type")
        )
        for g in Group.objects.all()
    },
}))
"""


@pytest.fixture(scope="module")
def fresh_migrate(django_db_blocker):
    """Run `manage.py migrate` on a new, empty PostgreSQL database and report what it made."""
    if connection.vendor != "postgresql":
        pytest.skip("The fresh-database check runs on PostgreSQL, as `make test` does.")
    with django_db_blocker.unblock():
        params = connection.settings_dict
        name = f"{params['NAME']}_fresh_{uuid.uuid4().hex[:8]}"
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        try:
            auth = params["USER"] + (f":{params['PASSWORD']}" if params["PASSWORD"] else "")
            host = f"{params['HOST'] or 'localhost'}:{params['PORT'] or 5432}"
            url = f"postgres://{auth}@{host}/{name}"
            env = {**os.environ, "DATABASE_URL": url, "DJANGO_DEBUG": "true"}
            yield json.loads(run_python(REPORT, env=env, timeout=300))
        finally:
            with connection._nodb_cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


def test_migrate_creates_the_nine_categories_in_three_languages(fresh_migrate):
    assert fresh_migrate["categories"] == NINE
    assert fresh_migrate["translated"]


def test_migrate_creates_the_87_languages(fresh_migrate):
    assert len(fresh_migrate["languages"]) == 87
    assert {"en", "fr", "es", "ar", "pt", "sw"} <= set(fresh_migrate["languages"])


def test_ilo_staff_may_export_see_private_contacts_and_approve(fresh_migrate):
    assert {
        "members.export_members",
        "members.view_private_contacts",
        "members.approve_member",
    } <= set(fresh_migrate["groups"][ILO_STAFF])


def test_core_group_approves_but_neither_exports_nor_sees_private_contacts(fresh_migrate):
    permissions = set(fresh_migrate["groups"][CORE_GROUP])

    assert "members.approve_member" in permissions
    assert "members.export_members" not in permissions
    assert "members.view_private_contacts" not in permissions


@pytest.mark.parametrize("group_name", [ILO_STAFF, CORE_GROUP])
def test_each_group_holds_exactly_the_permissions_accounts_roles_lists(fresh_migrate, group_name):
    assert set(fresh_migrate["groups"][group_name]) == set(GROUP_PERMISSIONS[group_name])
