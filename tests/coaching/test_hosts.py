import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coaching.forms import SessionNotesForm
from coaching.models import CoachingSession

from ..factories import MemberFactory, UserFactory
from .factories import CoachingSessionFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def form_data(session, **changes):
    data = {
        "title": session.title,
        "kind": session.kind,
        "description": session.description,
        "categories": [c.pk for c in session.categories.all()] if session.pk else [],
        "language": session.language_id,
        "start": session.start.astimezone(session.zone).strftime("%Y-%m-%dT%H:%M"),
        "end": session.end.astimezone(session.zone).strftime("%Y-%m-%dT%H:%M"),
        "time_zone": session.time_zone,
        "online_link": session.online_link,
        "place": session.place,
        "capacity": session.capacity,
        "fund_call": "",
    }
    return {**data, **changes}


def test_a_host_moves_the_session_on_their_own_clock_and_everyone_is_told(
    client_for, core_group_member, host_session, django_capture_on_commit_callbacks
):
    holder = RegistrationFactory(session=host_session).user
    new_day = (host_session.start + datetime.timedelta(days=2)).astimezone(host_session.zone)
    start = new_day.replace(hour=16, minute=30)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(core_group_member).post(
            reverse("coaching:edit", args=[host_session.pk]),
            form_data(
                host_session,
                start=start.strftime("%Y-%m-%dT%H:%M"),
                end=start.replace(hour=18).strftime("%Y-%m-%dT%H:%M"),
            ),
            follow=True,
        )

    assert "Everyone registered is emailed" in response.content.decode()
    host_session.refresh_from_db()
    # 16:30 typed by the host means 16:30 in Geneva, whatever the host's own settings say.
    assert host_session.start.astimezone(host_session.zone).strftime("%H:%M") == "16:30"
    assert host_session.sequence == 1
    assert [message.to for message in mail.outbox] == [[holder.email]]


