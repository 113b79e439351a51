import django.db.models.functions.text
from django.db import migrations, models

import members.search
from network_portal.migration_operations import PostgreSQLOnlySQL

# The keywords search reads a stored column (members/search.py) instead of unaccenting each row
# it checks: when the planner walked the name index, "formacion" unaccented ~18,000 rows.
# Adding the column computes it for every existing row. Its trigram index replaces the index on
# the same expression (migration 0008).
OLD_INDEX = (
    "CREATE INDEX IF NOT EXISTS member_search_unaccent_trgm ON members_member USING gin "
    "(UPPER(immutable_unaccent((\"members_member\".\"name\" || ' ' || "
    "\"members_member\".\"project_title\" || ' ' || \"members_member\".\"project_summary\" "
    "|| ' ' || \"members_member\".\"expertise\"))) gin_trgm_ops)"
)


class Migration(migrations.Migration):
    dependencies = [("members", "0013_member_accepts_introductions")]

    operations = [
        migrations.AddField(
            model_name="member",
            name="search_text",
            field=models.GeneratedField(
                db_persist=True,
                expression=django.db.models.functions.text.Upper(
                    members.search.ImmutableUnaccent(members.search.SearchText())
                ),
                output_field=models.TextField(),
            ),
        ),
        PostgreSQLOnlySQL(
            sql=[
                "DROP INDEX IF EXISTS member_search_unaccent_trgm",
                "CREATE INDEX IF NOT EXISTS member_search_text_trgm ON members_member "
                "USING gin (search_text gin_trgm_ops)",
                "ANALYZE members_member",
            ],
            reverse_sql=["DROP INDEX IF EXISTS member_search_text_trgm", OLD_INDEX],
        ),
    ]
