from django.db import migrations

from network_portal.migration_operations import PostgreSQLOnlySQL

# The directory's ``q`` ignores accents and case: UPPER(immutable_unaccent(<the four fields>))
# LIKE UPPER(immutable_unaccent('%term%')). unaccent() is only STABLE (its dictionary could
# change), so an index cannot use it; the IMMUTABLE wrapper names the dictionary and can. Another
# app's migration creates the same function with exactly this definition, hence OR REPLACE.
# One index over the fields joined (as members.filters.SearchText writes them): each row then
# costs one unaccent() call instead of four when PostgreSQL checks it.
FIELDS = ["name", "project_title", "project_summary", "expertise"]
SEARCH_TEXT = " || ' ' || ".join(f'"members_member"."{field}"' for field in FIELDS)

UNACCENT = """
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE OR REPLACE FUNCTION immutable_unaccent(text) RETURNS text AS $$
SELECT public.unaccent('public.unaccent'::regdictionary, $1)
$$ LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT;
"""


class Migration(migrations.Migration):
    dependencies = [("members", "0007_profile_text_lengths")]

    operations = [
        # Left in place on the way back: other apps' migrations may use the function too.
        PostgreSQLOnlySQL(sql=UNACCENT, reverse_sql=migrations.RunSQL.noop),
        PostgreSQLOnlySQL(
            sql=[
                *[f"DROP INDEX IF EXISTS member_{field}_trgm" for field in FIELDS],
                "CREATE INDEX IF NOT EXISTS member_search_unaccent_trgm ON members_member "
                f"USING gin (UPPER(immutable_unaccent(({SEARCH_TEXT}))) gin_trgm_ops)",
                # Statistics of the new expression, so the planner knows how many rows match.
                "ANALYZE members_member",
            ],
            reverse_sql=[
                "DROP INDEX IF EXISTS member_search_unaccent_trgm",
                *[
                    f"CREATE INDEX IF NOT EXISTS member_{field}_trgm "
                    f"ON members_member USING gin (UPPER({field}::text) gin_trgm_ops)"
                    for field in FIELDS
                ],
            ],
        ),
    ]
