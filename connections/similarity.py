"""People like you: the members most similar to a profile, and a one-line reason for each.

The score of a candidate B for a profile A is a weighted sum of parts that each lie in [0, 1]:

    score = 0.55 * text + 0.25 * categories + 0.10 * languages + 0.10 * needs_offers

- ``text``: PostgreSQL's ``ts_rank`` of B's document (``connections/documents.py``: title,
  summary, objectives, beneficiaries and expertise, in the English, French and Spanish
  configurations, accents ignored) for a query of A's 48 most telling lexemes (the rarest ones
  that at least one other document holds), divided by the best rank among A's candidates.
- ``categories``: the Jaccard index of the two sets of skills categories.
- ``languages``: the Jaccard index of the two sets of working languages.
- ``needs_offers``: the share of what A said it needs in the needs assessment (categories,
  kinds of session) that B said it can offer (``members.needs.needs_offers_scores``); 0 when
  either never answered. A score only: no reason shown to anyone ever names what someone said
  they need. An edited assessment counts from the nightly sweep on.

Why these weights: the project text is what tells two projects in the same categories apart
(the quality test pairs clusters with identical categories), so it weighs most; categories are
the network's own vocabulary and come next; a shared language decides whether two members can
talk, but says little about their work.

Candidates come from indexes, never from a scan of all pairs: the documents holding one of A's
12 rarest lexemes (the GIN index), best 200 by ``ts_rank``; when that gives fewer than 20, the
members sharing the most categories (the categories' through table). The top 20 are stored as
``Neighbour`` rows, so that each viewer, once the profiles they may not see are left out, still
has 6. On SQLite (``make run``) there is no full text: candidates share a category and
``score = 0.7 * categories + 0.3 * languages``.
"""

import time
from dataclasses import dataclass, field

from django.conf import global_settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from categories.models import Category
from members import needs
from members.models import Member

from . import documents
from .models import DismissedSuggestion, MemberDocument, Neighbour

WEIGHTS = {"text": 0.55, "categories": 0.25, "languages": 0.10, "needs_offers": 0.10}
SQLITE_WEIGHTS = {"text": 0.0, "categories": 0.7, "languages": 0.3, "needs_offers": 0.0}
NEIGHBOURS = 20
POOL = 200
RARE_TERMS = 12
# The rare terms' documents, summed, that the candidate query may read (each costs ~20 µs).
RARE_BUDGET = 3000
QUERY_TERMS = 48
KEYWORDS = 3
SUGGESTIONS = 6
LANGUAGE_NAMES = dict(global_settings.LANGUAGES)


def needs_offers_scores(member_id, candidate_ids):
    """``{candidate_id: how well what member_id needs meets what it offers, in [0, 1]}``."""
    return needs.needs_offers_scores(member_id, candidate_ids)


# ---- Computing neighbours -------------------------------------------------------------------


def neighbours_refresh(*, member_id, force=False):
    """Recompute the stored neighbours of one member; returns how many, or None if skipped.

    Idempotent; sends nothing. Skips a member whose matching fields did not change since its
    neighbours were computed, unless ``force``. A member that no longer exists is skipped.
    """
    changed = documents.documents_refresh([member_id])
    return _store_neighbours(member_id, force=force or bool(changed))


def neighbours_refresh_many(member_ids, *, force=True):
    """The neighbours of each of ``member_ids`` (the nightly sweep's batches); returns a count."""
    changed = set(documents.documents_refresh(member_ids))
    done = 0
    for member_id in member_ids:
        if _store_neighbours(member_id, force=force or member_id in changed) is not None:
            done += 1
    return done


def _store_neighbours(member_id, *, force):
    with transaction.atomic():
        # The row lock keeps two refreshes of one member from writing their rows at once.
        document = (
            MemberDocument.objects.select_for_update()
            .only("text", "neighbours_at")
            .filter(pk=member_id)
            .first()
        )
        if document is None or (not force and document.neighbours_at is not None):
            return None
        rows = neighbours_compute(member_id, text=document.text)
        Neighbour.objects.filter(member_id=member_id).delete()
        Neighbour.objects.bulk_create(rows)
        document.neighbours_at = timezone.now()
        document.save(update_fields=["neighbours_at"])
    return len(rows)


