"""The directory page's counts (members found, and per category, region, country, language).

Counting 100,000 members takes several full scans per page. The page therefore keeps each
count in the cache, under who is looking and which filters are applied, until a member
changes: any save, deletion or change of categories or languages (``changed``) starts a new
generation, and entries of older generations are never read again. Counts inside a
transaction are computed and not kept: they may include what the transaction has not
committed. Bulk writes through ``Member.objects`` start a new generation as well (they send no
signals); other writes without signals (raw SQL) show after at most ``TIMEOUT`` seconds.

Only the page uses these counts; the API and the export count the rows themselves. Which
members each page shows, with their rendered cards, is kept the same way (``page_cards``):
reaching page 40 in name order, or the names that hold a keyword, walks thousands of rows.
Core Group roles and categories, which the cards show, start a new generation too.

Rendering was most of a page's time, so the page also keeps its rendered cards and filter panel
(``filter_panel``). Each is kept under a digest of everything it shows, the language, and the
templates and message catalogs in use: an edited profile, a new badge, a renamed category,
another language or a new release never meets a stale fragment, and a card outlives the
generation it was rendered in.
"""

import functools
import hashlib
import uuid
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import connections, transaction
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation
from django_countries import countries

from .filters import with_card_relations
from .models import Member
from .regions import Region

GENERATION_KEY = "members:directory-generation"
TIMEOUT = 600
# Rendered cards and filter panels: long enough to serve many pages, short enough that Redis
# only holds those actually viewed.
FRAGMENT_TIMEOUT = 3600
CARD_TEMPLATE = "members/_card.html"
PANEL_TEMPLATE = "members/_filters.html"
# Every template the fragments render, for their keys (a release that edits one starts afresh).
FRAGMENT_TEMPLATES = [
    CARD_TEMPLATE,
    "members/_badges.html",
    "members/_picture.html",
    PANEL_TEMPLATE,
    "members/_list_field.html",
    "members/_select_filter.html",
]
NO_COUNTS = {"total": 0, "category": {}, "region": {}, "country": {}, "language": {}}


def audience(user):
    """Who sees the same profiles as ``user``: visitors, members, those who approve, or one user.

    A signed-in user also sees their own profile while it awaits approval, so they get counts
    of their own. Reading ``user.member`` fills the cache the page's navigation reads as well.
    """
    if not user.is_authenticated:
        return "visitors"
    if user.has_perm("members.approve_member"):
        return "approvers"
    own = getattr(user, "member", None)
    if own is not None and own.status != Member.Status.LISTED:
        return f"user-{user.pk}"
    return "members"


def page_counts(filterset, *, who):
    """The counts shown by the page of ``filterset`` (bound to the profiles ``who`` may see)."""
    if filterset.is_bound and not filterset.is_valid():
        return NO_COUNTS
    if connections[filterset.queryset.db].in_atomic_block:
        return filterset.page_counts()
    key = _kept_key("counts", filterset, who)
    counts = cache.get(key)
    if counts is None:
        counts = filterset.page_counts()
        cache.set(key, counts, TIMEOUT)
    return counts


def page_cards(filterset, page, *, who):
    """The members shown on ``page`` (a page of ``filterset.results``) and their rendered cards.

    The page keeps, as it keeps its counts, which members it shows and their cards: when nothing
    changed since, it reads them from the cache and asks the database nothing (``members`` is
    then a queryset of those members, read only if iterated).
    """
    if not page.paginator.count:
        return [], []
    in_transaction = connections[filterset.queryset.db].in_atomic_block
    key = _kept_key(
        "page",
        filterset,
        who,
        f"{page.number}/{page.paginator.per_page}",
        translation.get_language(),
        _release(),
        timezone.localdate().isoformat(),  # roles end on a day
    )
    kept = None if in_transaction else cache.get(key)
    if kept is not None:
        ids, cards = kept
        return filterset.queryset.filter(pk__in=ids), cards
    start, end = page.start_index() - 1, page.end_index()
    members = list(with_card_relations(filterset.results)[start:end])
    cards = _cards(members)
    if not in_transaction:
        cache.set(key, ([member.pk for member in members], cards), TIMEOUT)
    return members, cards