def test_a_session_cannot_end_before_it_starts_and_nothing_changes(
    client_for, core_group_member, host_session
):
    before = (host_session.start, host_session.end)
    local_start = host_session.start.astimezone(host_session.zone)

    response = client_for(core_group_member).post(
        reverse("coaching:edit", args=[host_session.pk]),
        form_data(host_session, end=local_start.strftime("%Y-%m-%dT%H:%M"), capacity=0),
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "A session must end after it starts." in html
    assert "Ensure this value is greater than or equal to 1." in html
    host_session.refresh_from_db()
    assert (host_session.start, host_session.end) == before


def test_an_unknown_time_zone_is_refused_with_a_clear_message(
    client_for, core_group_member, host_session
):
    response = client_for(core_group_member).post(
        reverse("coaching:edit", args=[host_session.pk]),
        form_data(host_session, time_zone="Europe/Geneva"),  # IANA spells it Europe/Zurich
    )

    assert "“Europe/Geneva” is not a known time zone." in response.content.decode()
    assert CoachingSession.objects.get(pk=host_session.pk).time_zone == "Europe/Zurich"


def test_a_core_group_member_creates_a_session_and_hosts_it(client_for, core_group_member):
    session = CoachingSessionFactory.build(title="Writing the budget section")

    response = client_for(core_group_member).post(reverse("coaching:new"), form_data(session))

    created = CoachingSession.objects.get(title="Writing the budget section")
    assert response.status_code == 302
    assert list(created.hosts.all()) == [core_group_member.member]


def test_the_attendee_list_shows_seats_and_the_waitlist(
    client_for, core_group_member, staff_officer, host_session
):
    ines = UserFactory(full_name="Ines Registered")
    MemberFactory(owner=ines, name="Dakar Skills Lab")
    RegistrationFactory(session=host_session, user=ines)
    wanda, carl = UserFactory(full_name="Wanda Waiting"), UserFactory(full_name="Carl Cancelled")
    RegistrationFactory(session=host_session, user=wanda, status="waitlisted")
    RegistrationFactory(session=host_session, user=carl, status="cancelled")
    url = reverse("coaching:attendees", args=[host_session.pk])

    html = client_for(core_group_member).get(url).content.decode()

    assert "Ines Registered" in html and "Dakar Skills Lab" in html and "Wanda Waiting" in html
    assert "Carl Cancelled" not in html
    # Login emails are private contact details: hosts do not see them, ILO staff do.
    assert ines.email not in html
    assert ines.email in client_for(staff_officer).get(url).content.decode()


def test_the_attendee_csv_is_excel_friendly_and_formula_safe(
    client_for, core_group_member, host_session
):
    RegistrationFactory(session=host_session, user=UserFactory(full_name='=HYPERLINK("x")'))
    RegistrationFactory(session=host_session, user=UserFactory(full_name="José Núñez"))
    for risky in ("+1", "-1", "@SUM(A1)", "\tTab", "\rReturn"):
        RegistrationFactory(session=host_session, user=UserFactory(full_name=risky))

    response = client_for(core_group_member).get(
        reverse("coaching:attendees_csv", args=[host_session.pk])
    )

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeffName,Organization,Country,Status,Joined at (UTC)")
    assert "José Núñez" in content
    names = [line.split(",")[0] for line in content.splitlines()[1:]]
    for name in names:
        assert not name.lstrip('"').startswith(("=", "+", "-", "@", "\t", "\r"))
    assert "'=HYPERLINK" in content and "'+1" in content and "'@SUM(A1)" in content


def _nameless_registrants(session):
    """One registrant with no name and no profile, one whose only name is on their profile."""
    nameless = UserFactory(full_name="")
    RegistrationFactory(session=session, user=nameless)
    profiled = UserFactory(full_name="")
    MemberFactory(owner=profiled, name="Lagos Makers", contact_name="Bola Contact")
    RegistrationFactory(session=session, user=profiled)
    return nameless, profiled


def test_a_host_never_sees_a_registrants_email_as_their_name(
    client_for, core_group_member, host_session
):
    nameless, _profiled = _nameless_registrants(host_session)
    client = client_for(core_group_member)

    html = client.get(reverse("coaching:attendees", args=[host_session.pk])).content.decode()
    csv = client.get(reverse("coaching:attendees_csv", args=[host_session.pk])).content.decode()

    for content in (html, csv):
        assert "@example.org" not in content
        assert f"Member #{nameless.pk}" in content
        assert "Bola Contact" in content


def test_the_admin_registrations_inline_never_shows_an_email_as_a_name(
    client_for, core_group_member
):
    other = CoachingSessionFactory(title="Someone else's briefing")
    nameless = UserFactory(email="secret.person@example.org", full_name="")
    RegistrationFactory(session=other, user=nameless)
    url = reverse("admin:coaching_coachingsession_change", args=[other.pk])

    page = client_for(core_group_member).get(url).content.decode()

    assert f"Member #{nameless.pk}" in page
    assert "secret.person" not in page


def test_the_attendee_list_queries_do_not_grow_with_nameless_registrants(
    client_for, core_group_member, host_session, django_assert_num_queries
):
    url = reverse("coaching:attendees", args=[host_session.pk])
    client = client_for(core_group_member)
    _nameless_registrants(host_session)
    with CaptureQueriesContext(connection) as two:
        client.get(url)
    for _n in range(3):
        _nameless_registrants(host_session)

    with django_assert_num_queries(len(two.captured_queries)):
        client.get(url)


def test_notes_and_resources_are_written_by_hosts_and_read_by_members_only(
    client_for, visitor, innovator, core_group_member, host_session
):
    client_for(core_group_member).post(
        reverse("coaching:notes", args=[host_session.pk]),
        {"notes": "## What we learned\n\nReviewers read the **budget** first.", "resources": ""},
    )

    member_html = client_for(innovator).get(host_session.get_absolute_url()).content.decode()
    assert "<h3>What we learned</h3>" in member_html
    assert "<strong>budget</strong>" in member_html
    assert "Reviewers read" not in visitor.get(host_session.get_absolute_url()).content.decode()


def test_a_host_cancels_after_confirming_and_the_page_says_so(
    client_for, core_group_member, host_session, django_capture_on_commit_callbacks
):
    RegistrationFactory(session=host_session)
    client = client_for(core_group_member)
    confirm = client.get(reverse("coaching:cancel", args=[host_session.pk]))
    assert "1 person registered or waitlisted will be emailed" in confirm.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("coaching:cancel", args=[host_session.pk]), follow=True)

    html = response.content.decode()
    assert "The session is cancelled" in html
    assert "This session was cancelled." in html
    assert len(mail.outbox) == 1