def neighbours_compute(member_id, *, text):
    """The (unsaved) ``Neighbour`` rows of ``member_id``: its best ``NEIGHBOURS`` candidates.

    ``text`` is the member's matching text (``MemberDocument.text``), for the reasons' words.
    """
    own_categories, own_languages = documents.member_relations([member_id])
    own_categories = own_categories.get(member_id, set())
    own_languages = own_languages.get(member_id, set())
    postgres = connection.vendor == "postgresql"
    weights = WEIGHTS if postgres else SQLITE_WEIGHTS
    ranked, rarity = _text_candidates(member_id) if postgres else ({}, {})
    candidate_ids = set(ranked)
    if len(candidate_ids) < NEIGHBOURS and own_categories:
        candidate_ids |= _category_candidates(member_id, own_categories)
    categories, languages = documents.member_relations(candidate_ids)
    best_rank = max((rank for rank, _shared in ranked.values()), default=0) or 1
    offers = needs_offers_scores(member_id, candidate_ids)
    scored = []
    for candidate_id in candidate_ids:
        rank, shared_lexemes = ranked.get(candidate_id, (0.0, []))
        shared_categories = own_categories & categories.get(candidate_id, set())
        shared_languages = own_languages & languages.get(candidate_id, set())
        parts = {
            "text": rank / best_rank,
            "categories": _jaccard(own_categories, categories.get(candidate_id, set())),
            "languages": _jaccard(own_languages, languages.get(candidate_id, set())),
            "needs_offers": offers.get(candidate_id, 0.0),
        }
        score = sum(weights[name] * value for name, value in parts.items())
        if score > 0:
            scored.append(
                (score, candidate_id, shared_lexemes, shared_categories, shared_languages)
            )
    scored.sort(key=lambda item: (-item[0], item[1]))
    scored = scored[:NEIGHBOURS]
    words = _words_for_lexemes(text, {lexeme for item in scored for lexeme in item[2]})
    now = timezone.now()
    return [
        Neighbour(
            member_id=member_id,
            neighbour_id=candidate_id,
            score=round(score, 6),
            shared_categories=sorted(shared_categories),
            shared_languages=sorted(shared_languages),
            shared_keywords=_keywords(shared_lexemes, rarity, words),
            computed_at=now,
        )
        for score, candidate_id, shared_lexemes, shared_categories, shared_languages in scored
    ]


def _jaccard(first, second):
    union = first | second
    return len(first & second) / len(union) if union else 0.0


def _category_candidates(member_id, category_ids):
    """The members sharing the most categories with ``member_id`` (at most ``POOL``)."""
    from django.db.models import Count

    rows = (
        Member.categories.through.objects.filter(category_id__in=category_ids)
        .exclude(member_id=member_id)
        .values("member_id")
        .annotate(shared=Count("id"))
        .order_by("-shared", "member_id")
        .values_list("member_id", flat=True)[:POOL]
    )
    return set(rows)


def _tsquery(lexemes):
    # Lexemes come out of to_tsvector; quoted, each stays one lexeme, never an operator.
    return " | ".join("'" + lexeme.replace("'", "''") + "'" for lexeme in lexemes)


def _rare_query(ordered, rarity):
    """The candidates' tsquery: A's rarest terms, OR-ed while their documents fit the budget.

    When even the rarest term is too common, documents must hold the two rarest words together
    (AND), which the GIN index answers by intersecting its lists.
    """
    terms, total = [], 0
    for lexeme in ordered:
        if terms and _same_word(terms[-1], lexeme, rarity):
            continue
        if len(terms) == RARE_TERMS or (terms and total + rarity[lexeme] > RARE_BUDGET):
            break
        terms.append(lexeme)
        total += rarity[lexeme]
    if total <= RARE_BUDGET or len(terms) > 1:
        return _tsquery(terms)
    second = next(
        (lexeme for lexeme in ordered[1:] if not _same_word(terms[0], lexeme, rarity)), None
    )
    if second is None:
        return _tsquery(terms)
    return " & ".join(_tsquery([lexeme]) for lexeme in (terms[0], second))


