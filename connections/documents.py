"""Member documents: a profile's project words as a full-text vector, and how rare each word is.

The matching text is the project fields of ``MATCHING_FIELDS``, cut into words, lower-cased,
without the function words of English, French and Spanish (a French "les" would otherwise be a
lexeme of the English configuration and match every French profile). PostgreSQL turns it into
``to_tsvector`` in the three configurations, accents removed through ``immutable_unaccent``
(created by the migration), and keeps it in ``MemberDocument.document`` under a GIN index.
``LexemeFrequency`` counts the documents of each lexeme; it is kept up to date as documents
change and rebuilt exactly by the nightly sweep. On SQLite only the text and hash are kept.
"""

import hashlib
import re
import unicodedata
from collections import Counter

from django.db import connection, transaction
from django.utils import timezone

from members.models import Member

from .models import LexemeFrequency, MemberDocument

MATCHING_FIELDS = [
    "project_title",
    "project_summary",
    "project_objectives",
    "beneficiaries",
    "expertise",
]
CONFIGS = ["english", "french", "spanish"]
WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
MIN_WORD, MAX_WORD = 3, 40

# Written without accents: words are compared unaccented.
STOPWORD_TEXT = """
    about above after again against all also and any are because been before being below between
    both but can could did does doing down during each few for from further had has have having
    her here hers him his how into its itself just more most much must not now off once only other
    our ours out over own same she should some such than that the their theirs them then there
    these they this those through too under until very was were what when where which while who
    whom why will with would you your yours per via well use used using new way ways each every
    aux avec ces cet cette dans des donc elle elles ils est etre leur leurs mais meme mes nos notre
    nous par pas plus pour que quel quelle qui sans ses son sont sur tous tout toute toutes tres une
    vos votre vous ont ete etait aussi afin ainsi entre lors chez dont fait faire peu autre autres
    comme encore tant sous vers deja apres avant selon
    como con contra cual cuando del desde donde durante ella ellas ellos entre era esa esas ese eso
    esos esta estan estas este esto estos fue han hasta las les los mas mis muy nos nuestra
    nuestras nuestro nuestros otra otras otro otros para pero por porque que quien sea ser sin sobre
    son sus tambien tiene tienen todo todos una uno unos unas ante bajo cada segun tras hacia
"""
STOPWORDS = frozenset(STOPWORD_TEXT.split())


def unaccented(word):
    return "".join(
        char for char in unicodedata.normalize("NFKD", word) if not unicodedata.combining(char)
    )


def matching_words(values):
    """The words of ``values`` that say something: lower case, accents kept, no function words."""
    words = []
    for value in values:
        for word in WORD.findall(value.lower()):
            if MIN_WORD <= len(word) <= MAX_WORD and unaccented(word) not in STOPWORDS:
                words.append(word)
    return words


def vector_sql(expression):
    """SQL of the tsvector of ``expression`` in the three configurations, accents removed."""
    return " || ".join(
        f"to_tsvector('{config}'::regconfig, immutable_unaccent({expression}))"
        for config in CONFIGS
    )


