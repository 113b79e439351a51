"""A person's data in the discussions app: their files of "Download my data"
(``registry.ACCOUNT_DATA``) and what happens when their account (or profile) is deleted
(``accounts.signals.account_deleting``).
"""

from accounts.signals import account_deleting
from network_portal import registry

from .models import Post


def posts_keep(sender, *, user=None, **kwargs):
    """Receiver: posts stay for the others who read the thread, shown as "a former member".

    Their author becomes empty with the user row (``SET_NULL``); follows go (cascade).
    """
    if user is None:
        return {}
    return {"discussions.posts_kept": Post.objects.filter(author=user).count()}


def post_rows(*, user, **kwargs):
    """Download my data: the person's posts in the discussions."""
    posts = Post.objects.filter(author=user).select_related("thread").order_by("created_at")
    return {
        "rows": [
            {
                "thread": post.thread.title,
                "posted": post.created_at.isoformat(),
                "message": post.body,
                "deleted": post.deleted_at is not None,
            }
            for post in posts
        ]
    }


def connect():
    account_deleting.connect(posts_keep, dispatch_uid="discussions-posts")
    registry.register(registry.ACCOUNT_DATA, name="posts", order=50, template="", context=post_rows)
