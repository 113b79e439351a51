"""Writes of the connections app: suggestions, introductions, conversations, blocks, reports.

Each service is atomic and keyword-only; those that owe an email write a ``ConnectionEmail``
row in the same transaction and start the sending task after the commit (the beat sends what a
broker outage left behind). Who may call each is said in its docstring and checked here.
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import Member

from .models import (
    Block,
    ConnectionEmail,
    Conversation,
    DismissedSuggestion,
    Introduction,
    Message,
    MessagePreference,
    Participant,
    Report,
)
from .unread import badge_refresh, badge_refresh_after_commit

# Per sender, counted over every introduction they wrote (those silently dropped included).
DAILY_LIMIT = 5
WEEKLY_LIMIT = 20
DECLINE_COOL_DOWN = timedelta(days=90)


def suggestion_dismiss(*, user, member):
    """Never suggest ``member`` to ``user`` again; idempotent. Returns the dismissal."""
    dismissal, _created = DismissedSuggestion.objects.get_or_create(user=user, member=member)
    return dismissal


def own_member(user):
    """``user``'s own profile, or None (visitors, users without one)."""
    if user is None or not user.is_authenticated:
        return None
    return getattr(user, "member", None)


def can_be_introduced_to(member):
    """Whether anyone may introduce themself to ``member``: listed, claimed and accepting."""
    return (
        member.owner_id is not None
        and member.accepts_introductions
        and member.status == Member.Status.LISTED
    )


def introduction_refusal(*, sender, recipient):
    """Why ``sender`` (a profile, or None) may not introduce themself to ``recipient`` at all,
    as a sentence for them; None when they may. Reads no other row."""
    if sender is None:
        return _("Create your profile first: members introduce themselves with their profile.")
    if sender.status != Member.Status.LISTED:
        return _("You can introduce yourself once your profile is approved and listed.")
    if sender.pk == recipient.pk:
        return _("This is your own profile.")
    if recipient.owner_id is None:
        return _(
            "This profile has not been claimed by its organization yet: nobody can be reached."
        )
    if not can_be_introduced_to(recipient):
        return _("This member does not take introductions through the portal.")
    return None


def _open_or_connected(sender, recipient):
    """The reason an introduction between the two already exists, or None."""
    between = Introduction.objects.filter(
        sender__in=[sender, recipient], recipient__in=[sender, recipient]
    )
    for introduction in between.exclude(status=Introduction.Status.DECLINED):
        if introduction.status == Introduction.Status.ACCEPTED:
            return _("You are already connected with this member: write in your conversation.")
        if introduction.sender_id == sender.pk:
            return _("You have already introduced yourself to this member; wait for an answer.")
        if introduction.status == Introduction.Status.PENDING:
            return _("This member has introduced themself to you: answer their introduction.")
    declined = (
        between.filter(
            sender=sender,
            status=Introduction.Status.DECLINED,
            answered_at__gt=timezone.now() - DECLINE_COOL_DOWN,
        )
        .order_by("-answered_at")
        .first()
    )
    if declined is not None:
        again = timezone.localdate(declined.answered_at + DECLINE_COOL_DOWN)
        return _(
            "This member declined your introduction; you may introduce yourself again from "
            "%(date)s."
        ) % {"date": again.isoformat()}
    return None


def _limit_refusal(sender, now):
    sent = Introduction.objects.filter(sender=sender, created_at__gt=now - timedelta(days=7))
    if sent.filter(created_at__gt=now - timedelta(days=1)).count() >= DAILY_LIMIT:
        return _(
            "You have sent %(count)d introductions today, the most a day; try again tomorrow."
        ) % {"count": DAILY_LIMIT}
    if sent.count() >= WEEKLY_LIMIT:
        return _(
            "You have sent %(count)d introductions this week, the most a week; try again in a "
            "few days."
        ) % {"count": WEEKLY_LIMIT}
    return None


