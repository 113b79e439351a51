"""Moderation by the category's SIG lead and ILO staff, and what each persona sees afterwards."""

import pytest
from django.core import mail
from django.urls import reverse

from categories.models import Category
from discussions import services
from discussions.models import Post, PostReport, Thread

from .conftest import make_thread

pytestmark = pytest.mark.django_db


def test_sig_lead_hides_a_reply_and_its_author_is_told_why(
    client_for, core_group_member, innovator, author, thread, django_capture_on_commit_callbacks
):
    reply = services.post_reply(
        author=innovator, thread=thread, body="Buy my course!", language=thread.language
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(core_group_member).post(
            reverse("discussions:post_hide", args=[reply.pk]), {"reason": "Advertising"}
        )

    assert response.status_code == 302
    hidden = [m for m in mail.outbox if m.to == [innovator.email]]
    assert len(hidden) == 1
    assert "Advertising" in hidden[0].body
    # Others no longer see it; its author and the moderators do, with the reason.
    assert (
        "Buy my course!" not in client_for(author).get(thread.get_absolute_url()).content.decode()
    )
    own = client_for(innovator).get(thread.get_absolute_url()).content.decode()
    assert "Buy my course!" in own and "Advertising" in own
    assert (
        "Buy my course!"
        in client_for(core_group_member).get(thread.get_absolute_url()).content.decode()
    )


def test_a_lead_of_another_category_cannot_hide(client_for, other_sig_lead, thread):
    post = thread.posts.get()
    response = client_for(other_sig_lead).post(
        reverse("discussions:post_hide", args=[post.pk]), {"reason": "No"}
    )

    assert response.status_code == 403
    assert Post.objects.get(pk=post.pk).hidden_at is None


def test_hiding_the_opening_post_hides_the_thread_from_members(
    client_for, staff_officer, innovator, author, thread
):
    services.post_hide(post=thread.posts.get(), by=staff_officer, reason="Off topic")

    listing = reverse("discussions:category", args=["work-based-learning"])
    assert thread.title not in client_for(innovator).get(listing).content.decode()
    assert client_for(innovator).get(thread.get_absolute_url()).status_code == 404
    assert client_for(author).get(thread.get_absolute_url()).status_code == 200
    assert thread.title in client_for(staff_officer).get(listing).content.decode()


def test_a_locked_thread_takes_no_more_replies_but_from_moderators(
    client_for, core_group_member, innovator, thread
):
    client_for(core_group_member).post(
        reverse("discussions:thread_moderate", args=["work-based-learning", thread.pk]),
        {"action": "lock"},
    )
    url = reverse("discussions:reply", args=["work-based-learning", thread.pk])

    assert client_for(innovator).post(url, {"body": "Late", "language": "en"}).status_code == 403
    assert "locked" in client_for(innovator).get(thread.get_absolute_url()).content.decode()
    assert (
        client_for(core_group_member).post(url, {"body": "Closing", "language": "en"}).status_code
        == 302
    )


def test_pinned_threads_come_first(client_for, core_group_member, author, wbl, thread):
    later = make_thread(author, wbl, title="A newer question")
    services.thread_moderate(thread=thread, by=core_group_member, is_pinned=True)

    page = client_for(author).get(reverse("discussions:category", args=[wbl.slug]))

    assert [t.pk for t in page.context["threads"]] == [thread.pk, later.pk]


def test_moving_a_thread_sends_old_links_to_its_new_category(
    client_for, core_group_member, innovator, thread
):
    response = client_for(core_group_member).post(
        reverse("discussions:thread_move", args=["work-based-learning", thread.pk]),
        {"category": Category.objects.get(slug="career-guidance").pk},
    )
    assert response.status_code == 302

    old = client_for(innovator).get(f"/categories/work-based-learning/discussions/{thread.pk}/")
    assert old.status_code == 301
    assert old["Location"] == f"/categories/career-guidance/discussions/{thread.pk}/"
    listing = client_for(innovator).get("/categories/work-based-learning/discussions/")
    assert thread.title not in listing.content.decode()


def test_an_edit_keeps_the_previous_version_for_moderators(
    client_for, author, core_group_member, innovator, thread
):
    post = thread.posts.get()
    client_for(author).post(
        reverse("discussions:post_edit", args=[post.pk]), {"body": "Edited text", "language": "en"}
    )
    history = reverse("discussions:post_history", args=[post.pk])

    page = client_for(core_group_member).get(history).content.decode()
    assert "How do you pay?" in page and "Edited text" in page
    assert client_for(innovator).get(history).status_code == 403
    assert (
        "How do you pay?"
        not in client_for(innovator).get(thread.get_absolute_url()).content.decode()
    )


def test_a_member_reports_a_post_once_and_staff_see_it_in_the_admin(
    client_for, innovator, staff_officer, thread
):
    post = thread.posts.get()
    url = reverse("discussions:post_report", args=[post.pk])
    client_for(innovator).post(url, {"reason": "Spam"})
    client_for(innovator).post(url, {"reason": "Spam again"})

    assert PostReport.objects.filter(post=post).count() == 1
    admin = client_for(staff_officer).get("/admin/discussions/postreport/")
    assert admin.status_code == 200
    assert "Spam" in admin.content.decode()


def test_a_moderator_turns_the_outcome_into_a_knowledge_entry_that_links_back(
    client_for, core_group_member, innovator, thread
):
    response = client_for(core_group_member).post(
        reverse("discussions:thread_knowledge", args=["work-based-learning", thread.pk]),
        {"title": "Paying apprentices", "summary": "", "body": "Pay the minimum wage at least."},
    )
    thread.refresh_from_db()
    entry = thread.knowledge_entry

    assert response.status_code == 302 and entry is not None
    assert thread.get_absolute_url() in entry.body_html
    assert (
        entry.get_absolute_url()
        in client_for(innovator).get(thread.get_absolute_url()).content.decode()
    )


def test_posting_is_rate_limited(client_for, innovator, settings, thread):
    settings.DISCUSSIONS_POSTS_PER_HOUR = 2
    url = reverse("discussions:reply", args=["work-based-learning", thread.pk])
    client = client_for(innovator)
    statuses = [
        client.post(url, {"body": f"Reply {n}", "language": "en"}).status_code for n in range(3)
    ]

    assert statuses == [302, 302, 400]
    assert Post.objects.filter(author=innovator).count() == 2


def test_language_filter(client_for, author, innovator, wbl):
    make_thread(author, wbl, title="Apprentissage en Afrique", language="fr")
    make_thread(author, wbl, title="Apprenticeships in Asia", language="en")
    url = reverse("discussions:category", args=[wbl.slug])

    french = client_for(innovator).get(url, {"language": "fr"})
    wrong = client_for(innovator).get(url, {"language": "zz"})

    assert [t.title for t in french.context["threads"]] == ["Apprentissage en Afrique"]
    assert wrong.status_code == 200 and list(wrong.context["threads"]) == []
    assert Thread.objects.count() == 2


SEES_HIDDEN_REPLY = {
    "user_without_profile": False,
    "innovator": False,
    "core_group_member": True,  # the SIG lead of work-based learning
    "staff_officer": True,
    "other_sig_lead": False,
}


@pytest.mark.parametrize("who", SEES_HIDDEN_REPLY)
def test_after_a_hide_only_the_categorys_moderators_see_the_reply(
    who, request, client_for, author, staff_officer, thread
):
    reply = services.post_reply(
        author=author, thread=thread, body="Hidden words here", language=thread.language
    )
    services.post_hide(post=reply, by=staff_officer, reason="Off topic")
    viewer = request.getfixturevalue(who)

    page = client_for(viewer).get(thread.get_absolute_url()).content.decode()

    assert ("Hidden words here" in page) is SEES_HIDDEN_REPLY[who]
    assert ("How do you pay?" in page) is True


def test_a_sig_lead_sees_the_reports_of_their_own_category_only(
    client_for, core_group_member, other_sig_lead, innovator, author, thread
):
    services.post_report(post=thread.posts.get(), by=innovator, reason="Rude words")

    own = client_for(core_group_member).get("/admin/discussions/postreport/")
    other = client_for(other_sig_lead).get("/admin/discussions/postreport/")

    assert own.status_code == 200 and "Rude words" in own.content.decode()
    assert other.status_code == 200 and "Rude words" not in other.content.decode()


def test_a_thread_links_a_fund_call_and_a_session(client_for, innovator, wbl):
    from tests.coaching.factories import CoachingSessionFactory
    from tests.funds.factories import FundCallFactory

    call = FundCallFactory(title="Apprenticeship Challenge Fund")
    session = CoachingSessionFactory(title="Budget clinic")
    response = client_for(innovator).post(
        reverse("discussions:thread_new", args=[wbl.slug]),
        {
            "title": "Who applies to the challenge fund?",
            "body": "Let us compare notes.",
            "language": "en",
            "fund_call": call.pk,
            "session": session.pk,
        },
    )
    thread = Thread.objects.get()
    page = client_for(innovator).get(response["Location"]).content.decode()

    assert (thread.fund_call, thread.session) == (call, session)
    assert call.get_absolute_url() in page and session.get_absolute_url() in page


def test_a_suggested_call_is_not_named_to_members_who_cannot_open_it(
    client_for, innovator, author, wbl
):
    from funds.models import FundCall
    from tests.funds.factories import FundCallFactory

    call = FundCallFactory(title="Secret suggestion", status=FundCall.Status.SUGGESTED)
    thread = make_thread(author, wbl)
    Thread.objects.filter(pk=thread.pk).update(fund_call=call)

    page = client_for(innovator).get(thread.get_absolute_url()).content.decode()

    assert "Secret suggestion" not in page
