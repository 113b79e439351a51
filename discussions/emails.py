"""The emails of the discussions app, built for one delivery row, or None when no longer owed.

A new post is emailed only while it may still be seen by its recipient: not hidden, not
deleted, and still in a thread or category they follow for an email per post (a thread moved
to another category is no longer owed to the old category's followers).
"""

from django.db.models import F, Q
from django.urls import reverse

from network_portal.emails import absolute_url, build_email_for_user, unsubscribe_headers

from .models import Follow, Frequency, PostDelivery
from .tokens import unsubscribe_token

HEADERS = {"Auto-Submitted": "auto-generated"}


def unsubscribe_url(follow):
    return absolute_url(reverse("discussions:unsubscribe", args=[unsubscribe_token(follow)]))


def follow_headers(url):
    """An automatic email's headers, with the one-click unsubscribe of its follow."""
    return {**HEADERS, **unsubscribe_headers(url)}


def follow_for_post(user, thread, *, frequency=Frequency.IMMEDIATE):
    """The follow that brings ``thread`` to ``user`` (the thread's own first), or None."""
    follows = Follow.objects.filter(
        Q(thread=thread) | Q(category_id=thread.category_id), user=user, frequency=frequency
    )
    return follows.order_by(F("thread_id").asc(nulls_last=True), "pk").first()


def _post_context(post):
    thread = post.thread
    return {
        "post": post,
        "thread": thread,
        "category": thread.category,
        "author_name": post.author.display_name if post.author else "",
        "post_url": absolute_url(post.get_absolute_url()),
        "thread_url": absolute_url(thread.get_absolute_url()),
    }


def post_message(row):
    """The email a ``PostDelivery`` owes, or None when it is no longer owed."""
    user, post = row.user, row.post
    if not user.is_active or not user.email:
        return None
    if row.kind == PostDelivery.Kind.HIDDEN:
        if not post.is_hidden:
            return None  # a moderator changed their mind before it went out
        return build_email_for_user(
            "discussion_post_hidden", _post_context(post), user=user, headers=HEADERS
        )
    thread = post.thread
    if post.is_hidden or post.is_deleted or thread.is_hidden:
        return None
    follow = follow_for_post(user, thread)
    if follow is None:
        return None  # unfollowed, switched to weekly, or the thread moved out of the category
    url = unsubscribe_url(follow)
    context = {**_post_context(post), "follow": follow, "unsubscribe_url": url}
    return build_email_for_user(
        "discussion_new_post", context, user=user, headers=follow_headers(url)
    )
