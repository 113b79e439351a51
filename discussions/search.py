"""One search across the discussions and the knowledge base.

On PostgreSQL: full text in English, French and Spanish at once, accents ignored (through the
``immutable_unaccent`` function that the members and connections migrations create), so
"formacion" finds "formación" and "apprentices" finds "apprenticeship". On SQLite, plain
case-insensitive matching.
"""

from django.contrib.postgres.search import SearchQuery, SearchVectorField
from django.db import connection
from django.db.models import Exists, F, Func, OuterRef, Q, TextField, Value

from coaching.models import KnowledgeEntry

from .models import Post, Thread

CONFIGS = ["english", "french", "spanish"]
LIMIT = 20


class Unaccent(Func):
    function = "immutable_unaccent"
    output_field = TextField()


class Joined(Func):
    """Text fields joined by spaces (all NOT NULL), for one document of several fields."""

    template = "(%(expressions)s)"
    arg_joiner = " || ' ' || "
    output_field = TextField()


class SearchDocument(Func):
    """The tsvector of a text in the three configurations, accents removed: the very expression
    of the GIN indexes of migration 0002, so that PostgreSQL can use them."""

    template = (
        "("
        + " || ".join(
            f"to_tsvector('{config}'::regconfig, immutable_unaccent(%(expressions)s))"
            for config in CONFIGS
        )
        + ")"
    )
    output_field = SearchVectorField()


def _query(text):
    queries = [SearchQuery(Unaccent(Value(text)), config=config) for config in CONFIGS]
    combined = queries[0]
    for query in queries[1:]:
        combined = combined | query
    return combined


def _matching(queryset, fields, text):
    if connection.vendor == "postgresql":
        text_expression = F(fields[0]) if len(fields) == 1 else Joined(*fields)
        document = SearchDocument(text_expression)
        return queryset.annotate(search_document=document).filter(search_document=_query(text))
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__icontains": text})
    return queryset.filter(condition)


def search_threads(threads, text):
    """Threads of ``threads`` whose title or one of whose shown posts matches ``text``."""
    posts = _matching(Post.objects.shown().filter(thread=OuterRef("pk")), ["body"], text)
    by_title = _matching(Thread.objects.all(), ["title"], text)
    return threads.filter(Q(pk__in=by_title.values("pk")) | Exists(posts))


def search_knowledge(entries, text):
    return _matching(entries, ["title", "summary", "body"], text)


def search(*, user, text, language=None):
    """``(threads, entries)`` matching ``text`` that ``user`` may read, best first."""
    threads = Thread.objects.visible_to(user)
    entries = KnowledgeEntry.objects.visible_to(user)
    if language is not None:
        threads = threads.filter(language=language)
        entries = entries.filter(language=language)
    threads = search_threads(threads, text).select_related("category", "language")
    entries = search_knowledge(entries, text).select_related("language")
    return (
        list(threads.order_by("-last_posted_at", "-pk")[:LIMIT]),
        list(entries.order_by("-updated_at", "pk")[:LIMIT]),
    )