def member_relations(member_ids):
    """``({member_id: category ids}, {member_id: language codes})``, in one query."""
    categories, languages = {}, {}
    member_ids = list(member_ids)
    if not member_ids:
        return categories, languages
    marks = ", ".join(["%s"] * len(member_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT member_id, 'c', CAST(category_id AS TEXT) FROM members_member_categories
            WHERE member_id IN ({marks})
            UNION ALL
            SELECT member_id, 'l', language_id FROM members_member_languages
            WHERE member_id IN ({marks})
            """,  # noqa: S608 (only placeholders are interpolated)
            [*member_ids, *member_ids],
        )
        for member_id, kind, value in cursor.fetchall():
            if kind == "c":
                categories.setdefault(member_id, set()).add(int(value))
            else:
                languages.setdefault(member_id, set()).add(value)
    return categories, languages


def _sources(member_ids):
    """``{member_id: (text, hash)}`` of the members that still exist."""
    fields = dict.fromkeys(member_ids)
    for row in Member.objects.filter(pk__in=member_ids).values_list("pk", *MATCHING_FIELDS):
        fields[row[0]] = row[1:]
    categories, languages = member_relations(member_ids)
    sources = {}
    for member_id, values in fields.items():
        if values is None:
            continue
        text = " ".join(matching_words(values))
        signature = "|".join(
            [
                text,
                ",".join(map(str, sorted(categories.get(member_id, [])))),
                ",".join(sorted(languages.get(member_id, []))),
            ]
        )
        sources[member_id] = (text, hashlib.sha256(signature.encode()).hexdigest())
    return sources


def documents_refresh(member_ids, *, count_lexemes=True):
    """Write the documents of ``member_ids`` whose profile changed; returns the changed ids.

    Idempotent. With ``count_lexemes`` the lexeme counts follow the change (the bulk rebuild
    recounts them all once instead: ``lexeme_counts_rebuild``).
    """
    member_ids = list(member_ids)
    sources = _sources(member_ids)
    stored = dict(
        MemberDocument.objects.filter(pk__in=sources).values_list("member_id", "source_hash")
    )
    changed = [pk for pk, (_text, digest) in sources.items() if stored.get(pk) != digest]
    if not changed:
        return []
    now = timezone.now()
    if connection.vendor != "postgresql":
        for pk in changed:
            text, digest = sources[pk]
            MemberDocument.objects.update_or_create(
                member_id=pk, defaults={"text": text, "source_hash": digest, "updated_at": now}
            )
        return changed
    with transaction.atomic(), connection.cursor() as cursor:
        before = _lexemes(cursor, changed) if count_lexemes else {}
        cursor.execute(
            f"""
            INSERT INTO connections_memberdocument
                (member_id, text, source_hash, document, updated_at, neighbours_at)
            SELECT source.member_id, source.text, source.digest, {vector_sql("source.text")},
                %s, NULL
            FROM unnest(%s::bigint[], %s::text[], %s::text[]) AS source(member_id, text, digest)
            ORDER BY source.member_id
            ON CONFLICT (member_id) DO UPDATE SET text = EXCLUDED.text,
                source_hash = EXCLUDED.source_hash, document = EXCLUDED.document,
                updated_at = EXCLUDED.updated_at
            """,  # noqa: S608 (the vector SQL is built from our constants)
            [
                now,
                changed,
                [sources[pk][0] for pk in changed],
                [sources[pk][1] for pk in changed],
            ],
        )
        if count_lexemes:
            after = _lexemes(cursor, changed)
            delta = Counter()
            for pk in changed:
                delta.update(after.get(pk, set()) - before.get(pk, set()))
                delta.subtract(before.get(pk, set()) - after.get(pk, set()))
            _count_lexemes(cursor, delta)
    return changed


def _lexemes(cursor, member_ids):
    cursor.execute(
        "SELECT member_id, tsvector_to_array(document) FROM connections_memberdocument "
        "WHERE member_id = ANY(%s) AND document IS NOT NULL",
        [list(member_ids)],
    )
    return {member_id: set(lexemes) for member_id, lexemes in cursor.fetchall()}


def _count_lexemes(cursor, delta):
    # Sorted, so that two refreshes at once lock the counters in the same order.
    items = sorted((lexeme, n) for lexeme, n in delta.items() if n and len(lexeme) <= 255)
    added = [(lexeme, n) for lexeme, n in items if n > 0]
    removed = [(lexeme, n) for lexeme, n in items if n < 0]
    if added:
        cursor.execute(
            """
            INSERT INTO connections_lexemefrequency (lexeme, documents)
            SELECT lexeme, n FROM unnest(%s::text[], %s::int[]) AS d(lexeme, n)
            ON CONFLICT (lexeme) DO UPDATE
                SET documents = connections_lexemefrequency.documents + EXCLUDED.documents
            """,
            [[lexeme for lexeme, _n in added], [n for _lexeme, n in added]],
        )
    if removed:
        cursor.execute(
            """
            UPDATE connections_lexemefrequency AS f SET documents = GREATEST(f.documents + d.n, 0)
            FROM unnest(%s::text[], %s::int[]) AS d(lexeme, n) WHERE f.lexeme = d.lexeme
            """,
            [[lexeme for lexeme, _n in removed], [n for _lexeme, n in removed]],
        )


def lexeme_counts_rebuild():
    """Recount every lexeme's documents from scratch (the nightly sweep; PostgreSQL only)."""
    if connection.vendor != "postgresql":
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("LOCK TABLE connections_lexemefrequency IN EXCLUSIVE MODE")
        cursor.execute("DELETE FROM connections_lexemefrequency")
        cursor.execute(
            "INSERT INTO connections_lexemefrequency (lexeme, documents) "
            "SELECT word, ndoc FROM ts_stat('SELECT document FROM connections_memberdocument "
            "WHERE document IS NOT NULL') WHERE length(word) <= 255"
        )


def lexeme_frequencies():
    """How many documents hold each lexeme (for tests and the benchmark)."""
    return dict(LexemeFrequency.objects.values_list("lexeme", "documents"))
