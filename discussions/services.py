"""Writes of the discussions app: posts, edits, moderation, follows and the emails they owe.

Emails are owed as ``PostDelivery`` rows written in the same transaction as the post (or the
moderation) that owes them, then sent after commit by a task; the beat's round catches up
whatever a lost task left behind. Each email is rechecked when it is built (``emails.py``).
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from coaching.models import KnowledgeEntry
from network_portal import delivery
from network_portal.weekly.services import weekly_email_subscribe

from .models import (
    Follow,
    Frequency,
    Post,
    PostDelivery,
    PostReport,
    PostRevision,
    Thread,
    ThreadRead,
    may_post,
    moderates,
)


def _send_after_commit():
    from .tasks import send_discussion_emails

    # Robust: the rows are saved; if the broker is down, the beat's round sends them.
    transaction.on_commit(send_discussion_emails.delay, robust=True)


def check_rate_limit(user, *, now=None):
    """Refuse a post beyond ``DISCUSSIONS_POSTS_PER_HOUR`` in the last hour (counted in the
    database, so it holds across processes); moderators are not limited."""
    limit = settings.DISCUSSIONS_POSTS_PER_HOUR
    since = (now or timezone.now()) - timedelta(hours=1)
    if Post.objects.filter(author=user, created_at__gte=since).count() >= limit:
        raise ValidationError(
            _("You have written %(limit)s posts in the last hour: please wait a little.")
            % {"limit": limit}
        )


def _followers(thread, *, exclude):
    """Users who asked for an email per post in ``thread`` (of it or of its category)."""
    follows = Follow.objects.filter(
        Q(thread=thread) | Q(category_id=thread.category_id),
        frequency=Frequency.IMMEDIATE,
        user__is_active=True,
    ).exclude(user=exclude)
    return set(follows.values_list("user_id", flat=True))


def _owe_new_post(post):
    user_ids = _followers(post.thread, exclude=post.author)
    rows = [PostDelivery(user_id=user_id, post=post) for user_id in sorted(user_ids)]
    PostDelivery.objects.bulk_create(rows, ignore_conflicts=True)
    if rows:
        _send_after_commit()


@transaction.atomic
def follow_set(*, user, thread=None, category=None, frequency=Frequency.IMMEDIATE):
    """Follow ``thread`` or ``category`` (or change how often); idempotent. A follow "in my
    weekly email" subscribes its user to the weekly email, which carries it."""
    target = {"thread": thread} if thread is not None else {"category": category}
    follow, _created = Follow.objects.update_or_create(
        user=user, **target, defaults={"frequency": frequency}
    )
    if frequency == Frequency.WEEKLY:
        weekly_email_subscribe(user=user)
    return follow


def follow_delete(*, follow):
    """Stop a follow (the unsubscribe link of its emails, or the button)."""
    follow.delete()


@transaction.atomic
def thread_create(*, author, category, title, body, language, fund_call=None, session=None):
    """Open a thread with its first post; its author follows it. Emails category followers."""
    if not may_post(author):
        raise PermissionDenied
    if not moderates(author, category):
        check_rate_limit(author)
    now = timezone.now()
    thread = Thread.objects.create(
        category=category,
        title=title,
        author=author,
        language=language,
        fund_call=fund_call,
        session=session,
        created_at=now,
        last_posted_at=now,
    )
    post = Post.objects.create(
        thread=thread, author=author, body=body, language=language, is_opening=True, created_at=now
    )
    Follow.objects.get_or_create(user=author, thread=thread)
    ThreadRead.objects.update_or_create(user=author, thread=thread, defaults={"read_at": now})
    _owe_new_post(post)
    return thread


@transaction.atomic
def post_reply(*, author, thread, body, language):
    """Add a reply to an open thread; its author follows the thread. Emails the followers."""
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    moderator = moderates(author, thread.category)
    if not may_post(author) or (thread.is_locked and not moderator):
        raise PermissionDenied
    if not moderator:
        check_rate_limit(author)
    now = timezone.now()
    post = Post.objects.create(
        thread=thread, author=author, body=body, language=language, created_at=now
    )
    Thread.objects.filter(pk=thread.pk).update(last_posted_at=now)
    Follow.objects.get_or_create(user=author, thread=thread)
    ThreadRead.objects.update_or_create(user=author, thread=thread, defaults={"read_at": now})
    _owe_new_post(post)
    return post


@transaction.atomic
def post_edit(*, post, by, body, language=None):
    """The author changes a post; the previous text is kept for the moderators."""
    post = Post.objects.select_for_update().get(pk=post.pk)
    if post.author_id != by.pk or post.is_deleted:
        raise PermissionDenied
    if body == post.body and (language is None or language == post.language):
        return post
    PostRevision.objects.create(post=post, body=post.body)
    post.body = body
    if language is not None:
        post.language = language
    post.edited_at = timezone.now()
    post.save(update_fields=["body", "language", "edited_at"])
    if post.is_opening and language is not None:
        Thread.objects.filter(pk=post.thread_id).update(language=language)
    return post


