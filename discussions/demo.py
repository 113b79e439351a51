"""Demo discussions for ``manage.py seed_demo``: threads in several categories, replies, follows.

Idempotent: a thread is looked up by its title and category, so a second run writes nothing.
Posts are written directly (not through the services) so that the demo owes no emails.
"""

import datetime

from django.utils import timezone

from accounts.models import User
from categories.models import Category
from members.models import Member

from .models import Follow, Frequency, Post, Thread

THREADS = [
    (
        "work-based-learning",
        "en",
        "How do you pay apprentices in informal workshops?",
        "We pilot apprenticeships with **master craftspeople** in Dakar. How do you set a fair "
        "allowance when the workshop has irregular income?",
        [
            "In Ghana we used a sliding scale tied to the workshop's monthly sales.",
            "A small government top-up made the difference for us; happy to share our budget.",
        ],
    ),
    (
        "work-based-learning",
        "fr",
        "Reconnaître l'apprentissage traditionnel",
        "Comment faites-vous reconnaître les compétences acquises en atelier par un certificat "
        "national ?",
        ["Au Bénin, le CQM a été une bonne porte d'entrée."],
    ),
    (
        "career-guidance",
        "es",
        "Orientación profesional para jóvenes rurales",
        "¿Qué herramientas digitales usan para llegar a jóvenes sin conexión estable?",
        ["Usamos mensajes SMS y radios comunitarias con buenos resultados."],
    ),
    (
        "training-delivery",
        "en",
        "Micro-learning on WhatsApp: what worked?",
        "Share your experience with short lessons sent over messaging apps: completion rates, "
        "costs, pitfalls.",
        [
            "Five-minute audio lessons beat text for our learners.",
            "Keep groups under 50 people or the discussion drowns.",
        ],
    ),
    (
        "research-data",
        "en",
        "Open data on skills demand",
        "Which labour-market information sources do you trust for skills anticipation?",
        [],
    ),
]


def _authors():
    """Listed members with an owner, the personas first (stable order, so runs agree)."""
    members = Member.objects.listed().filter(owner__isnull=False).select_related("owner")
    return [member.owner for member in members.order_by("pk")[:30]]


def seed(rng):
    authors = _authors()
    if not authors:
        return 0
    innovator = User.objects.filter(email="innovator@example.org").first()
    core = User.objects.filter(email="core@example.org").first()
    now = timezone.now()
    created = 0
    for index, (slug, language, title, body, replies) in enumerate(THREADS):
        category = Category.objects.get(slug=slug)
        if Thread.objects.filter(category=category, title=title).exists():
            continue
        author = authors[index % len(authors)]
        started = now - datetime.timedelta(days=10 - index, hours=rng.randint(0, 12))
        thread = Thread.objects.create(
            category=category,
            title=title,
            author=author,
            language_id=language,
            created_at=started,
            last_posted_at=started,
            is_pinned=index == 0,
        )
        Post.objects.create(
            thread=thread,
            author=author,
            body=body,
            language_id=language,
            is_opening=True,
            created_at=started,
        )
        Follow.objects.get_or_create(user=author, thread=thread)
        moment = started
        for number, reply in enumerate(replies):
            moment += datetime.timedelta(hours=rng.randint(2, 30))
            replier = authors[(index + number + 1) % len(authors)]
            Post.objects.create(
                thread=thread, author=replier, body=reply, language_id=language, created_at=moment
            )
            Follow.objects.get_or_create(user=replier, thread=thread)
        Thread.objects.filter(pk=thread.pk).update(last_posted_at=moment)
        created += 1
    if innovator is not None:
        Follow.objects.get_or_create(
            user=innovator,
            category=Category.objects.get(slug="work-based-learning"),
            defaults={"frequency": Frequency.IMMEDIATE},
        )
        Follow.objects.get_or_create(
            user=innovator,
            category=Category.objects.get(slug="training-delivery"),
            defaults={"frequency": Frequency.WEEKLY},
        )
    if core is not None:
        Follow.objects.get_or_create(
            user=core, category=Category.objects.get(slug="work-based-learning")
        )
    return created