def _kept_key(kind, filterset, who, *extra):
    """The cache key of what the page keeps for ``filterset`` seen by ``who``, this generation."""
    filters = urlencode(sorted(filterset.active_filters().items()), doseq=True)
    digest = hashlib.sha256(f"{who}?{filters}".encode()).hexdigest()
    return ":".join([f"members:directory-{kind}", _generation(), digest, *extra])


def _generation():
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = uuid.uuid4().hex
        if not cache.add(GENERATION_KEY, generation, None):
            generation = cache.get(GENERATION_KEY, generation)
    return generation


def _new_generation():
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


def changed(sender, action=None, **kwargs):
    """Signal receiver: a member, a Core Group role or a category changed, so the counts and
    pages kept before it are stale.

    After the commit, so that no page counts the old rows under the new generation. Of a
    many-to-many change, only what follows it counts (``post_add``…), not what precedes it.
    """
    if action is not None and action.startswith("pre_"):
        return
    transaction.on_commit(_new_generation, robust=True)


@functools.lru_cache(maxsize=8)
def _labels(language):
    return {
        "type": {value: str(label) for value, label in Member.Type.choices},
        "region": {value: str(label) for value, label in Region.choices},
        "country": {code: str(name) for code, name in countries},
    }


def labels():
    """Type, region and country labels in the active language, translated once per process."""
    return _labels(translation.get_language())


def card_inputs(member):
    """Everything the directory card of ``member`` shows (categories and current roles
    prefetched, as ``filters.with_card_relations`` does): its cached HTML is kept under these.

    A field added to ``_card.html`` or ``_badges.html`` belongs here too. ``updated_at`` also
    covers any edit made through ``save()``; the fields shown are listed as well, for writes
    through ``QuerySet.update()``, which leave ``updated_at`` as it was.
    """
    return (
        member.pk,
        member.updated_at.isoformat(),
        member.name,
        member.member_type,
        member.country.code,
        member.status,
        member.is_top_innovator,
        member.project_title,
        member.picture,  # the digest that names the picture's files
        [(category.slug, category.display_name) for category in member.categories.all()],
        [role.label for role in member.roles.all() if role.is_current],
    )


def _cards(members):
    """The rendered directory cards of ``members``, in order: one cache round trip for the
    page, and only the cards not kept yet are rendered (then kept)."""
    keys = [_fragment_key("card", card_inputs(member)) for member in members]
    found = cache.get_many(keys)
    rendered = {
        key: render_to_string(CARD_TEMPLATE, {"member": member})
        for member, key in zip(members, keys, strict=True)
        if key not in found
    }
    if rendered:
        cache.set_many(rendered, FRAGMENT_TIMEOUT)
    found.update(rendered)
    # Safe strings (render_to_string's), kept as such by the cache's pickling.
    return [found[key] for key in keys]


def filter_panel(context):
    """The directory's rendered filter form from the page's ``context`` (its form and the
    options with their counts), kept under what it shows; a form with errors is not kept."""
    form = context["form"]
    names = ["category_options", "region_options", "country_options", "language_options"]
    panel_context = {"form": form, **{name: context[name] for name in names}}
    if not context["valid"]:
        return render_to_string(PANEL_TEMPLATE, panel_context)
    # With valid values, only the typed keywords and the chosen type are not in the options.
    inputs = [form["q"].value(), form["type"].value(), *(context[name] for name in names)]
    key = _fragment_key("panel", inputs)
    panel = cache.get(key)
    if panel is None:
        panel = render_to_string(PANEL_TEMPLATE, panel_context)
        cache.set(key, panel, FRAGMENT_TIMEOUT)
    return panel


def _fragment_key(kind, inputs):
    language = translation.get_language()
    digest = hashlib.sha256(repr(inputs).encode()).hexdigest()
    return f"members:directory-{kind}:{_release()}:{language}:{digest}"


@functools.cache
def _release():
    """A digest of the fragments' templates and of our message catalogs, read once per process."""
    files = [Path(get_template(name).origin.name) for name in FRAGMENT_TEMPLATES]
    for locale in settings.LOCALE_PATHS:
        files += sorted(Path(locale).glob("*/LC_MESSAGES/django.mo"))
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
