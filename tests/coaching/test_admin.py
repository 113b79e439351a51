import datetime

import pytest
from django.core import mail
from django.urls import reverse

from coaching.models import CoachingSession

from ..factories import UserFactory
from .factories import CoachingSessionFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def change_url(session):
    return reverse("admin:coaching_coachingsession_change", args=[session.pk])


def test_staff_see_a_session_with_its_registrations_inline(client_for, staff_officer, host_session):
    RegistrationFactory(session=host_session, user=UserFactory(full_name="Ines Inline"))

    response = client_for(staff_officer).get(change_url(host_session))

    assert response.status_code == 200
    assert "Ines Inline" in response.content.decode()


def test_the_core_group_changes_only_the_sessions_it_hosts(
    client_for, core_group_member, host_session
):
    other = CoachingSessionFactory(title="Someone else's briefing")
    client = client_for(core_group_member)

    assert client.get(reverse("admin:coaching_coachingsession_changelist")).status_code == 200
    own_page = client.get(change_url(host_session)).content.decode()
    other_page = client.get(change_url(other)).content.decode()
    assert 'name="_save"' in own_page
    assert 'name="_save"' not in other_page  # view only
    response = client.post(change_url(other), {"title": "Hijacked"})
    assert response.status_code == 403
    assert CoachingSession.objects.get(pk=other.pk).title == "Someone else's briefing"


def test_moving_a_session_in_the_admin_raises_its_sequence_and_tells_people(
    client_for, staff_officer, host_session, django_capture_on_commit_callbacks
):
    RegistrationFactory(session=host_session)
    later = host_session.start + datetime.timedelta(hours=3)
    data = {
        "title": host_session.title,
        "kind": host_session.kind,
        "description": host_session.description,
        "language": "en",
        "time_zone": host_session.time_zone,
        "online_link": host_session.online_link,
        "place": "",
        "capacity": host_session.capacity,
        "categories": [c.pk for c in host_session.categories.all()],
        "hosts": [h.pk for h in host_session.hosts.all()],
        "start_0": later.date().isoformat(),
        "start_1": later.strftime("%H:%M:%S"),
        "end_0": (later + datetime.timedelta(hours=1)).date().isoformat(),
        "end_1": (later + datetime.timedelta(hours=1)).strftime("%H:%M:%S"),
        "fund_call": "",
        "notes": "",
        "resources": "",
        "registrations-TOTAL_FORMS": "1",
        "registrations-INITIAL_FORMS": "1",
        "registrations-MIN_NUM_FORMS": "0",
        "registrations-MAX_NUM_FORMS": "1000",
        "registrations-0-id": host_session.registrations.get().pk,
        "registrations-0-session": host_session.pk,
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(staff_officer).post(change_url(host_session), data)

    assert response.status_code == 302, response.content.decode()[:3000]
    host_session.refresh_from_db()
    assert host_session.start == later
    assert host_session.sequence == 1
    assert len(mail.outbox) == 1


def test_the_cancel_action_cancels_and_emails(
    client_for, staff_officer, host_session, django_capture_on_commit_callbacks
):
    RegistrationFactory(session=host_session)

    with django_capture_on_commit_callbacks(execute=True):
        client_for(staff_officer).post(
            reverse("admin:coaching_coachingsession_changelist"),
            {"action": "cancel_sessions", "_selected_action": [host_session.pk]},
        )

    host_session.refresh_from_db()
    assert host_session.is_cancelled
    assert [m.subject for m in mail.outbox] == ["Cancelled: Budgeting circle"]


def test_staff_and_the_core_group_curate_knowledge_entries_in_the_admin(
    client_for, staff_officer, core_group_member
):
    for user in (staff_officer, core_group_member):
        response = client_for(user).get(reverse("admin:coaching_knowledgeentry_add"))
        assert response.status_code == 200
