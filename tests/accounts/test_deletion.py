"""Delete my account: the profile leaves everything at once; what others need stays, nameless."""

import csv
import io

import pytest
from django.urls import reverse

from accounts.models import AccountDeletion, User
from accounts.services import account_delete
from coaching import services as coaching_services
from coaching.models import Registration, SeriesMembership
from connections import services as connection_services
from connections.models import Message, Neighbour, Participant
from discussions import services as discussion_services
from discussions.models import Post
from funds.models import Follow, FundAlert
from members.models import Member, MemberExport
from members.personal_data import member_remove

from ..coaching.factories import CoachingSessionFactory
from ..connections.helpers import connect, member_with_owner
from ..factories import ImportedMemberFactory, MemberFactory, UserFactory
from ..funds.factories import FollowFactory, FundAlertFactory

pytestmark = pytest.mark.django_db

NAME = "Zanele Unique Weavers"


@pytest.fixture
def leaver():
    """A listed, public member with a conversation, a post, a seat, follows and an alert."""
    user = UserFactory(email="leaver@example.org", full_name="Zanele Leaver")
    MemberFactory(owner=user, name=NAME, is_public=True, categories=["work-based-learning"])
    return user


def test_deleting_asks_for_the_email_address_first(client_for, leaver):
    client = client_for(leaver)

    page = client.get(reverse("account_delete"))
    wrong = client.post(reverse("account_delete"), {"email": "someone@example.org"})

    assert page.status_code == 200
    assert wrong.status_code == 200
    assert "nothing was deleted" in wrong.content.decode()
    assert User.objects.filter(pk=leaver.pk).exists()