def introduction_send(*, user, recipient, message):
    """``user`` introduces themself, with their profile, to ``recipient``'s owner.

    Refused (``ValidationError``, nothing written) when they may not, when an introduction or a
    connection between the two exists, within 90 days of a decline, or beyond the sender's
    limits (5 a day, 20 a week; one sender's requests are serialised by a row lock). If the
    recipient blocked the sender it is stored as dropped and nobody is told; the sender sees it
    as sent. Otherwise the recipient is owed one email. Returns the introduction.
    """
    from .tasks import send_connection_emails

    sender = own_member(user)
    refusal = introduction_refusal(sender=sender, recipient=recipient)
    if refusal:
        raise ValidationError(refusal, code="not_allowed")
    now = timezone.now()
    with transaction.atomic():
        sender = Member.objects.select_for_update().get(pk=sender.pk)
        refusal = _open_or_connected(sender, recipient) or _limit_refusal(sender, now)
        if refusal:
            raise ValidationError(refusal, code="refused")
        blocked = Block.objects.filter(blocker_id=recipient.owner_id, blocked=user).exists()
        try:
            with transaction.atomic():
                introduction = Introduction.objects.create(
                    sender=sender,
                    recipient=recipient,
                    sender_user=user,
                    message=message,
                    status=Introduction.Status.SUPPRESSED
                    if blocked
                    else Introduction.Status.PENDING,
                    created_at=now,
                )
        except IntegrityError as error:
            raise ValidationError(
                _("You have already introduced yourself to this member; wait for an answer."),
                code="refused",
            ) from error
        if not blocked:
            ConnectionEmail.objects.create(
                kind=ConnectionEmail.Kind.INTRODUCTION,
                recipient_id=recipient.owner_id,
                introduction=introduction,
            )
            transaction.on_commit(send_connection_emails.delay, robust=True)
            badge_refresh_after_commit([recipient.owner_id])
    return introduction


def _participant(conversation, user, member):
    return Participant(
        conversation=conversation,
        user=user,
        name=user.display_name,
        organization=member.name if member else "",
    )


def introduction_answer(*, introduction, user, accept):
    """The recipient accepts or declines an introduction; only its recipient may call it.

    Accepting connects the two members, opens their conversation (its first message is the
    introduction) and owes the sender one email; declining tells nobody and keeps the sender
    from writing again for 90 days. Idempotent: answering twice changes nothing. Returns the
    conversation (accepted) or None.
    """
    from .tasks import send_connection_emails

    with transaction.atomic():
        locked = (
            Introduction.objects.select_for_update(of=("self",))
            .select_related("sender", "recipient", "sender_user")
            .get(pk=introduction.pk)
        )
        if locked.recipient is None or locked.recipient.owner_id != user.pk:
            raise PermissionDenied
        if locked.status == Introduction.Status.ACCEPTED:
            return locked.conversation
        if locked.status != Introduction.Status.PENDING:
            return None
        now = timezone.now()
        locked.answered_at = now
        badge_refresh_after_commit([user.pk])
        if not accept:
            locked.status = Introduction.Status.DECLINED
            locked.save(update_fields=["status", "answered_at"])
            return None
        if locked.sender is None or locked.sender_user is None:
            raise ValidationError(_("This profile no longer exists."), code="gone")
        locked.status, locked.accepted_at = Introduction.Status.ACCEPTED, now
        try:
            with transaction.atomic():
                locked.save(update_fields=["status", "answered_at", "accepted_at"])
        except IntegrityError as error:
            raise ValidationError(
                _("You are already connected with this member."), code="connected"
            ) from error
        conversation = Conversation.objects.create(
            introduction=locked, created_at=now, last_message_at=now
        )
        author = _participant(conversation, locked.sender_user, locked.sender)
        author.save()
        _participant(conversation, user, locked.recipient).save()
        Message.objects.create(
            conversation=conversation,
            author=author,
            body=locked.message,
            created_at=locked.created_at,
        )
        ConnectionEmail.objects.create(
            kind=ConnectionEmail.Kind.ACCEPTED,
            recipient=locked.sender_user,
            introduction=locked,
        )
        transaction.on_commit(send_connection_emails.delay, robust=True)
    introduction.status = locked.status
    return conversation


def block(*, user, other):
    """``user`` stops hearing from ``other``: their open introductions to ``user`` are dropped
    silently (``other`` still sees them as sent), later ones too, and conversations between
    the two end. Idempotent."""
    if other is None or other.pk == user.pk:
        return
    with transaction.atomic():
        Block.objects.get_or_create(blocker=user, blocked=other)
        Introduction.objects.filter(
            sender__owner=other, recipient__owner=user, status=Introduction.Status.PENDING
        ).update(status=Introduction.Status.SUPPRESSED)
        shared = Conversation.objects.filter(participants__user=user).filter(
            participants__user=other
        )
        Conversation.objects.filter(pk__in=shared.values("pk"), ended_at__isnull=True).update(
            ended_at=timezone.now()
        )
        badge_refresh_after_commit([user.pk])


