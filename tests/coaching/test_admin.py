import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from coaching.models import CoachingSession, KnowledgeEntry, SessionSeries

from ..factories import MemberFactory, UserFactory
from .factories import (
    CoachingSessionFactory,
    KnowledgeEntryFactory,
    RegistrationFactory,
    SessionSeriesFactory,
)

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


def series_change_url(series):
    return reverse("admin:coaching_sessionseries_change", args=[series.pk])


def test_the_core_group_changes_only_the_series_it_hosts(
    client_for, core_group_member, staff_officer
):
    own = SessionSeriesFactory(title="My circle", hosts=[core_group_member.member])
    other = SessionSeriesFactory(title="Someone else's circle")
    client = client_for(core_group_member)

    assert 'name="_save"' in client.get(series_change_url(own)).content.decode()
    assert 'name="_save"' not in client.get(series_change_url(other)).content.decode()
    response = client.post(series_change_url(other), {"title": "Hijacked"})
    assert response.status_code == 403
    assert SessionSeries.objects.get(pk=other.pk).title == "Someone else's circle"
    assert (
        'name="_save"' in client_for(staff_officer).get(series_change_url(other)).content.decode()
    )


def test_the_core_group_creates_sessions_only_for_the_series_it_hosts(
    client_for, core_group_member, staff_officer
):
    soon = datetime.date.today() + datetime.timedelta(days=1)
    own = SessionSeriesFactory(starts_on=soon, hosts=[core_group_member.member])
    other = SessionSeriesFactory(starts_on=soon)
    changelist = reverse("admin:coaching_sessionseries_changelist")
    action = {"action": "generate_sessions", "_selected_action": [own.pk, other.pk]}

    client_for(core_group_member).post(changelist, action)

    assert own.sessions.exists()
    assert not other.sessions.exists()
    client_for(staff_officer).post(changelist, action)
    assert other.sessions.exists()


def test_a_core_group_member_who_creates_a_series_hosts_it(client_for, core_group_member):
    data = {
        "title": "Peer-coaching circle: budgets",
        "kind": "peer-circle",
        "description": "",
        "language": "en",
        "time_zone": "Europe/Zurich",
        "online_link": "",
        "place": "",
        "capacity": "12",
        "weekday": "1",
        "start_time": "14:00",
        "duration": "01:00:00",
        "interval": "2",
        "starts_on": datetime.date.today().isoformat(),
        "until": "",
        "count": "",
        "is_active": "on",
    }
    client = client_for(core_group_member)

    response = client.post(reverse("admin:coaching_sessionseries_add"), data)

    assert response.status_code == 302, response.content.decode()[:2000]
    series = SessionSeries.objects.get()
    assert list(series.hosts.all()) == [core_group_member.member]
    assert all(list(s.hosts.all()) == [core_group_member.member] for s in series.sessions.all())
    assert 'name="_save"' in client.get(series_change_url(series)).content.decode()


def knowledge_change_url(entry):
    return reverse("admin:coaching_knowledgeentry_change", args=[entry.pk])


def knowledge_form(entry, **changes):
    data = {
        "title": entry.title,
        "slug": entry.slug,
        "kind": entry.kind,
        "summary": entry.summary,
        "body": entry.body,
        "language": "en",
        "session": "",
    }
    if entry.is_public:
        data["is_public"] = "on"
    return {**data, **changes}


def test_the_core_group_cannot_make_staffs_private_entry_public_in_the_admin(
    client_for, core_group_member, staff_officer
):
    entry = KnowledgeEntryFactory(author=staff_officer, title="Scoring grid", is_public=False)
    client = client_for(core_group_member)

    assert 'name="_save"' not in client.get(knowledge_change_url(entry)).content.decode()
    response = client.post(knowledge_change_url(entry), knowledge_form(entry, is_public="on"))

    assert response.status_code == 403
    assert KnowledgeEntry.objects.get(pk=entry.pk).is_public is False


def test_in_the_admin_the_core_group_edits_its_own_entries_and_staff_every_one(
    client_for, core_group_member, staff_officer
):
    own = KnowledgeEntryFactory(author=core_group_member, is_public=False)
    staffs = KnowledgeEntryFactory(author=staff_officer, is_public=False)

    response = client_for(core_group_member).post(
        knowledge_change_url(own), knowledge_form(own, is_public="on")
    )
    assert response.status_code == 302
    assert KnowledgeEntry.objects.get(pk=own.pk).is_public is True
    response = client_for(staff_officer).post(
        knowledge_change_url(staffs), knowledge_form(staffs, is_public="on")
    )
    assert response.status_code == 302
    assert KnowledgeEntry.objects.get(pk=staffs.pk).is_public is True


def test_the_cancel_action_of_the_core_group_cancels_only_the_sessions_it_hosts(
    client_for, core_group_member, host_session, django_capture_on_commit_callbacks
):
    other = CoachingSessionFactory(title="Someone else's briefing")

    with django_capture_on_commit_callbacks(execute=True):
        client_for(core_group_member).post(
            reverse("admin:coaching_coachingsession_changelist"),
            {"action": "cancel_sessions", "_selected_action": [host_session.pk, other.pk]},
        )

    assert CoachingSession.objects.get(pk=host_session.pk).is_cancelled
    assert not CoachingSession.objects.get(pk=other.pk).is_cancelled


def session_add_form(*, hosts=()):
    start = (timezone.now() + datetime.timedelta(days=10)).replace(microsecond=0)
    end = start + datetime.timedelta(hours=1)
    return {
        "title": "Briefing before the deadline",
        "kind": "briefing",
        "description": "",
        "language": "en",
        "time_zone": "Europe/Zurich",
        "online_link": "",
        "place": "",
        "capacity": "20",
        "categories": [],
        "hosts": [host.pk for host in hosts],
        "start_0": start.date().isoformat(),
        "start_1": start.strftime("%H:%M:%S"),
        "end_0": end.date().isoformat(),
        "end_1": end.strftime("%H:%M:%S"),
        "fund_call": "",
        "notes": "",
        "resources": "",
        "registrations-TOTAL_FORMS": "0",
        "registrations-INITIAL_FORMS": "0",
        "registrations-MIN_NUM_FORMS": "0",
        "registrations-MAX_NUM_FORMS": "1000",
    }


def test_a_core_group_member_who_adds_a_session_in_the_admin_hosts_it_with_those_named(
    client_for, core_group_member
):
    colleague = MemberFactory(name="Colleague Lab")

    response = client_for(core_group_member).post(
        reverse("admin:coaching_coachingsession_add"), session_add_form(hosts=[colleague])
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    session = CoachingSession.objects.get()
    assert set(session.hosts.all()) == {colleague, core_group_member.member}


def test_staff_who_add_a_session_for_named_hosts_do_not_host_it(client_for, staff_officer):
    MemberFactory(owner=staff_officer, name="ILO Skills Branch")
    facilitator = MemberFactory(name="Facilitator Lab")

    response = client_for(staff_officer).post(
        reverse("admin:coaching_coachingsession_add"), session_add_form(hosts=[facilitator])
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(CoachingSession.objects.get().hosts.all()) == [facilitator]
