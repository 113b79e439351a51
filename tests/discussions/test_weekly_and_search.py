"""The weekly email's discussions section, the one search box, and unread markers."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from categories.models import Category
from discussions import services
from discussions.models import Frequency
from discussions.parts import weekly_activity
from network_portal import registry
from tests.coaching.factories import KnowledgeEntryFactory

from .conftest import make_thread

pytestmark = pytest.mark.django_db


def week_ago():
    return timezone.now() - datetime.timedelta(days=7)


def test_weekly_section_lists_posts_of_weekly_follows_only(author, innovator, staff_officer, wbl):
    services.follow_set(user=innovator, category=wbl, frequency=Frequency.WEEKLY)
    shown = make_thread(author, wbl, title="Shown thread")
    hidden = make_thread(author, wbl, title="Hidden thread")
    services.post_hide(post=hidden.posts.get(), by=staff_officer, reason="Spam")
    moved = make_thread(author, wbl, title="Moved thread")
    services.thread_move(
        thread=moved, by=staff_officer, category=Category.objects.get(slug="career-guidance")
    )
    make_thread(innovator, wbl, title="My own thread")

    context = weekly_activity(user=innovator, since=week_ago())

    assert [item["thread"].title for item in context["threads"]] == ["Shown thread"]
    assert "/discussions/unsubscribe/" in context["threads"][0]["unsubscribe_url"]
    assert shown.pk == context["threads"][0]["thread"].pk


def test_weekly_section_is_none_when_nothing_happened(author, innovator, wbl):
    assert weekly_activity(user=innovator, since=week_ago()) is None
    services.follow_set(user=innovator, category=wbl, frequency=Frequency.WEEKLY)
    assert weekly_activity(user=innovator, since=week_ago()) is None
    services.follow_set(user=innovator, category=wbl, frequency=Frequency.IMMEDIATE)
    make_thread(author, wbl)
    assert weekly_activity(user=innovator, since=week_ago()) is None  # immediate: not weekly


def test_weekly_section_is_registered_and_renders_in_html_and_text(author, innovator, wbl):
    services.follow_set(user=innovator, category=wbl, frequency=Frequency.WEEKLY)
    make_thread(author, wbl, title="Rendered <thread>")

    now = timezone.now()
    window = {"since": week_ago(), "until": now, "horizon": now + datetime.timedelta(days=7)}
    html = registry.render(registry.WEEKLY_EMAIL_SECTIONS, user=innovator, **window)
    text = registry.render(registry.WEEKLY_EMAIL_SECTIONS, user=innovator, text=True, **window)

    assert any("Rendered &lt;thread&gt;" in part for part in html)
    assert any("Rendered <thread>" in part for part in text)


def test_weekly_section_costs_a_fixed_number_of_queries(
    author, innovator, wbl, django_assert_max_num_queries
):
    services.follow_set(user=innovator, category=wbl, frequency=Frequency.WEEKLY)
    for n in range(8):
        make_thread(author, wbl, title=f"Thread {n}")
    with django_assert_max_num_queries(3):
        weekly_activity(user=innovator, since=week_ago())


def test_one_search_finds_threads_and_knowledge_ignoring_accents(
    client_for, author, innovator, wbl
):
    make_thread(
        author, wbl, title="Formación dual", body="La formación en la empresa", language="es"
    )
    make_thread(author, wbl, title="Unrelated", body="Budgets")
    KnowledgeEntryFactory(title="Guía de formacion", body="Cómo organizar la formación dual.")

    page = client_for(innovator).get(reverse("discussions:search"), {"q": "formacion"})

    assert [t.title for t in page.context["threads"]] == ["Formación dual"]
    assert [e.title for e in page.context["entries"]] == ["Guía de formacion"]


def test_search_finds_word_forms_and_filters_by_language(client_for, author, innovator, wbl):
    make_thread(author, wbl, title="Apprenticeships", body="Paying apprentices", language="en")
    make_thread(author, wbl, title="Apprentis", body="Les apprentis", language="fr")
    url = reverse("discussions:search")

    english = client_for(innovator).get(url, {"q": "apprentice"})
    french_only = client_for(innovator).get(url, {"q": "apprentis", "language": "fr"})

    assert "Apprenticeships" in [t.title for t in english.context["threads"]]
    assert [t.title for t in french_only.context["threads"]] == ["Apprentis"]


def test_search_never_shows_a_hidden_thread_to_members(
    client_for, author, innovator, staff_officer, wbl
):
    thread = make_thread(author, wbl, title="Secret hidden", body="hidden words")
    services.post_hide(post=thread.posts.get(), by=staff_officer, reason="Spam")

    page = client_for(innovator).get(reverse("discussions:search"), {"q": "hidden"})

    assert page.context["threads"] == []


def test_unread_markers_follow_what_the_member_opened(client_for, author, innovator, wbl):
    first = make_thread(author, wbl, title="First")
    second = make_thread(author, wbl, title="Second")
    client = client_for(innovator)
    client.get(first.get_absolute_url())
    listing = reverse("discussions:category", args=[wbl.slug])

    unread = {t.title: t.unread for t in client.get(listing).context["threads"]}
    assert unread == {"First": False, "Second": True}

    services.post_reply(author=author, thread=first, body="News", language=first.language)
    unread = {t.title: t.unread for t in client.get(listing).context["threads"]}
    assert unread == {"First": True, "Second": True}
    assert second.pk


@pytest.mark.parametrize("count", [1, 15])
def test_the_thread_list_costs_the_same_queries_whatever_the_number(
    count, client_for, author, innovator, wbl, django_assert_num_queries
):
    for n in range(count):
        thread = make_thread(author, wbl, title=f"Thread {n}")
        services.post_reply(author=innovator, thread=thread, body="Reply", language=thread.language)
    client = client_for(innovator)
    url = reverse("discussions:category", args=[wbl.slug])
    client.get(url)

    # Session, user, category, the user's and groups' permissions, SIG lead roles, the page
    # count, the member (nav), the follow, the filter's languages, and the threads with their
    # unread markers and reply counts in one query.
    with django_assert_num_queries(QUERIES):
        response = client.get(url)
    assert len(response.context["threads"]) == count


QUERIES = 11


def test_a_weekly_follow_subscribes_to_the_weekly_email_that_carries_it(innovator, wbl):
    from network_portal.weekly.models import WeeklyEmail

    services.follow_set(user=innovator, category=wbl, frequency=Frequency.IMMEDIATE)
    assert not WeeklyEmail.objects.filter(user=innovator).exclude(frequency="never").exists()

    services.follow_set(user=innovator, category=wbl, frequency=Frequency.WEEKLY)

    assert WeeklyEmail.objects.get(user=innovator).is_subscribed
