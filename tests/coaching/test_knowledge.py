import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coaching.models import KnowledgeEntry
from coaching.views import PAGE_SIZE

from ..factories import MemberFactory, UserFactory
from .factories import CoachingSessionFactory, KnowledgeEntryFactory

pytestmark = pytest.mark.django_db


def listed(response):
    return [entry.title for entry in response.context["entries"]]


def test_visitors_read_public_entries_and_members_read_all(visitor, client_for, innovator):
    KnowledgeEntryFactory(title="What reviewers look for", is_public=True)
    private = KnowledgeEntryFactory(title="Our evaluators' scoring grid", is_public=False)

    assert listed(visitor.get(reverse("coaching:knowledge_list"))) == ["What reviewers look for"]
    response = visitor.get(private.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    member = client_for(innovator)
    assert len(listed(member.get(reverse("coaching:knowledge_list")))) == 2
    assert member.get(private.get_absolute_url()).status_code == 200


def test_search_by_words_and_category(visitor):
    KnowledgeEntryFactory(
        title="Budget tips", body="Costs follow activities.", categories=["entrepreneurship"]
    )
    KnowledgeEntryFactory(
        title="Apprenticeship guide",
        body="Mentors and budgets.",
        categories=["work-based-learning"],
    )
    KnowledgeEntryFactory(title="Pitching", body="Five minutes.")

    def search(**query):
        return sorted(listed(visitor.get(reverse("coaching:knowledge_list"), query)))

    assert search(q="budget") == ["Apprenticeship guide", "Budget tips"]
    assert search(q="budget costs") == ["Budget tips"]
    assert search(category="work-based-learning") == ["Apprenticeship guide"]
    assert search(q="budget", category="entrepreneurship") == ["Budget tips"]


def test_an_unknown_category_shows_the_error_and_no_entries(visitor):
    KnowledgeEntryFactory()

    response = visitor.get(reverse("coaching:knowledge_list"), {"category": "nope"})

    assert response.status_code == 200
    assert listed(response) == []
    assert "Correct the search" in response.content.decode()


def test_markdown_is_rendered_safely_under_the_pages_one_heading(visitor):
    entry = KnowledgeEntryFactory(
        body=(
            "# Title in the text\n\n**Bold** and [a link](https://ilo.org).\n\n"
            "<script>alert('x')</script>\n\n[click](javascript:alert(1))\n\n"
            '<img src=x onerror="alert(1)">'
        )
    )

    html = visitor.get(entry.get_absolute_url()).content.decode()

    assert html.count("<h1") == 1
    assert "<h2>Title in the text</h2>" in html
    assert "<strong>Bold</strong>" in html
    assert 'href="https://ilo.org"' in html
    assert "alert" not in html
    assert "onerror" not in html


HOSTS_AND_STAFF = {
    "visitor": 302,
    "user_without_profile": 403,
    "innovator": 403,
    "core_group_member": 200,
    "staff_officer": 200,
}


def test_who_may_write_an_entry(persona):
    name, _user, client = persona

    assert client.get(reverse("coaching:knowledge_new")).status_code == HOSTS_AND_STAFF[name]


def test_a_member_who_hosts_a_session_may_write(client_for):
    host = UserFactory()
    CoachingSessionFactory(hosts=[MemberFactory(owner=host)])

    response = client_for(host).post(
        reverse("coaching:knowledge_new"),
        {
            "title": "Five tips for a pitch",
            "slug": "",
            "kind": "tip",
            "summary": "",
            "body": "1. Start with the problem.",
            "language": "en",
            "session": "",
        },
    )

    entry = KnowledgeEntry.objects.get()
    assert response.status_code == 302
    assert entry.slug == "five-tips-for-a-pitch"
    assert entry.author == host
    assert entry.is_public is False


def edit_status(client, entry):
    return client.get(reverse("coaching:knowledge_edit", args=[entry.slug])).status_code


def test_authors_edit_their_own_entries_and_hosts_those_of_their_sessions(client_for):
    host = UserFactory()
    session = CoachingSessionFactory(hosts=[MemberFactory(owner=host)])
    own = KnowledgeEntryFactory(author=host)
    from_the_session = KnowledgeEntryFactory(author=UserFactory(), session=session)
    other = KnowledgeEntryFactory(author=UserFactory())
    client = client_for(host)

    assert edit_status(client, own) == 200
    assert edit_status(client, from_the_session) == 200
    assert edit_status(client, other) == 403


def test_the_core_group_edits_only_the_entries_it_wrote_or_hosts(
    client_for, core_group_member, staff_officer, host_session
):
    own = KnowledgeEntryFactory(author=core_group_member)
    from_their_session = KnowledgeEntryFactory(author=staff_officer, session=host_session)
    staffs = KnowledgeEntryFactory(author=staff_officer, is_public=False)
    client = client_for(core_group_member)

    assert edit_status(client, own) == 200
    assert edit_status(client, from_their_session) == 200
    assert edit_status(client, staffs) == 403
    page = client.get(staffs.get_absolute_url()).content.decode()
    assert f"/knowledge/{staffs.slug}/edit/" not in page
    data = {"title": "Made public", "slug": staffs.slug, "kind": "guide", "body": "x"}
    response = client.post(
        reverse("coaching:knowledge_edit", args=[staffs.slug]),
        {**data, "language": "en", "is_public": "on"},
    )
    assert response.status_code == 403
    assert KnowledgeEntry.objects.get(pk=staffs.pk).is_public is False


WHO_EDITS_ANOTHERS_ENTRY = {
    "visitor": 302,
    "user_without_profile": 403,
    "innovator": 403,
    "core_group_member": 403,
    "staff_officer": 200,
}


def test_who_may_edit_an_entry_someone_else_wrote(persona):
    name, _user, client = persona
    entry = KnowledgeEntryFactory(author=UserFactory(), is_public=True)

    assert edit_status(client, entry) == WHO_EDITS_ANOTHERS_ENTRY[name]
    shows_edit = f'href="/coaching/knowledge/{entry.slug}/edit/"'
    assert (shows_edit in client.get(entry.get_absolute_url()).content.decode()) is (
        WHO_EDITS_ANOTHERS_ENTRY[name] == 200
    )


def test_a_taken_address_is_refused_and_nothing_is_saved(client_for, staff_officer):
    KnowledgeEntryFactory(slug="budget-tips")

    response = client_for(staff_officer).post(
        reverse("coaching:knowledge_new"),
        {
            "title": "Budget tips",
            "slug": "budget-tips",
            "kind": "tip",
            "body": "x",
            "language": "en",
        },
    )

    assert response.status_code == 200
    assert "Another entry already uses this address." in response.content.decode()
    assert KnowledgeEntry.objects.count() == 1


def test_the_knowledge_list_costs_the_same_queries_for_one_entry_and_a_full_page(
    client_for, innovator, django_assert_num_queries
):
    client = client_for(innovator)
    KnowledgeEntryFactory(categories=["career-guidance", "entrepreneurship"])
    client.get(reverse("coaching:knowledge_list"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("coaching:knowledge_list"))

    for _ in range(PAGE_SIZE + 3):
        KnowledgeEntryFactory(categories=["career-guidance", "entrepreneurship"])
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(reverse("coaching:knowledge_list"))
    assert len(response.context["entries"]) == PAGE_SIZE