def _same_word(first, second, rarity):
    # One word stemmed by two configurations ("leaver", "leavers"): as common, one a prefix.
    return rarity[first] == rarity[second] and (
        first.startswith(second) or second.startswith(first)
    )


def _text_candidates(member_id):
    """``({candidate_id: (ts_rank, shared lexemes)}, {lexeme: documents})`` on PostgreSQL."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT l.lexeme, COALESCE(f.documents, 0)
            FROM connections_memberdocument AS d
            CROSS JOIN LATERAL unnest(tsvector_to_array(d.document)) AS l(lexeme)
            LEFT JOIN connections_lexemefrequency AS f ON f.lexeme = l.lexeme
            WHERE d.member_id = %s
            """,
            [member_id],
        )
        rarity = {
            lexeme: documents for lexeme, documents in cursor.fetchall() if "\\" not in lexeme
        }
        # A lexeme counted once is only this member's; one not counted yet is new and kept last.
        ordered = sorted(
            (lexeme for lexeme, documents in rarity.items() if documents != 1),
            key=lambda lexeme: (rarity[lexeme] == 0, rarity[lexeme], lexeme),
        )
        if not ordered:
            return {}, rarity
        terms = ordered[:QUERY_TERMS]
        cursor.execute(
            """
            WITH pool AS (
                SELECT member_id, document FROM connections_memberdocument
                WHERE document @@ %(rare)s::tsquery AND member_id <> %(member)s
                ORDER BY ts_rank(document, %(rare)s::tsquery) DESC, member_id
                LIMIT %(pool)s
            )
            SELECT member_id, ts_rank(document, %(query)s::tsquery),
                ARRAY(SELECT l FROM unnest(tsvector_to_array(document)) AS l
                      WHERE l = ANY(%(terms)s))
            FROM pool
            """,
            {
                "rare": _rare_query(ordered, rarity),
                "query": _tsquery(terms),
                "terms": terms,
                "member": member_id,
                "pool": POOL,
            },
        )
        return {row[0]: (row[1], row[2]) for row in cursor.fetchall()}, rarity