def test_a_finished_session_can_no_longer_be_moved(
    client_for, core_group_member, host_session, time_machine
):
    time_machine.move_to(host_session.end + datetime.timedelta(minutes=1), tick=False)

    response = client_for(core_group_member).get(
        reverse("coaching:edit", args=[host_session.pk]), follow=True
    )

    assert "can no longer be changed" in response.content.decode()


def test_saving_notes_keeps_a_cancellation_made_meanwhile(
    client_for, core_group_member, host_session, monkeypatch
):
    clean = SessionNotesForm.clean

    def cancelled_meanwhile(form):
        # Another host cancels after this request read the session and before it saves.
        CoachingSession.objects.filter(pk=host_session.pk).update(status="cancelled", sequence=1)
        return clean(form)

    monkeypatch.setattr(SessionNotesForm, "clean", cancelled_meanwhile)

    response = client_for(core_group_member).post(
        reverse("coaching:notes", args=[host_session.pk]), {"notes": "We met.", "resources": ""}
    )

    assert response.status_code == 302
    host_session.refresh_from_db()
    assert host_session.notes == "We met."
    assert (host_session.status, host_session.sequence) == ("cancelled", 1)


def test_a_time_that_does_not_exist_on_the_viewers_clock_is_read_on_the_hosts(
    client_for, core_group_member, time_machine
):
    time_machine.move_to(datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC), tick=False)
    core_group_member.time_zone = "Europe/Zurich"  # 02:30 on 29 March does not exist there
    core_group_member.save(update_fields=["time_zone"])
    session = CoachingSessionFactory.build(title="Briefing from Bogota", time_zone="America/Bogota")

    response = client_for(core_group_member).post(
        reverse("coaching:new"),
        form_data(session, start="2026-03-29T02:30", end="2026-03-29T03:30"),
    )

    assert response.status_code == 302
    created = CoachingSession.objects.get(title="Briefing from Bogota")
    assert created.start == datetime.datetime(2026, 3, 29, 7, 30, tzinfo=datetime.UTC)
    assert created.end == datetime.datetime(2026, 3, 29, 8, 30, tzinfo=datetime.UTC)


def test_a_time_the_hosts_clock_skips_is_refused_and_nothing_is_created(
    client_for, core_group_member, time_machine
):
    time_machine.move_to(datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC), tick=False)
    session = CoachingSessionFactory.build(title="Geneva circle", time_zone="Europe/Zurich")

    response = client_for(core_group_member).post(
        reverse("coaching:new"),
        form_data(session, start="2026-03-29T02:30", end="2026-03-29T03:30"),
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "This time does not exist in Europe/Zurich: the clocks change then." in html
    assert not CoachingSession.objects.filter(title="Geneva circle").exists()


def test_staff_with_a_profile_who_create_a_session_on_the_site_host_it(client_for, staff_officer):
    branch = MemberFactory(owner=staff_officer, name="ILO Skills Branch")
    session = CoachingSessionFactory.build(title="Reading the evaluation grid")

    response = client_for(staff_officer).post(reverse("coaching:new"), form_data(session))

    assert response.status_code == 302
    assert list(CoachingSession.objects.get().hosts.all()) == [branch]


def test_a_session_is_created_with_its_hosts_or_not_at_all(core_group_member, monkeypatch):
    from coaching import services

    def hosts_fail(**kwargs):
        raise RuntimeError("the hosts could not be saved")

    monkeypatch.setattr(services, "_hosts_with_creator", hosts_fail)

    with pytest.raises(RuntimeError):
        services.session_create(session=CoachingSessionFactory.build(), creator=core_group_member)

    assert not CoachingSession.objects.exists()
