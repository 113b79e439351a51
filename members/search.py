"""What the directory's keywords search: a profile's text folded once, stored with the row.

``Member.search_text`` is a stored generated column: PostgreSQL writes the searched fields
joined, unaccented and upper-cased whenever a row is inserted or updated (bulk writes and
``QuerySet.update()`` included), so a search compares each row's stored text instead of calling
``unaccent()`` per row. A trigram index on it (migration ``search_text_stored``) serves
``LIKE '%term%'``.
SQLite has no ``unaccent``: there the column is upper-cased only and accents match as typed.
"""

from django.db.models import Func, TextField, Value
from django.db.models.functions import Upper

# The fields ``q`` searches.
SEARCH_FIELDS = ["name", "project_title", "project_summary", "expertise"]


class SearchText(Func):
    """The searched fields joined by spaces."""

    template = "(%(expressions)s)"
    arg_joiner = " || ' ' || "
    output_field = TextField()

    def __init__(self):
        super().__init__(*SEARCH_FIELDS)


class ImmutableUnaccent(Func):
    """PostgreSQL's ``unaccent`` through the IMMUTABLE wrapper of migration 0008, which a
    generated column and an index can use; the text as it is on SQLite."""

    function = "immutable_unaccent"
    output_field = TextField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return compiler.compile(self.get_source_expressions()[0])


def folded(expression):
    """``expression`` as the search stores text: unaccented and upper-cased."""
    return Upper(ImmutableUnaccent(expression))


def folded_term(term):
    """A searched word folded the same way (a constant the planner folds before planning)."""
    return folded(Value(term))
