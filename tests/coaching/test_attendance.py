"""Hosts mark attendance after a session; a series gives a certificate after enough sessions."""

import datetime
import io

import pypdf
import pytest
from django.urls import reverse
from django.utils import timezone

from categories.models import Category
from coaching import attendance
from coaching.models import Registration
from members.models import CoreGroupRole, IssuedDocument

from ..factories import CoreGroupRoleFactory, MemberFactory, UserFactory
from .factories import CoachingSessionFactory, RegistrationFactory, SessionSeriesFactory

pytestmark = pytest.mark.django_db


def pdf_text(content):
    reader = pypdf.PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def started(session):
    session.start = timezone.now() - datetime.timedelta(minutes=30)
    session.end = session.start + datetime.timedelta(hours=1)
    session.save()
    return session


@pytest.fixture
def started_session(host_session, innovator):
    RegistrationFactory(session=host_session, user=innovator)
    return started(host_session)


# ---- Marking attendance ----------------------------------------------------------------------


def test_the_host_ticks_who_attended_after_the_session_started(
    client_for, core_group_member, started_session, innovator
):
    absent = RegistrationFactory(session=started_session, user=UserFactory(full_name="Absent Al"))
    present = Registration.objects.get(session=started_session, user=innovator)
    client = client_for(core_group_member)
    url = reverse("coaching:attendance", args=[started_session.pk])

    page = client.get(url).content.decode()
    response = client.post(url, {"attended": [present.pk]})

    assert "Ines Innovator (Ines Skills Lab)" in page and "Absent Al" in page
    assert response.status_code == 302
    present.refresh_from_db()
    absent.refresh_from_db()
    assert present.attended and not absent.attended
    # Unticking later corrects the record.
    client.post(url, {})
    present.refresh_from_db()
    assert not present.attended


def test_attendance_waits_until_the_session_starts(client_for, core_group_member, host_session):
    registration = RegistrationFactory(session=host_session)
    url = reverse("coaching:attendance", args=[host_session.pk])

    response = client_for(core_group_member).post(url, {"attended": [registration.pk]})

    assert response.status_code == 302 and response["Location"] == host_session.get_absolute_url()
    registration.refresh_from_db()
    assert not registration.attended
    detail = client_for(core_group_member).get(host_session.get_absolute_url()).content.decode()
    assert url not in detail


def test_a_registration_of_another_session_cannot_be_ticked(
    client_for, core_group_member, started_session
):
    elsewhere = RegistrationFactory()
    url = reverse("coaching:attendance", args=[started_session.pk])

    response = client_for(core_group_member).post(url, {"attended": [elsewhere.pk]})

    assert response.status_code == 200  # the form shows the error
    elsewhere.refresh_from_db()
    assert not elsewhere.attended


HOST_AND_STAFF = {
    "visitor": 302,
    "user_without_profile": 403,
    "innovator": 403,  # registered, not hosting
    "core_group_member": 200,  # the host
    "staff_officer": 200,  # manages every session
}


def test_who_may_mark_attendance(persona, started_session):
    persona_name, _user, client = persona
    registration = Registration.objects.get(session=started_session)
    url = reverse("coaching:attendance", args=[started_session.pk])

    page = client.get(url)
    client.post(url, {"attended": [registration.pk]})

    assert page.status_code == HOST_AND_STAFF[persona_name]
    registration.refresh_from_db()
    assert registration.attended is (HOST_AND_STAFF[persona_name] == 200)


def test_a_sig_lead_of_another_category_who_does_not_host_cannot_mark_attendance(
    client_for, started_session
):
    lead = UserFactory()
    member = MemberFactory(owner=lead, categories=["career-guidance"])
    CoreGroupRoleFactory(
        member=member,
        role=CoreGroupRole.Role.SIG_LEAD,
        category=Category.objects.get(slug="career-guidance"),
    )

    url = reverse("coaching:attendance", args=[started_session.pk])

    assert client_for(lead).get(url).status_code == 403


# ---- Certificates of participation -----------------------------------------------------------


@pytest.fixture
def series(core_group_member):
    return SessionSeriesFactory(
        title="Budgeting circle", certificate_after=2, hosts=[core_group_member.member]
    )


def attend(user, series, times):
    for week in range(times):
        session = CoachingSessionFactory(
            series=series,
            start=timezone.now() - datetime.timedelta(days=14 * (week + 1)),
            end=timezone.now() - datetime.timedelta(days=14 * (week + 1), hours=-1),
        )
        RegistrationFactory(session=session, user=user, attended=True)


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_a_member_who_attended_enough_sessions_downloads_a_certificate(
    client_for, innovator, series, language
):
    innovator.preferred_language = language
    innovator.save()
    attend(innovator, series, 2)
    client = client_for(innovator)

    page = client.get(reverse("coaching:certificates")).content.decode()
    response = client.post(reverse("coaching:certificate", args=[series.pk]), follow=True)

    assert reverse("coaching:certificate", args=[series.pk]) in page
    assert response["Content-Type"] == "application/pdf"
    document = IssuedDocument.objects.get()
    assert document.kind == IssuedDocument.Kind.CERTIFICATE and document.language == language
    text = pdf_text(response.content)
    assert "Ines Innovator" in text
    assert "Budgeting circle" in text
    assert "Carlos Apprenticeship Hub" in text  # the host
    assert document.verification_url in text
    # Its verification page, for anyone.
    html = client_for(None).get(document.get_absolute_url()).content.decode()
    assert "Budgeting circle" in html and "Valid" in html