def _words_for_lexemes(text, lexemes):
    """``{lexeme: a word of the member's own matching text that gives it}``, for the reasons."""
    if not lexemes or connection.vendor != "postgresql":
        return {}
    words = list(dict.fromkeys((text or "").split()))
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT w.word, tsvector_to_array({documents.vector_sql("w.word")})
            FROM unnest(%s::text[]) WITH ORDINALITY AS w(word, position)
            ORDER BY w.position
            """,  # noqa: S608 (the vector SQL is built from our constants)
            [words],
        )
        found = {}
        for word, word_lexemes in cursor.fetchall():
            for lexeme in word_lexemes:
                if lexeme in lexemes:
                    found.setdefault(lexeme, word)
    return found


def _keywords(shared_lexemes, rarity, words):
    """Up to ``KEYWORDS`` distinct words for the shared lexemes, the most telling first."""
    ordered = sorted(shared_lexemes, key=lambda lexeme: (rarity.get(lexeme) or 10**9, lexeme))
    chosen = []
    for lexeme in ordered:
        word = words.get(lexeme)
        if word and word not in chosen:
            chosen.append(word)
        if len(chosen) == KEYWORDS:
            break
    return chosen


# ---- Reading suggestions --------------------------------------------------------------------


@dataclass
class Suggestion:
    """A similar member and why, as a viewer may see it."""

    member: Member
    score: float
    reasons: list = field(default_factory=list)

    @property
    def reason(self):
        return " · ".join(self.reasons)


def similar_members(member, viewer, limit=SUGGESTIONS, *, changed_between=None):
    """Up to ``limit`` suggestions for ``member``'s page as ``viewer`` may see them.

    Only profiles of ``Member.objects.visible_to(viewer)``, never the viewer's own, never one
    the viewer dismissed; with ``changed_between=(since, until)``, only those whose profile
    changed (or was created) in that window (the weekly email). One query (category names come
    from ``category_names``).
    """
    rows = (
        Neighbour.objects.filter(member=member, neighbour__in=Member.objects.visible_to(viewer))
        .select_related("neighbour")
        .only(*SUGGESTION_FIELDS)
    )
    if changed_between is not None:
        since, until = changed_between
        rows = rows.filter(neighbour__updated_at__gte=since, neighbour__updated_at__lt=until)
    if viewer.is_authenticated:
        rows = rows.exclude(neighbour__owner_id=viewer.pk).exclude(
            neighbour__in=DismissedSuggestion.objects.filter(user=viewer).values("member_id")
        )
    rows = list(rows.order_by("-score", "neighbour_id")[:limit])
    if not rows:
        return []
    categories = category_names({pk for row in rows for pk in row.shared_categories})
    return [
        Suggestion(member=row.neighbour, score=row.score, reasons=_reasons(row, categories))
        for row in rows
    ]


SUGGESTION_FIELDS = [
    "score",
    "shared_categories",
    "shared_languages",
    "shared_keywords",
    "neighbour__id",
    "neighbour__name",
]
CATEGORY_CACHE_SECONDS = 300
_category_cache = {"loaded_at": None, "by_id": {}}


def category_names(category_ids):
    """``{id: Category}`` for ``category_ids``, from a per-process cache of the nine categories.

    Profile pages would otherwise pay a query for nine rows that rarely change. A category
    saved in this process clears the cache (``signals.py``); other processes see a rename
    within ``CATEGORY_CACHE_SECONDS``. An id not in the cache reloads it.
    """
    loaded_at = _category_cache["loaded_at"]
    stale = loaded_at is None or time.monotonic() - loaded_at > CATEGORY_CACHE_SECONDS
    if stale or not set(category_ids) <= _category_cache["by_id"].keys():
        _category_cache["by_id"] = Category.objects.in_bulk()
        _category_cache["loaded_at"] = time.monotonic()
    return _category_cache["by_id"]


def category_names_clear(**kwargs):
    _category_cache["loaded_at"] = None


def similar_members_for(user, limit=SUGGESTIONS, *, changed_between=None):
    """The suggestions for ``user``'s own profile (the member's home, the weekly email); []
    without one. ``changed_between``: as for ``similar_members``."""
    if not user.is_authenticated:
        return []
    member = Member.objects.filter(owner=user).first()
    if member is None:
        return []
    return similar_members(member, user, limit, changed_between=changed_between)


def _reasons(row, categories):
    reasons = []
    if row.shared_keywords:
        reasons.append(_("also works on %(words)s") % {"words": ", ".join(row.shared_keywords)})
    shared = sorted(
        (categories[pk] for pk in row.shared_categories if pk in categories),
        key=lambda category: (category.position, category.pk),
    )
    reasons.extend(category.display_name for category in shared[:2])
    # Working languages are Django's list (members' migration 0002), so their names are too.
    names = sorted(_(LANGUAGE_NAMES.get(code, code)) for code in row.shared_languages)
    if names:
        reasons.append(_("speaks %(languages)s") % {"languages": ", ".join(names[:2])})
    return reasons


def neighbours_rebuild(*, force=True, batch_size=500):
    """Every member's document and neighbours, in this process (demo data, tests, benchmark).

    Idempotent; without ``force`` a member whose profile did not change keeps its rows.
    Returns how many members got new neighbours.
    """
    member_ids = list(Member.objects.order_by("pk").values_list("pk", flat=True))
    batches = [member_ids[i : i + batch_size] for i in range(0, len(member_ids), batch_size)]
    for batch in batches:
        documents.documents_refresh(batch, count_lexemes=False)
    documents.lexeme_counts_rebuild()
    return sum(neighbours_refresh_many(batch, force=force) for batch in batches)
