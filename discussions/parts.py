"""What the discussions app adds to the pages and emails that gather from every app."""

from django.db.models import Exists, OuterRef, Q

from network_portal import registry
from network_portal.emails import absolute_url

from .emails import unsubscribe_url
from .models import Follow, Frequency, Post

WEEKLY_LIMIT = 20


def weekly_activity(*, user, since, **kwargs):
    """The weekly email's section: posts since ``since`` in what ``user`` follows weekly.

    Only posts the user may still see (not hidden or deleted, in a thread not hidden, still in
    the followed category) and not their own; grouped by thread, newest thread first, at most
    ``WEEKLY_LIMIT`` posts. None when there is nothing. Three queries, whatever the number.
    """
    follows = list(
        Follow.objects.filter(user=user, frequency=Frequency.WEEKLY).select_related(
            "thread", "category"
        )
    )
    if not follows:
        return None
    followed = Follow.objects.filter(user=user, frequency=Frequency.WEEKLY).filter(
        Q(thread=OuterRef("thread")) | Q(category=OuterRef("thread__category"))
    )
    posts = list(
        Post.objects.shown()
        .filter(created_at__gte=since, thread__is_hidden=False)
        .exclude(author=user)
        .filter(Exists(followed))
        .select_related("thread__category", "author")
        .order_by("-created_at", "-pk")[:WEEKLY_LIMIT]
    )
    if not posts:
        return None
    by_thread = {}
    for post in posts:
        by_thread.setdefault(post.thread, []).append(post)
    thread_follows = {follow.thread_id: follow for follow in follows if follow.thread_id}
    category_follows = {follow.category_id: follow for follow in follows if follow.category_id}
    threads = []
    for thread, thread_posts in by_thread.items():
        follow = thread_follows.get(thread.pk) or category_follows.get(thread.category_id)
        threads.append(
            {
                "thread": thread,
                "url": absolute_url(thread.get_absolute_url()),
                "posts": list(reversed(thread_posts)),
                "unsubscribe_url": unsubscribe_url(follow),
                "follow": follow,
            }
        )
    return {"threads": threads, "post_count": len(posts)}


def register():
    registry.register(
        registry.WEEKLY_EMAIL_SECTIONS,
        name="discussions",
        order=70,
        template="discussions/_weekly_section.html",
        text_template="discussions/_weekly_section.txt",
        context=weekly_activity,
    )