def message_post(*, conversation, user, body):
    """``user`` writes in ``conversation``; only a participant who has not left may, and only
    while the conversation has not ended. The other side is owed an email if they chose one
    per message. Returns the message."""
    from .tasks import send_connection_emails

    with transaction.atomic():
        locked = (
            Conversation.objects.select_for_update(of=("self",))
            .select_related("introduction__sender", "introduction__recipient")
            .get(pk=conversation.pk)
        )
        participants = list(locked.participants.select_related("user"))
        author = next((p for p in participants if p.user_id == user.pk), None)
        if author is None or author.left_at is not None:
            raise PermissionDenied
        if locked.is_ended:
            raise ValidationError(_("This conversation has ended."), code="ended")
        now = timezone.now()
        message = Message.objects.create(
            conversation=locked, author=author, body=body, created_at=now
        )
        locked.last_message_at = now
        locked.save(update_fields=["last_message_at"])
        Participant.objects.filter(pk=author.pk).update(last_read_at=now)
        others = [p for p in participants if p.pk != author.pk and p.user_id is not None]
        notified = [p.user_id for p in others if _notify(p.user) == MessagePreference.Notify.EACH]
        ConnectionEmail.objects.bulk_create(
            [
                ConnectionEmail(kind=ConnectionEmail.Kind.MESSAGE, message=message, recipient_id=pk)
                for pk in notified
            ]
        )
        if notified:
            transaction.on_commit(send_connection_emails.delay, robust=True)
        badge_refresh_after_commit([p.user_id for p in others])
    return message


def _notify(user):
    preference = MessagePreference.objects.filter(user=user).first()
    return preference.notify if preference else MessagePreference.Notify.EACH


def conversation_read(*, participant):
    """Everything in the conversation is read by ``participant`` now."""
    Participant.objects.filter(pk=participant.pk).update(last_read_at=timezone.now())
    badge_refresh([participant.user_id])


def conversation_leave(*, conversation, user, and_block=False):
    """``user`` leaves (and maybe blocks the other side): the conversation ends; the other side
    keeps it, marked ended, and ``user`` no longer sees it."""
    with transaction.atomic():
        participants = list(conversation.participants.select_for_update())
        mine = next((p for p in participants if p.user_id == user.pk), None)
        if mine is None:
            raise PermissionDenied
        now = timezone.now()
        Participant.objects.filter(pk=mine.pk, left_at__isnull=True).update(left_at=now)
        Conversation.objects.filter(pk=conversation.pk, ended_at__isnull=True).update(ended_at=now)
        if and_block:
            for other in participants:
                if other.pk != mine.pk and other.user_id is not None:
                    block(user=user, other=other.user)
        badge_refresh_after_commit([user.pk])


def message_report(*, message, user, reason=""):
    """``user`` reports a message they received to ILO staff, who see that message only.
    Idempotent per message and reporter. Returns the report."""
    author = message.author
    if (
        author.user_id == user.pk
        or not message.conversation.participants.filter(user=user).exists()
    ):
        raise PermissionDenied
    report, _created = Report.objects.get_or_create(
        reporter=user,
        message=message,
        defaults={
            "introduction": message.conversation.introduction,
            "author_name": author.name,
            "author_id": author.user_id,
            "reported_text": message.body,
            "reason": reason,
        },
    )
    return report


def introduction_report(*, introduction, user, reason=""):
    """The recipient reports an introduction to ILO staff (who see its message only)."""
    if introduction.recipient is None or introduction.recipient.owner_id != user.pk:
        raise PermissionDenied
    report, _created = Report.objects.get_or_create(
        reporter=user,
        introduction=introduction,
        message=None,
        defaults={
            "author_name": introduction.sender_user.display_name
            if introduction.sender_user
            else "",
            "author_id": introduction.sender_user_id,
            "reported_text": introduction.message,
            "reason": reason,
        },
    )
    return report


def preference_set(*, user, notify):
    """How ``user`` hears of new messages: each, a daily summary, or none."""
    MessagePreference.objects.update_or_create(user=user, defaults={"notify": notify})