def test_a_visitor_is_sent_to_sign_in(visitor):
    response = visitor.post(reverse("account_delete"), {"email": "leaver@example.org"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_settings_page_links_to_download_and_delete(client_for, leaver):
    page = client_for(leaver).get(reverse("account_settings")).content.decode()
    assert reverse("account_data") in page
    assert reverse("account_delete") in page
    assert reverse("mfa_index") in page


def test_the_profile_leaves_page_directory_api_and_export_at_once(
    client_for, visitor, leaver, staff_officer
):
    member = leaver.member
    staff = client_for(staff_officer)
    assert NAME in visitor.get("/members/").content.decode()

    response = client_for(leaver).post(reverse("account_delete"), {"email": "LEAVER@example.org"})

    assert response.status_code == 302
    assert not User.objects.filter(pk=leaver.pk).exists()
    assert not Member.objects.filter(pk=member.pk).exists()
    assert visitor.get(member.get_absolute_url()).status_code == 404
    assert NAME not in visitor.get("/members/").content.decode()
    assert NAME not in staff.get("/members/").content.decode()
    assert NAME not in visitor.get("/api/members/").content.decode()
    export = b"".join(staff.get("/members/export/?format=csv").streaming_content)
    assert NAME not in export.decode("utf-8-sig")
    assert not list(csv.reader(io.StringIO(export.decode("utf-8-sig"))))[1:]


def test_others_keep_the_conversation_attributed_to_a_former_member(client_for, leaver):
    friend = member_with_owner(name="Aprendices de Arequipa", country="PE")
    conversation = connect(leaver, friend)
    connection_services.message_post(
        conversation=conversation, user=leaver, body="Our assessment grid is attached."
    )

    account_delete(user=leaver)

    page = client_for(friend.owner).get(conversation.get_absolute_url())
    assert page.status_code == 200
    content = page.content.decode()
    assert "Our assessment grid is attached." in content
    assert "a former member" in content.lower()
    assert NAME not in content
    assert "Zanele" not in content
    gone = Participant.objects.get(conversation=conversation, user=None)
    assert (gone.name, gone.organization) == ("", "")
    assert Message.objects.filter(author=gone).count() == 2  # the introduction, the reply


def test_posts_stay_in_the_thread_as_a_former_members(client_for, leaver, innovator):
    from categories.models import Category
    from members.models import Language

    thread = discussion_services.thread_create(
        author=leaver,
        category=Category.objects.get(slug="work-based-learning"),
        title="Paying apprentices fairly",
        body="We pay a stipend from the first month.",
        language=Language.objects.get(code="en"),
    )

    account_delete(user=leaver)

    content = client_for(innovator).get(thread.get_absolute_url()).content.decode()
    assert "We pay a stipend from the first month." in content
    assert "A former member" in content
    assert "Zanele" not in content
    assert Post.objects.filter(thread=thread, author=None).count() == 1


def test_similar_members_forget_the_profile(leaver, innovator):
    member = leaver.member
    Neighbour.objects.create(member=innovator.member, neighbour=member, score=0.9)
    Neighbour.objects.create(member=member, neighbour=innovator.member, score=0.9)

    account_delete(user=leaver)

    assert not Neighbour.objects.filter(neighbour_id=member.pk).exists()
    assert not Neighbour.objects.filter(member_id=member.pk).exists()


def test_a_freed_seat_goes_to_the_waitlist_and_follows_and_alerts_go(leaver):
    session = CoachingSessionFactory(capacity=1)
    coaching_services.registration_create(session=session, user=leaver, confirm=False)
    waiting = UserFactory()
    coaching_services.registration_create(session=session, user=waiting, confirm=False)
    FollowFactory(user=leaver)
    FundAlertFactory(user=leaver)

    account_delete(user=leaver)

    assert Registration.objects.get(session=session, user=waiting).status == "registered"
    assert not Registration.objects.filter(session=session).exclude(user=waiting).exists()
    assert not Follow.objects.exists()
    assert not FundAlert.objects.exists()
    assert not SeriesMembership.objects.exists()


def test_staff_see_a_deletion_log_without_the_persons_data(client_for, leaver, staff_officer):
    session = CoachingSessionFactory()
    coaching_services.registration_create(session=session, user=leaver, confirm=False)

    deletion = account_delete(user=leaver)

    assert deletion.kind == AccountDeletion.Kind.SELF
    assert deletion.counts["members.profile"] == 1
    assert deletion.counts["coaching.seats_released"] == 1
    page = client_for(staff_officer).get(reverse("admin:accounts_accountdeletion_changelist"))
    assert page.status_code == 200
    content = page.content.decode()
    assert "Deleted by the member" in content
    for trace in ("leaver@example.org", "Zanele", NAME):
        assert trace not in content
        assert trace not in str(deletion.counts)


def test_a_staff_exporter_can_delete_their_account_and_the_audit_row_stays(staff_officer):
    MemberExport.objects.create(user=staff_officer, format="csv", row_count=3)

    account_delete(user=staff_officer)

    audit = MemberExport.objects.get()
    assert audit.user is None
    assert audit.row_count == 3


def test_staff_remove_an_unclaimed_imported_profile_on_request(client_for, staff_officer):
    imported = ImportedMemberFactory(name="Never Claimed Academy")
    claimed = MemberFactory(name="Claimed Lab")

    response = client_for(staff_officer).post(
        reverse("admin:members_member_changelist"),
        {
            "action": "remove_unclaimed",
            "_selected_action": [imported.pk, claimed.pk],
        },
    )

    assert response.status_code == 302
    assert not Member.objects.filter(pk=imported.pk).exists()
    assert Member.objects.filter(pk=claimed.pk).exists()
    log = AccountDeletion.objects.get()
    assert log.kind == AccountDeletion.Kind.STAFF
    assert log.counts == {"members.profile": 1}


def test_a_claimed_profile_is_not_removed_by_staff(innovator):
    with pytest.raises(ValueError):
        member_remove(member=innovator.member)
    assert Member.objects.filter(pk=innovator.member.pk).exists()


def test_core_group_members_cannot_remove_profiles(client_for, core_group_member):
    imported = ImportedMemberFactory(name="Never Claimed Academy")

    client_for(core_group_member).post(
        reverse("admin:members_member_changelist"),
        {"action": "remove_unclaimed", "_selected_action": [imported.pk]},
    )

    assert Member.objects.filter(pk=imported.pk).exists()
    assert not AccountDeletion.objects.exists()


def test_the_profile_leaves_the_network_graph_and_the_kumu_feed_at_once(
    client_for, visitor, leaver, innovator, staff_officer
):
    from network import graph

    connect(innovator, leaver.member)
    for audience in graph.AUDIENCES:  # computed before the deletion, as the beat left it
        graph.build(audience)
    staff = client_for(staff_officer)
    assert NAME in staff.get("/network/").content.decode()
    assert NAME in visitor.get("/network/kumu.json").content.decode()

    client_for(leaver).post(reverse("account_delete"), {"email": "leaver@example.org"})

    assert NAME not in staff.get("/network/").content.decode()
    assert NAME not in visitor.get("/network/").content.decode()
    assert NAME not in visitor.get("/network/kumu.json").content.decode()