@transaction.atomic
def post_delete(*, post, by):
    """The author withdraws a post: it disappears from the thread (and from emails not sent)."""
    post = Post.objects.select_for_update().get(pk=post.pk)
    if post.author_id != by.pk:
        raise PermissionDenied
    if post.deleted_at is None:
        PostRevision.objects.create(post=post, body=post.body)
        post.deleted_at = timezone.now()
        post.save(update_fields=["deleted_at"])
    return post


@transaction.atomic
def post_hide(*, post, by, reason):
    """A moderator hides a post with a reason; its author is told by email. A hidden opening
    post hides the whole thread from everyone but its author and the moderators."""
    post = Post.objects.select_for_update().select_related("thread__category").get(pk=post.pk)
    if not moderates(by, post.thread.category):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError(_("Say why the post is hidden."))
    if post.hidden_at is None:
        post.hidden_at = timezone.now()
    post.hidden_by, post.hidden_reason = by, reason.strip()
    post.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    if post.is_opening:
        Thread.objects.filter(pk=post.thread_id).update(is_hidden=True)
    if post.author_id and post.author_id != by.pk:
        PostDelivery.objects.bulk_create(
            [PostDelivery(user_id=post.author_id, post=post, kind=PostDelivery.Kind.HIDDEN)],
            ignore_conflicts=True,
        )
        _send_after_commit()
    return post


@transaction.atomic
def post_unhide(*, post, by):
    post = Post.objects.select_for_update().select_related("thread__category").get(pk=post.pk)
    if not moderates(by, post.thread.category):
        raise PermissionDenied
    post.hidden_at, post.hidden_by, post.hidden_reason = None, None, ""
    post.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    if post.is_opening:
        Thread.objects.filter(pk=post.thread_id).update(is_hidden=False)
    return post


def thread_moderate(*, thread, by, **flags):
    """Pin or unpin, lock or unlock a thread (``is_pinned=``, ``is_locked=``)."""
    if not moderates(by, thread.category):
        raise PermissionDenied
    allowed = {
        key: bool(value) for key, value in flags.items() if key in {"is_pinned", "is_locked"}
    }
    Thread.objects.filter(pk=thread.pk).update(**allowed)
    for key, value in allowed.items():
        setattr(thread, key, value)
    return thread


@transaction.atomic
def thread_move(*, thread, by, category):
    """Move a thread to another category. Emails not sent yet to the old category's followers
    are no longer owed (``emails.py`` checks again when it builds them)."""
    thread = Thread.objects.select_for_update().select_related("category").get(pk=thread.pk)
    if not moderates(by, thread.category):
        raise PermissionDenied
    thread.category = category
    thread.save(update_fields=["category"])
    return thread


def post_report(*, post, by, reason):
    """A member reports a post to the moderators (once per post); returns the report."""
    report, _created = PostReport.objects.get_or_create(
        post=post, reporter=by, defaults={"reason": reason.strip()}
    )
    return report


def thread_mark_read(*, thread, user, now=None):
    if not user.is_authenticated:
        return
    ThreadRead.objects.update_or_create(
        user=user, thread=thread, defaults={"read_at": now or timezone.now()}
    )


@transaction.atomic
def thread_to_knowledge(*, thread, by, title, summary, body):
    """A moderator writes down a thread's outcome as a knowledge entry linking back to it."""
    thread = Thread.objects.select_for_update().select_related("category").get(pk=thread.pk)
    if not moderates(by, thread.category):
        raise PermissionDenied
    link = thread.get_absolute_url()
    footer = _("From the discussion [%(title)s](%(url)s).") % {"title": thread.title, "url": link}
    slug = _unique_slug(title)
    entry = KnowledgeEntry.objects.create(
        title=title,
        slug=slug,
        kind=KnowledgeEntry.Kind.GOOD_PRACTICE,
        summary=summary,
        body=f"{body.rstrip()}\n\n{footer}",
        language=thread.language,
        session=thread.session,
        author=by,
    )
    entry.categories.add(thread.category)
    thread.knowledge_entry = entry
    thread.save(update_fields=["knowledge_entry"])
    return entry


def _unique_slug(title):
    base = slugify(title)[:180] or "discussion"
    slug, number = base, 2
    while KnowledgeEntry.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def discussion_emails_send(*, limit=delivery.CHUNK_SIZE):
    """Send every discussion email now due, each exactly once; safe to run twice or in two
    workers. Returns how many emails the SMTP server accepted."""
    from . import emails

    return delivery.deliver(
        PostDelivery.objects.all(),
        emails.post_message,
        select_related=("user", "user__member", "post__thread__category", "post__author"),
        limit=limit,
    )
