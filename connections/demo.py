"""Similar members, connections and conversations for ``manage.py seed_demo``.

Idempotent: neighbours of an unchanged profile are kept, and an introduction is created only
between two members who have none yet, so a second run writes nothing. The demo rows are
written directly (no service): they owe no email and the sender limits do not apply to history.
"""

from datetime import timedelta

from django.utils import timezone

from members.models import Member

from .models import Conversation, Introduction, Message, Neighbour, Participant
from .similarity import neighbours_rebuild

INNOVATOR = "innovator@example.org"
CORE = "core@example.org"
OTHER_CONNECTIONS = 24
# How many of their most similar members each other member has connected with, picked at random.
SIMILAR_REACHED = (0, 1, 1, 2, 3)

CONVERSATION = [
    (
        "sender",
        "Bonjour Carla, we upgrade informal apprenticeships in Dakar's tailoring workshops and "
        "read how your firms share apprentices. Could we compare how you pool training costs?",
    ),
    (
        "recipient",
        "Hola Ines, with pleasure! Our firms pay into a common fund per apprentice; I can send "
        "you our cost sheet. How do your master tailors get paid for teaching?",
    ),
    (
        "sender",
        "They keep the apprentices' production, as before; we add a small stipend for the "
        "theory modules. Could we talk next week?",
    ),
    ("recipient", "Yes: Tuesday or Wednesday afternoon, Dakar time, works for me."),
]


def seed(rng):
    """Compute every member's neighbours, then the demo connections: the innovator persona
    connected with the Core Group persona (a conversation with an unread message) and two
    more members, an introduction waiting for the innovator's answer, and connections between
    other members, spread over the last year."""
    neighbours_rebuild(force=False)
    now = timezone.now()
    members = list(
        Member.objects.filter(
            status=Member.Status.LISTED, owner__isnull=False, accepts_introductions=True
        )
        .select_related("owner")
        .order_by("name")
    )
    by_owner = {member.owner.email: member for member in members}
    innovator, core = by_owner.get(INNOVATOR), by_owner.get(CORE)
    others = [member for member in members if member.owner.email not in (INNOVATOR, CORE)]
    if innovator is None or core is None or len(others) < 8:
        return 0
    picks = rng.sample(others, 3 + 2 * OTHER_CONNECTIONS)
    created = 0
    created += _introduce(
        innovator, core, when=now - timedelta(days=12), accept=True, messages=CONVERSATION
    )
    for days, member in ((40, picks[0]), (95, picks[1])):
        created += _introduce(member, innovator, when=now - timedelta(days=days), accept=True)
    created += _introduce(picks[2], innovator, when=now - timedelta(hours=5), accept=False)
    for number, (sender, recipient) in enumerate(_other_pairs(rng, others, picks[3:])):
        when = now - timedelta(days=rng.randint(1, 360), hours=number)
        created += _introduce(sender, recipient, when=when, accept=True)
    return created


def _other_pairs(rng, others, picks):
    """Who else is connected: members reach out to some of their most similar members, as the
    portal suggests (so the network map shows groups around shared work), plus a few pairs
    across groups (the bridges); each pair once, in a repeatable order."""
    by_pk = {member.pk: member for member in others}
    similar = {}
    for member_id, neighbour_id in Neighbour.objects.filter(
        member__in=by_pk, neighbour__in=by_pk
    ).values_list("member_id", "neighbour_id"):
        similar.setdefault(member_id, []).append(neighbour_id)
    pairs = {}
    for member in others:
        reached = rng.choice(SIMILAR_REACHED)
        for neighbour_id in similar.get(member.pk, [])[:reached]:
            pairs.setdefault(frozenset((member.pk, neighbour_id)), (member, by_pk[neighbour_id]))
    bridges = zip(picks[0::2], picks[1::2], strict=False)
    for sender, recipient in list(bridges)[:OTHER_CONNECTIONS]:
        pairs.setdefault(frozenset((sender.pk, recipient.pk)), (sender, recipient))
    return list(pairs.values())


def _introduce(sender, recipient, *, when, accept, messages=()):
    """An introduction from ``sender`` to ``recipient`` sent at ``when`` (accepted a day later
    with its conversation, or pending); nothing when the two already have one."""
    pair = [sender.pk, recipient.pk]
    if Introduction.objects.filter(sender__in=pair, recipient__in=pair).exists():
        return 0
    text = messages[0][1] if messages else _default_text(sender, recipient)
    if not accept:
        Introduction.objects.create(
            sender=sender,
            recipient=recipient,
            sender_user=sender.owner,
            message=text,
            created_at=when,
        )
        return 1
    accepted_at = when + timedelta(days=1)
    introduction = Introduction.objects.create(
        sender=sender,
        recipient=recipient,
        sender_user=sender.owner,
        message=text,
        status=Introduction.Status.ACCEPTED,
        created_at=when,
        answered_at=accepted_at,
        accepted_at=accepted_at,
    )
    conversation = Conversation.objects.create(
        introduction=introduction, created_at=accepted_at, last_message_at=accepted_at
    )
    sides = {
        "sender": Participant.objects.create(
            conversation=conversation,
            user=sender.owner,
            name=sender.owner.display_name,
            organization=sender.name,
            last_read_at=accepted_at,
        ),
        "recipient": Participant.objects.create(
            conversation=conversation,
            user=recipient.owner,
            name=recipient.owner.display_name,
            organization=recipient.name,
            last_read_at=accepted_at,
        ),
    }
    script = list(messages) or [("sender", text)]
    moment = when
    for index, (side, body) in enumerate(script):
        moment = when if index == 0 else accepted_at + timedelta(hours=3 * index)
        Message.objects.create(
            conversation=conversation, author=sides[side], body=body, created_at=moment
        )
    conversation.last_message_at = max(moment, accepted_at)
    conversation.save(update_fields=["last_message_at"])
    if messages:
        # The last message is still unread by the side it was written to, for the demo's badge.
        reader = sides["sender" if script[-1][0] == "recipient" else "recipient"]
        reader.last_read_at = moment - timedelta(minutes=1)
        reader.save(update_fields=["last_read_at"])
    return 1


def _default_text(sender, recipient):
    return (
        f"Hello! We at {sender.name} work on similar questions to {recipient.name}. Could we "
        "exchange what we have learned and see whether a joint project makes sense?"
    )
