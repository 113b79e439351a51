from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from network_portal.migration_operations import PostgreSQLOnlySQL

# The directory's ``q`` is a case-insensitive substring match (UPPER(field) LIKE UPPER('%term%'));
# these trigram indexes let PostgreSQL answer it without reading every row.
FIELDS = ["name", "project_title", "project_summary", "expertise"]


class Migration(migrations.Migration):
    dependencies = [("members", "0002_seed_languages")]

    operations = [
        TrigramExtension(),
        *[
            PostgreSQLOnlySQL(
                sql=(
                    f"CREATE INDEX IF NOT EXISTS member_{field}_trgm "
                    f"ON members_member USING gin (UPPER({field}::text) gin_trgm_ops)"
                ),
                reverse_sql=f"DROP INDEX IF EXISTS member_{field}_trgm",
            )
            for field in FIELDS
        ],
    ]
