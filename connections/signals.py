"""Keep neighbours fresh: a profile whose matching fields change is refreshed after commit.

Connected from ``ConnectionsConfig.ready``, so that ``members`` never imports ``connections``.
The task is idempotent and skips a profile whose text, categories and languages did not change,
so the several signals of one edit (the row, then its categories, then its languages) cost one
refresh. Enqueueing is ``robust``: a broker outage never turns a saved profile into an error;
the nightly sweep catches up.
"""

from functools import partial

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from categories.models import Category
from members.models import Member

from .documents import MATCHING_FIELDS

M2M_ACTIONS = {"post_add", "post_remove", "post_clear"}


def refresh_after_commit(member_ids):
    from .tasks import refresh_member_neighbours

    for member_id in member_ids:
        transaction.on_commit(partial(refresh_member_neighbours.delay, member_id), robust=True)


def member_saved(sender, instance, created=False, update_fields=None, raw=False, **kwargs):
    if raw:
        return
    if update_fields is not None and not set(update_fields) & set(MATCHING_FIELDS):
        return
    refresh_after_commit([instance.pk])


def member_relations_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in M2M_ACTIONS:
        return
    if not reverse:
        refresh_after_commit([instance.pk])
    elif pk_set:
        # category.members.add(...): the members are the changed ones.
        refresh_after_commit(sorted(pk_set))


def connect():
    from .similarity import category_names_clear

    for signal in (post_save, post_delete):
        signal.connect(category_names_clear, sender=Category, dispatch_uid="connections-categories")
    post_save.connect(member_saved, sender=Member, dispatch_uid="connections-member-saved")
    for through in (Member.categories.through, Member.languages.through):
        m2m_changed.connect(
            member_relations_changed,
            sender=through,
            dispatch_uid=f"connections-{through._meta.model_name}",
        )
