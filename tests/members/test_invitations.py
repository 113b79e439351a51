"""Invitations for the call's applicants: chosen by staff, sent once in the applicant's language,
reminded once, never to an address that unsubscribed or that the relay refused, and accepted
in one step that signs up and claims the profile."""

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.db import connection
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from members import invitations
from members.invitation_models import EmailSuppression, Invitation, InvitationEmail
from members.models import Member
from members.tasks import send_invitations

from ..factories import ImportedMemberFactory, UserFactory

pytestmark = pytest.mark.django_db


def committed():
    """Run what waits for the commit (sending the round) at the end of the block: these tests
    run inside a transaction that never commits."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def _round(by, *members):
    with committed():
        return invitations.invitation_round_create(
            by=by, members=Member.objects.filter(pk__in=[m.pk for m in members])
        )


def _link(message):
    return re.search(
        r"https://portal\.example\.org(/members/invitations/accept/[^/\s]+/)", message.body
    ).group(1)


def _make_reminders_due():
    InvitationEmail.objects.filter(kind=InvitationEmail.Kind.REMINDER).update(
        due_at=timezone.now() - timedelta(minutes=1)
    )


# ---- Choosing and sending ---------------------------------------------------------------------


def test_staff_invite_the_filtered_applicants_in_their_language(client_for, staff_officer):
    amina = ImportedMemberFactory(
        name="Atlas", country="MA", contact_email="amina@example.org", contact_language="fr"
    )
    ImportedMemberFactory(name="Lima Lab", country="PE", contact_email="lima@example.org")
    ImportedMemberFactory(name="Claimed", country="MA", owner=UserFactory())
    client = client_for(staff_officer)

    page = client.get("/members/invitations/?region=africa").content.decode()
    assert "Atlas" in page and "Lima Lab" not in page and "Claimed" not in page

    with committed():
        response = client.post("/members/invitations/send/", {"region": "africa", "all": "1"})

    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["amina@example.org"]]
    message = mail.outbox[0]
    # Written in French (the catalogs translate the words once the coordinator compiles them).
    assert '<html lang="fr">' in message.alternatives[0][0]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    invitation = Invitation.objects.get()
    assert invitation.member == amina and invitation.language == "fr"
    assert invitation.expires_at - invitation.created_at == timedelta(days=30)


def test_staff_invite_only_those_ticked(client_for, staff_officer):
    first = ImportedMemberFactory(contact_email="first@example.org")
    ImportedMemberFactory(contact_email="second@example.org")
    with committed():
        client_for(staff_officer).post("/members/invitations/send/", {"member": [first.pk]})
    assert [m.to for m in mail.outbox] == [["first@example.org"]]


def test_an_invalid_filter_invites_nobody(client_for, staff_officer):
    ImportedMemberFactory()
    response = client_for(staff_officer).post(
        "/members/invitations/send/", {"country": "ZZ", "all": "1"}, follow=True
    )
    assert "not valid" in response.content.decode()
    assert not Invitation.objects.exists() and not mail.outbox


def test_the_reminder_goes_14_days_later_to_those_who_did_not_claim(staff_officer):
    waiting = ImportedMemberFactory(contact_email="waiting@example.org")
    joined = ImportedMemberFactory(contact_email="joined@example.org")
    _round(staff_officer, waiting, joined)
    assert sorted(m.to[0] for m in mail.outbox) == ["joined@example.org", "waiting@example.org"]
    reminder = InvitationEmail.objects.filter(kind=InvitationEmail.Kind.REMINDER).first()
    assert reminder.due_at - reminder.invitation.created_at == timedelta(days=14)

    joined_link = _link(next(m for m in mail.outbox if m.to == ["joined@example.org"]))
    Client().post(
        joined_link,
        {"full_name": "Jo", "password1": "a-long pass 2026", "password2": "a-long pass 2026"},
    )
    mail.outbox.clear()

    assert send_invitations.delay().get() == 0  # not due yet
    _make_reminders_due()
    send_invitations.delay().get()
    send_invitations.delay().get()

    assert [m.to for m in mail.outbox] == [["waiting@example.org"]]
    assert "Reminder" in mail.outbox[0].subject


def test_the_same_profile_is_invited_once_per_round(staff_officer):
    member = ImportedMemberFactory()
    invitation_round = _round(staff_officer, member)
    assert invitation_round.invitations.count() == 1
    assert InvitationEmail.objects.filter(invitation__round=invitation_round).count() == 2


@pytest.mark.django_db(transaction=True)
def test_invitations_are_sent_exactly_once_through_a_real_worker(
    celery_worker, smtp_relay, reference_data
):
    staff = UserFactory(is_staff=True, groups=["ILO staff"])
    for n in range(3):
        ImportedMemberFactory(contact_email=f"applicant{n}@example.org")

    # Committed for real here: the round hands its task to the worker after the commit.
    invitations.invitation_round_create(by=staff, members=Member.objects.all())
    send_invitations.delay()
    send_invitations.delay()
    celery_worker.wait_until_idle()

    assert smtp_relay.received() == [f"applicant{n}@example.org" for n in range(3)]
    assert InvitationEmail.objects.filter(sent_at__isnull=False).count() == 3
    # Reminders wait for their day; then each goes once.
    _make_reminders_due()
    send_invitations.delay()
    send_invitations.delay()
    celery_worker.wait_until_idle()
    assert len(smtp_relay.envelopes) == 6
    assert InvitationEmail.objects.filter(sent_at__isnull=True).count() == 0


# ---- Never to a suppressed address ----------------------------------------------------------


def test_an_address_the_relay_refuses_for_good_is_never_written_to_again(smtp_relay, staff_officer):
    gone = ImportedMemberFactory(contact_email="gone@example.org")
    fine = ImportedMemberFactory(contact_email="fine@example.org")
    smtp_relay.rcpt["gone@example.org"] = "550 5.1.1 No such user"

    _round(staff_officer, gone, fine)

    assert smtp_relay.received() == ["fine@example.org"]
    refused = InvitationEmail.objects.get(invitation__member=gone, kind="invitation")
    assert refused.failed_at is not None and refused.sent_at is None
    assert EmailSuppression.objects.get().reason == EmailSuppression.Reason.REFUSED
    # No reminder, and no later round, for that address.
    _make_reminders_due()
    invitations.invitations_send()
    assert _round(staff_officer, gone) is None
    assert smtp_relay.received() == ["fine@example.org", "fine@example.org"]


def test_one_click_unsubscribe_stops_the_reminder_and_later_rounds(staff_officer):
    member = ImportedMemberFactory(contact_email="Stop@Example.org")
    _round(staff_officer, member)
    url = re.search(
        r"https://portal\.example\.org(/members/invitations/unsubscribe/\S+/)", mail.outbox[0].body
    ).group(1)
    assert mail.outbox[0].extra_headers["List-Unsubscribe"] == f"<https://portal.example.org{url}>"
    client = Client(enforce_csrf_checks=True)

    # Opening the link (or a scanner following it) changes nothing.
    assert "Stop invitations" in client.get(url).content.decode()
    assert not EmailSuppression.objects.exists()
    # The mail client's one-click POST (no CSRF token) does.
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert EmailSuppression.objects.get().email == "stop@example.org"
    client.post(url)
    assert EmailSuppression.objects.count() == 1

    mail.outbox.clear()
    _make_reminders_due()
    invitations.invitations_send()
    assert mail.outbox == []
    assert InvitationEmail.objects.get(kind="reminder").failed_at is not None
    assert _round(staff_officer, member) is None


def test_a_tampered_unsubscribe_link_does_nothing(client):
    response = client.post("/members/invitations/unsubscribe/not-a-token/")
    assert response.status_code == 400
    assert not EmailSuppression.objects.exists()


# ---- One step: sign up and claim ------------------------------------------------------------


PASSWORD = "a-long pass 2026"


def _invited(staff_officer, **fields):
    fields.setdefault("contact_email", "amina@example.org")
    member = ImportedMemberFactory(**fields)
    _round(staff_officer, member)
    return member, _link(mail.outbox[-1])


def test_the_link_signs_up_and_claims_the_profile_in_one_step(staff_officer):
    member, link = _invited(staff_officer, contact_language="es")
    client = Client()
    page = client.get(link).content.decode()
    assert member.name in page and "amina@example.org" in page

    response = client.post(
        link, {"full_name": "Amina Alaoui", "password1": PASSWORD, "password2": PASSWORD}
    )

    member.refresh_from_db()
    user = User.objects.get(email="amina@example.org")
    assert response.status_code == 302 and response["Location"] == f"/members/{member.pk}/edit/"
    assert member.owner == user and member.claimed_at is not None
    assert user.preferred_language == "es" and user.check_password(PASSWORD)
    assert EmailAddress.objects.get(user=user).verified
    assert Invitation.objects.get().accepted_at is not None
    assert client.get(f"/members/{member.pk}/edit/").status_code == 200  # signed in


def test_the_link_works_once(staff_officer):
    _member, link = _invited(staff_officer)
    data = {"full_name": "Amina", "password1": PASSWORD, "password2": PASSWORD}
    Client().post(link, data)

    again = Client().post(link, {**data, "full_name": "Someone else"})

    assert again.status_code == 410
    assert "already been used" in again.content.decode()
    assert User.objects.count() == 2  # staff and Amina


def test_an_expired_link_claims_nothing(staff_officer):
    member, link = _invited(staff_officer)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    response = Client().post(
        link, {"full_name": "Late", "password1": PASSWORD, "password2": PASSWORD}
    )

    assert response.status_code == 410 and "expired" in response.content.decode()
    member.refresh_from_db()
    assert member.owner is None
    assert not User.objects.filter(email="amina@example.org").exists()


def test_a_tampered_link_claims_nothing(staff_officer):
    member, link = _invited(staff_officer)
    response = Client().post(
        link[:-3] + "xx/", {"full_name": "X", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 410
    member.refresh_from_db()
    assert member.owner is None


def test_a_weak_password_or_a_typo_writes_nothing(staff_officer):
    member, link = _invited(staff_officer)
    response = Client().post(link, {"full_name": "A", "password1": "123", "password2": "123"})
    assert response.status_code == 200 and "too short" in response.content.decode()
    response = Client().post(link, {"full_name": "A", "password1": PASSWORD, "password2": "other"})
    assert "differ" in response.content.decode()
    member.refresh_from_db()
    assert member.owner is None and not User.objects.filter(email="amina@example.org").exists()


def test_an_address_with_an_account_signs_in_then_claims(staff_officer):
    member, link = _invited(staff_officer)
    amina = UserFactory(email="amina@example.org")
    response = Client().post(
        link, {"full_name": "A", "password1": PASSWORD, "password2": PASSWORD}, follow=True
    )
    assert "sign in" in response.content.decode()
    member.refresh_from_db()
    assert member.owner is None

    client = Client()
    client.force_login(amina)
    response = client.post(link)
    member.refresh_from_db()
    assert response.status_code == 302 and member.owner == amina


def test_a_signed_in_stranger_cannot_claim_with_someone_elses_link(staff_officer, innovator):
    member, link = _invited(staff_officer)
    client = Client()
    client.force_login(UserFactory(email="stranger@example.org"))
    client.post(link)
    member.refresh_from_db()
    assert member.owner is None


# ---- Who may do what --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("visitor", 302),
        ("user_without_profile", 403),
        ("innovator", 403),
        ("core_group_member", 403),
        ("staff_officer", 200),
    ],
)
def test_only_ilo_staff_see_and_send_invitations(request, name, expected):
    member = ImportedMemberFactory()
    user = None if name == "visitor" else request.getfixturevalue(name)
    client = Client()
    if user:
        client.force_login(user)

    assert client.get("/members/invitations/").status_code == expected
    response = client.post("/members/invitations/send/", {"all": "1"})

    if name == "visitor":
        assert response["Location"].startswith("/accounts/login/")
    assert Invitation.objects.filter(member=member).exists() == (name == "staff_officer")


def test_the_accept_and_unsubscribe_pages_answer_every_persona(persona, staff_officer):
    _name, _user, client = persona
    _member, link = _invited(staff_officer, contact_email="someone@example.org")
    unsubscribe = invitations.unsubscribe_url("someone@example.org")
    assert client.get(link).status_code == 200
    assert client.get(unsubscribe).status_code == 200


def test_the_invitation_page_costs_the_same_queries_for_few_or_many_applicants(
    client_for, staff_officer
):
    client = client_for(staff_officer)
    ImportedMemberFactory.create_batch(2)
    _round(staff_officer, *Member.objects.all())
    client.get("/members/invitations/")
    with CaptureQueriesContext(connection) as few:
        client.get("/members/invitations/")
    ImportedMemberFactory.create_batch(12)
    _round(staff_officer, *Member.objects.all())
    with CaptureQueriesContext(connection) as many:
        client.get("/members/invitations/")
    assert len(many) == len(few)


def test_the_funnel_is_countable_from_timestamps(staff_officer):
    _member, link = _invited(staff_officer)
    Client().post(link, {"full_name": "Amina", "password1": PASSWORD, "password2": PASSWORD})
    imported = Member.objects.filter(imported=True)
    assert imported.count() == 1
    assert imported.filter(invitations__emails__sent_at__isnull=False).distinct().count() == 1
    assert imported.filter(claimed_at__isnull=False).count() == 1


def test_beat_sends_due_invitations_and_reminders_every_five_minutes(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["members-invitations"]
    assert entry == {"task": "members.tasks.send_invitations", "schedule": 300.0}
