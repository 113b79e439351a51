"""A person's data in the members app: their files of "Download my data"
(``registry.ACCOUNT_DATA``) and what happens when their account (or profile) is deleted
(``accounts.signals.account_deleting``).
"""

from django.db import transaction

from accounts.data import model_record
from accounts.models import AccountDeletion
from accounts.services import deletion_counts
from accounts.signals import account_deleting
from network_portal import registry

from .models import Member
from .needs_models import NeedsAnswer


def profile_delete(sender, *, user=None, member=None, **kwargs):
    """Receiver: the profile leaves every page, list, export and API with its row.

    Its categories, languages, roles, needs answers and neighbours go with it (cascades);
    introductions and letters keep their row with the profile left empty ("a former member").
    """
    if member is None:
        return {}
    Member.objects.filter(pk=member.pk).delete()
    return {"members.profile": 1}


def member_remove(*, member):
    """Remove, on the person's request, an imported profile that was never claimed.

    Staff only (the admin action). The same effect as a member deleting their account, minus
    the account: every app's ``account_deleting`` receiver runs with ``user=None``. Atomic.
    Returns the ``AccountDeletion`` log row. Refuses a profile with an owner (``ValueError``):
    its owner deletes their account themself.
    """
    with transaction.atomic():
        member = Member.objects.select_for_update().get(pk=member.pk)
        if member.owner_id is not None:
            raise ValueError("A claimed profile is deleted by its owner.")
        responses = account_deleting.send(sender=Member, user=None, member=member)
        return AccountDeletion.objects.create(
            kind=AccountDeletion.Kind.STAFF, counts=deletion_counts(responses)
        )


def profile_rows(*, user, **kwargs):
    """Download my data: the person's organization profile with its categories and languages."""
    member = Member.objects.filter(owner=user).prefetch_related("categories", "languages").first()
    if member is None:
        return {"rows": []}
    record = model_record(member, exclude=("search_text",))
    record["categories"] = [category.slug for category in member.categories.all()]
    record["languages"] = [language.code for language in member.languages.all()]
    return {"rows": [record]}


def needs_answer_rows(*, user, **kwargs):
    """Download my data: the needs-assessment answers of the person's profile."""
    answers = (
        NeedsAnswer.objects.filter(assessment__member__owner=user)
        .select_related("question")
        .prefetch_related("options")
    )
    return {
        "rows": [
            {
                "question": answer.question.text_en,
                "options": [option.label_en for option in answer.options.all()],
                "text": answer.text,
                "answered_at": answer.answered_at.isoformat(),
            }
            for answer in answers
        ]
    }


def connect():
    account_deleting.connect(profile_delete, dispatch_uid="members-profile-delete")
    registry.register(
        registry.ACCOUNT_DATA, name="profile", order=10, template="", context=profile_rows
    )
    registry.register(
        registry.ACCOUNT_DATA,
        name="needs_answers",
        order=11,
        template="",
        context=needs_answer_rows,
    )