def test_asking_twice_gives_the_same_certificate(innovator, series):
    attend(innovator, series, 3)

    first = attendance.certificate_issue(user=innovator, series=series)
    second = attendance.certificate_issue(user=innovator, series=series)

    assert first == second
    assert IssuedDocument.objects.count() == 1


def test_too_few_sessions_give_no_certificate(client_for, innovator, series):
    attend(innovator, series, 1)
    client = client_for(innovator)

    page = client.get(reverse("coaching:certificates")).content.decode()
    response = client.post(reverse("coaching:certificate", args=[series.pk]), follow=True)

    assert "You attended 1 sessions; the certificate needs 2." in page
    assert reverse("coaching:certificate", args=[series.pk]) not in page
    assert "A certificate needs 2 sessions attended" in response.content.decode()
    assert not IssuedDocument.objects.exists()


def test_registered_but_absent_sessions_do_not_count(innovator, series):
    attend(innovator, series, 1)
    session = CoachingSessionFactory(series=series)
    RegistrationFactory(session=session, user=innovator, attended=False)

    with pytest.raises(Exception, match="you attended 1"):
        attendance.certificate_issue(user=innovator, series=series)


def test_a_revoked_certificate_can_be_issued_anew(innovator, series, staff_officer):
    from members.letters import document_revoke

    attend(innovator, series, 2)
    first = attendance.certificate_issue(user=innovator, series=series)
    document_revoke(document=first, by=staff_officer, reason="Issued in error")

    second = attendance.certificate_issue(user=innovator, series=series)

    assert second != first and not second.is_revoked


def test_the_certificates_page_costs_the_same_queries_for_one_or_many_series(
    client_for, innovator, core_group_member, django_assert_max_num_queries
):
    client = client_for(innovator)
    first = SessionSeriesFactory(title="Circle 0", certificate_after=1)
    attend(innovator, first, 1)
    attendance.certificate_issue(user=innovator, series=first)
    with django_assert_max_num_queries(20) as one:
        client.get(reverse("coaching:certificates"))
    for number in range(1, 5):
        other = SessionSeriesFactory(title=f"Circle {number}", certificate_after=1)
        attend(innovator, other, 1)
        attendance.certificate_issue(user=innovator, series=other)
    with django_assert_max_num_queries(20) as many:
        page = client.get(reverse("coaching:certificates")).content.decode()

    assert page.count("Download my certificate") == 5
    assert len(many.captured_queries) == len(one.captured_queries)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("coaching:certificates", {"visitor": 302}),
    ],
)
def test_who_may_see_certificates(persona, name, expected):
    persona_name, _user, client = persona

    assert client.get(reverse(name)).status_code == expected.get(persona_name, 200)


def test_who_may_ask_for_a_certificate(persona, series):
    _name, user, client = persona
    if user is not None:
        attend(user, series, 2)

    response = client.post(reverse("coaching:certificate", args=[series.pk]))

    assert response.status_code == 302
    if user is None:
        assert response["Location"].startswith(reverse("account_login"))
        assert not IssuedDocument.objects.exists()
    else:
        # Each person gets their own certificate, for the sessions they attended.
        assert IssuedDocument.objects.get().holder == user


def test_the_attendees_page_shows_who_attended_once_the_session_started(
    client_for, core_group_member, started_session
):
    Registration.objects.filter(session=started_session).update(attended=True)

    html = client_for(core_group_member).get(
        reverse("coaching:attendees", args=[started_session.pk])
    )

    assert '<th scope="col">Attended</th>' in html.content.decode()
    assert reverse("coaching:attendance", args=[started_session.pk]) in html.content.decode()


def test_a_sig_lead_of_another_category_gets_only_their_own_certificate(client_for, series):
    lead = UserFactory()
    member = MemberFactory(owner=lead, categories=["career-guidance"])
    CoreGroupRoleFactory(
        member=member,
        role=CoreGroupRole.Role.SIG_LEAD,
        category=Category.objects.get(slug="career-guidance"),
    )
    client = client_for(lead)

    assert client.get(reverse("coaching:certificates")).status_code == 200
    client.post(reverse("coaching:certificate", args=[series.pk]))

    assert not IssuedDocument.objects.exists()  # attended nothing
