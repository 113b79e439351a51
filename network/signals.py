"""Mark the graph stale when membership or connections change; the beat recomputes it."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save


def changed(sender=None, **kwargs):
    from . import graph

    transaction.on_commit(graph.mark_dirty)


def connect():
    from coaching.models import CoachingSession
    from connections.models import Introduction
    from members.models import Member

    for model in (Member, Introduction):
        name = model._meta.model_name
        post_save.connect(changed, sender=model, dispatch_uid=f"network-{name}")
        post_delete.connect(changed, sender=model, dispatch_uid=f"network-{name}-delete")
    m2m_changed.connect(
        changed, sender=CoachingSession.hosts.through, dispatch_uid="network-session-hosts"
    )
