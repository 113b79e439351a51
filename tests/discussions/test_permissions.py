"""Every URL of the discussions for the five personas and a SIG lead of another category."""

import pytest
from django.urls import reverse

from tests.conftest import PERSONAS

pytestmark = pytest.mark.django_db

PEOPLE = [*PERSONAS, "other_sig_lead"]
LOGIN = "login"

# name -> (method, url builder, {persona: expected status or LOGIN})
READ = dict.fromkeys(PEOPLE, 200) | {"visitor": LOGIN}
WRITE_GET = READ | {"user_without_profile": 403}
MODERATE_GET = {
    "visitor": LOGIN,
    "user_without_profile": 403,
    "innovator": 403,
    "core_group_member": 200,
    "staff_officer": 200,
    "other_sig_lead": 403,
}
MODERATE_POST = MODERATE_GET | {"core_group_member": 302, "staff_officer": 302}
AUTHOR_ONLY = dict.fromkeys(PEOPLE, 403) | {"visitor": LOGIN}
REPORT = READ


def urls(thread, post):
    slug = thread.category.slug
    return {
        "index": ("get", reverse("discussions:index"), READ),
        "search": ("get", reverse("discussions:search") + "?q=apprentices", READ),
        "category": ("get", reverse("discussions:category", args=[slug]), READ),
        "new thread": ("get", reverse("discussions:thread_new", args=[slug]), WRITE_GET),
        "thread": ("get", thread.get_absolute_url(), READ),
        "reply": (
            "post",
            reverse("discussions:reply", args=[slug, thread.pk]),
            dict.fromkeys(PEOPLE, 302) | {"visitor": LOGIN, "user_without_profile": 403},
        ),
        "follow thread": (
            "post",
            reverse("discussions:thread_follow", args=[slug, thread.pk]),
            dict.fromkeys(PEOPLE, 302) | {"visitor": LOGIN},
        ),
        "follow category": (
            "post",
            reverse("discussions:category_follow", args=[slug]),
            dict.fromkeys(PEOPLE, 302) | {"visitor": LOGIN},
        ),
        "pin": (
            "post",
            reverse("discussions:thread_moderate", args=[slug, thread.pk]),
            MODERATE_POST,
        ),
        "move": ("get", reverse("discussions:thread_move", args=[slug, thread.pk]), MODERATE_GET),
        "knowledge": (
            "get",
            reverse("discussions:thread_knowledge", args=[slug, thread.pk]),
            MODERATE_GET,
        ),
        "edit post": ("get", reverse("discussions:post_edit", args=[post.pk]), AUTHOR_ONLY),
        "delete post": ("post", reverse("discussions:post_delete", args=[post.pk]), AUTHOR_ONLY),
        "hide post": ("get", reverse("discussions:post_hide", args=[post.pk]), MODERATE_GET),
        "unhide post": ("post", reverse("discussions:post_unhide", args=[post.pk]), MODERATE_POST),
        "history": ("get", reverse("discussions:post_history", args=[post.pk]), MODERATE_GET),
        "report post": ("get", reverse("discussions:post_report", args=[post.pk]), REPORT),
    }


POST_DATA = {
    "reply": {"body": "Me too", "language": "en"},
    "follow thread": {"frequency": "weekly"},
    "follow category": {"frequency": "immediate"},
    "pin": {"action": "pin"},
}


@pytest.mark.parametrize("who", PEOPLE)
def test_every_url_answers_each_persona_as_it_should(who, request, client_for, thread):
    user = None if who == "visitor" else request.getfixturevalue(who)
    client = client_for(user)
    post = thread.posts.get()
    failures = []
    for name, (method, url, expected) in urls(thread, post).items():
        response = client.get(url) if method == "get" else client.post(url, POST_DATA.get(name, {}))
        want = expected[who]
        if want == LOGIN:
            ok = response.status_code == 302 and "/accounts/login/" in response["Location"]
        else:
            ok = response.status_code == want
        if not ok:
            failures.append((name, response.status_code, want))
    assert failures == []


def test_the_author_edits_and_deletes_their_own_post(client_for, author, thread):
    post = thread.posts.get()
    client = client_for(author)

    assert client.get(reverse("discussions:post_edit", args=[post.pk])).status_code == 200
    response = client.post(reverse("discussions:post_delete", args=[post.pk]))

    assert response.status_code == 302
    post.refresh_from_db()
    assert post.is_deleted


def test_visitors_see_no_thread_on_the_category_page(client_for, thread, innovator):
    visitor_page = client_for(None).get("/categories/work-based-learning/").content.decode()
    member_page = client_for(innovator).get("/categories/work-based-learning/").content.decode()

    assert thread.title not in visitor_page
    assert thread.title in member_page
