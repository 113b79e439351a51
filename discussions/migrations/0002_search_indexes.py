from django.db import migrations

from network_portal.migration_operations import PostgreSQLOnlySQL

# Full-text indexes of the one search box (discussions/search.py): the expression of its
# SearchDocument, in English, French and Spanish with accents removed.
POST_BODY = (
    "CREATE INDEX IF NOT EXISTS discussions_post_body_search ON discussions_post USING gin ((to_tsvector('english'::regconfig, immutable_unaccent(body)) || to_tsvector('french'::regconfig, immutable_unaccent(body)) || to_tsvector('spanish'::regconfig, immutable_unaccent(body))))"
)
THREAD_TITLE = (
    "CREATE INDEX IF NOT EXISTS discussions_thread_title_search ON discussions_thread USING gin ((to_tsvector('english'::regconfig, immutable_unaccent(title)) || to_tsvector('french'::regconfig, immutable_unaccent(title)) || to_tsvector('spanish'::regconfig, immutable_unaccent(title))))"
)


class Migration(migrations.Migration):
    dependencies = [("discussions", "0001_initial")]

    operations = [
        PostgreSQLOnlySQL(
            sql=POST_BODY, reverse_sql="DROP INDEX IF EXISTS discussions_post_body_search"
        ),
        PostgreSQLOnlySQL(
            sql=THREAD_TITLE, reverse_sql="DROP INDEX IF EXISTS discussions_thread_title_search"
        ),
    ]
