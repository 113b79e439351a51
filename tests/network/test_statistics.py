"""/network/statistics/: who sees it, and that each table counts what it says on a known network."""

import csv
import datetime
import io

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from categories.models import Category
from coaching.models import Registration
from connections.models import Introduction
from members.invitation_models import Invitation, InvitationRound
from members.models import Member
from members.needs_models import NeedsAssessment
from network import statistics
from network.views_statistics import default_range
from tests.coaching.factories import CoachingSessionFactory, RegistrationFactory
from tests.connections.helpers import connect
from tests.factories import ImportedMemberFactory, MemberFactory, UserFactory
from tests.funds.factories import (
    FollowFactory,
    FundAlertFactory,
    PartnerRequestFactory,
    SuggestedFundCallFactory,
)

pytestmark = pytest.mark.django_db

URL = "/network/statistics/"
START, END = datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)
RANGE = f"start={START}&end={END}"


def at(day, hour=12):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=datetime.UTC)


def set_created(obj, when, **more):
    type(obj).objects.filter(pk=obj.pk).update(created_at=when, **more)


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


def table(slug, start=START, end=END):
    found = statistics.find_table(statistics.statistics_tables(start, end), slug)
    assert found is not None, slug
    return found


def rows_by_label(found):
    return {row[0]: row[1:] for row in found["rows"]}


# ---- Who sees the page ------------------------------------------------------------------------


def test_only_staff_and_the_core_group_see_the_statistics(persona):
    name, _user, client = persona
    MemberFactory(name="Secret Contacts Lab", contact_email="private.contact@example.org")
    response = client.get(URL)
    csv_response = client.get(f"/network/statistics/members-by-type.csv?{RANGE}")
    if name == "visitor":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
        assert csv_response.status_code == 302
    elif name in ("user_without_profile", "innovator"):
        assert response.status_code == 403
        assert csv_response.status_code == 403
    else:
        assert response.status_code == 200
        assert csv_response.status_code == 200
        page = response.content.decode()
        assert "<h1>" in page and 'role="img"' in page
        # Counts only: no contact (or any member's) email address for either group.
        assert "private.contact@example.org" not in page
        assert "@example.org" not in csv_response.content.decode()


def test_the_staff_tools_page_links_to_the_statistics(client_for, core_group_member):
    page = client_for(core_group_member).get("/members/staff/").content.decode()
    assert 'href="/network/statistics/"' in page


# ---- Numbers on a known network ---------------------------------------------------------------


def _known_members():
    """Four profiles by the end of the range, one created after it."""
    kenya = MemberFactory(country="KE", member_type=Member.Type.TVET, categories=["research-data"])
    senegal = MemberFactory(
        country="SN",
        member_type=Member.Type.NGO,
        categories=["research-data", "entrepreneurship"],
    )
    france = MemberFactory(
        country="FR", member_type=Member.Type.NGO, categories=["entrepreneurship"]
    )
    pending = MemberFactory(
        name="Hidden Pending Lab",
        country="FR",
        member_type=Member.Type.STARTUP,
        status=Member.Status.PENDING,
        is_public=False,
        categories=["entrepreneurship"],
    )
    later = MemberFactory(country="JP", categories=["research-data"])
    set_created(kenya, at(datetime.date(2025, 12, 20)))
    set_created(senegal, at(datetime.date(2026, 1, 5)), approved_at=at(datetime.date(2026, 1, 6)))
    set_created(france, at(datetime.date(2026, 3, 31), 23))
    set_created(pending, at(datetime.date(2026, 2, 10)))
    set_created(later, at(datetime.date(2026, 4, 1), 0))
    return kenya, senegal, france, pending


def test_members_by_category_region_type_and_country():
    _known_members()

    matrix = rows_by_label(table("members-by-category-region"))
    # Columns: Africa, Americas, Arab States, Asia and the Pacific, Europe and Central Asia, all.
    research = Category.objects.get(slug="research-data").display_name
    entrepreneurship = Category.objects.get(slug="entrepreneurship").display_name
    assert matrix[research] == [2, 0, 0, 0, 0, 2]
    assert matrix[entrepreneurship] == [1, 0, 0, 0, 2, 3]
    assert matrix["All members"] == [2, 0, 0, 0, 2, 4]

    by_type = rows_by_label(table("members-by-type"))
    assert by_type["NGO"] == [2]
    assert by_type["TVET institution"] == [1]
    assert by_type["Start-up or social enterprise"] == [1]
    assert by_type["Government agency"] == [0]

    by_country = table("members-by-country")
    assert by_country["rows"][0] == ["France", "FR", 2]
    assert sorted(row[1] for row in by_country["rows"]) == ["FR", "KE", "SN"]


def test_a_profile_awaiting_approval_counts_alike_in_every_member_table(client_for):
    _kenya, _senegal, _france, pending = _known_members()
    matrix = rows_by_label(table("members-by-category-region"))
    total = matrix["All members"][-1]
    assert total == 4  # the pending profile is one of them
    assert sum(row[1] for row in table("members-by-type")["rows"]) == total
    assert sum(row[2] for row in table("members-by-country")["rows"]) == total
    assert sum(table("growth-per-month")["rows"][month][1] for month in range(3)) == 3
    # Counted, never named: the page shows counts, not profiles.
    staff = UserFactory(groups=["ILO staff"])
    page = client_for(staff).get(f"{URL}?{RANGE}").content.decode()
    assert pending.name not in page


def test_growth_per_month_counts_created_claimed_and_approved():
    kenya, _senegal, _france, _pending = _known_members()
    Member.objects.filter(pk=kenya.pk).update(claimed_at=at(datetime.date(2026, 2, 1)))
    growth = rows_by_label(table("growth-per-month"))
    assert growth == {"2026-01": [1, 0, 1], "2026-02": [1, 1, 0], "2026-03": [1, 0, 0]}
    # From the 6th of January: Senegal was created on the 5th (not counted), approved the 6th.
    from_sixth = rows_by_label(table("growth-per-month", start=datetime.date(2026, 1, 6)))
    assert from_sixth["2026-01"] == [0, 0, 1]


def test_the_applicants_funnel():
    staff = UserFactory()
    invitations = InvitationRound.objects.create(created_by=staff)
    complete = {
        "project_title": "T",
        "project_summary": "S",
        "project_objectives": "O",
        "project_stage": "pilot",
        "beneficiaries": "B",
        "impact": "I",
        "expertise": "E",
        "website": "https://lab.example.org",
    }
    applicants = [ImportedMemberFactory(**complete, languages=["en"]) for _index in range(5)]
    Member.objects.update(created_at=at(datetime.date(2026, 1, 10)))
    late = ImportedMemberFactory()  # imported after the range: not in the funnel
    set_created(late, at(datetime.date(2026, 5, 1)))
    for member in applicants[:3]:
        Invitation.objects.create(
            round=invitations,
            member=member,
            email="a@example.org",
            created_at=at(datetime.date(2026, 2, 1)),
        )
    for member in applicants[:2]:
        Member.objects.filter(pk=member.pk).update(
            owner=UserFactory(), claimed_at=at(datetime.date(2026, 2, 1))
        )
    Member.objects.filter(pk=applicants[1].pk).update(impact="")  # claimed, not completed
    NeedsAssessment.objects.create(member=applicants[0], answered_at=at(datetime.date(2026, 2, 2)))
    NeedsAssessment.objects.create(member=applicants[2])  # put off, never answered
    MemberFactory()  # signed up, not imported

    funnel = rows_by_label(table("applicants-funnel", end=datetime.date(2026, 4, 30)))
    assert [counts[0] for counts in funnel.values()] == [5, 3, 2, 1, 1]
    assert funnel["Claimed their profile"] == [2, 40]


def test_connections_per_month_and_share_of_connected_members():
    members = [MemberFactory() for _index in range(4)]
    connect(members[0].owner, members[1])
    connect(members[2].owner, members[1])
    Introduction.objects.filter(recipient=members[1], sender=members[0]).update(
        accepted_at=at(datetime.date(2026, 1, 15))
    )
    Introduction.objects.filter(recipient=members[1], sender=members[2]).update(
        accepted_at=at(datetime.date(2026, 3, 15))
    )
    for member in members:
        set_created(member, at(datetime.date(2025, 6, 1)))

    found = table("connections-per-month")
    assert rows_by_label(found) == {"2026-01": [1], "2026-02": [0], "2026-03": [1]}
    assert found["connected"] == 3
    assert "3 of 4 members (75 %)" in found["summary"]


def test_fund_activity_per_month():
    follow = FollowFactory()
    alert = FundAlertFactory()
    suggestion = SuggestedFundCallFactory()
    partner_request = PartnerRequestFactory()
    set_created(follow, at(datetime.date(2026, 1, 3)))
    set_created(alert, at(datetime.date(2026, 2, 3)))
    set_created(suggestion, at(datetime.date(2026, 2, 4)))
    set_created(partner_request, at(datetime.date(2026, 3, 5)))
    set_created(partner_request.call, at(datetime.date(2026, 3, 5)))  # curated: not a suggestion
    set_created(follow.call, at(datetime.date(2025, 3, 5)))

    assert rows_by_label(table("fund-activity")) == {
        "2026-01": [1, 0, 0, 0],
        "2026-02": [0, 1, 1, 0],
        "2026-03": [0, 0, 0, 1],
    }


def test_coaching_registrations_attendance_and_waitlist_per_category():
    inside = CoachingSessionFactory(
        start=at(datetime.date(2026, 2, 1)), categories=["research-data", "entrepreneurship"]
    )
    RegistrationFactory(session=inside, attended=True)
    RegistrationFactory(session=inside)
    RegistrationFactory(session=inside, status=Registration.Status.WAITLISTED)
    RegistrationFactory(session=inside, status=Registration.Status.CANCELLED)
    outside = CoachingSessionFactory(
        start=at(datetime.date(2026, 5, 1)), categories=["research-data"]
    )
    RegistrationFactory(session=outside)

    rows = rows_by_label(table("coaching"))
    research = Category.objects.get(slug="research-data").display_name
    assert rows[research] == [1, 2, 1, 1]
    assert rows["All sessions"] == [1, 2, 1, 1]


def test_the_needs_report_tables_are_on_the_page():
    sections = statistics.statistics_tables(START, END)
    slugs = [found["slug"] for _heading, tables in sections for found in tables]
    assert {"needs-matrix", "needs-topics", "needs-times"} <= set(slugs)


# ---- CSV, the date range, queries -------------------------------------------------------------


def test_csv_download_defuses_formulas(client_for, staff_officer):
    category = Category.objects.get(slug="research-data")
    Category.objects.filter(pk=category.pk).update(name='=HYPERLINK("http://evil")')
    MemberFactory(categories=["research-data"])
    response = client_for(staff_officer).get(
        f"/network/statistics/members-by-category-region.csv?start=2020-01-01&end={timezone.now().date()}"
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0][0] == "Category"
    assert any(row[0] == '\'=HYPERLINK("http://evil")' and row[-1] == "1" for row in rows)


def test_an_unknown_table_is_not_found(client_for, staff_officer):
    response = client_for(staff_officer).get(f"/network/statistics/nothing.csv?{RANGE}")
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("start=2026-03-01&end=2026-01-01", "The start date must be on or before the end date."),
        ("start=2019-12-31&end=2026-01-01", "The start date cannot be before 2020-01-01."),
        ("start=yesterday&end=2026-01-01", "Enter a valid date."),
    ],
)
def test_a_bad_range_shows_the_error_and_no_figures(client_for, staff_officer, query, message):
    client = client_for(staff_officer)
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert 'role="img"' not in page
    assert client.get(f"/network/statistics/members-by-type.csv?{query}").status_code == 400


def test_the_default_range_is_the_last_twelve_months(client_for, staff_officer):
    start, end = default_range(datetime.date(2026, 12, 5))
    assert (start, end) == (datetime.date(2026, 1, 1), datetime.date(2026, 12, 5))
    page = client_for(staff_officer).get(URL).content.decode()
    today = timezone.now().date()
    assert f'value="{today.isoformat()}"' in page
    assert f'value="{default_range()[0].isoformat()}"' in page


def test_a_one_day_range_shows_its_one_month(client_for, staff_officer):
    response = client_for(staff_officer).get(f"{URL}?start=2026-02-10&end=2026-02-10")
    assert response.status_code == 200
    assert "2026-02" in response.content.decode()
    assert rows_by_label(table("growth-per-month", START, START)) == {"2026-01": [0, 0, 0]}


def _count_queries():
    with CaptureQueriesContext(connection) as captured:
        statistics.statistics_tables(START, END)
    return len(captured.captured_queries)


def test_the_number_of_queries_does_not_grow_with_the_network():
    _known_members()
    small = _count_queries()
    for index in range(6):
        member = MemberFactory(
            categories=["social-inclusion"], country=["BR", "IN", "EG"][index % 3]
        )
        set_created(member, at(datetime.date(2026, 2, 1 + index)))
        session = CoachingSessionFactory(
            start=at(datetime.date(2026, 2, 1)), categories=["social-inclusion"]
        )
        RegistrationFactory(session=session)
        FollowFactory()
    connect(MemberFactory().owner, member)
    assert _count_queries() == small


def test_the_page_is_computed_once_then_read_from_the_cache(
    client_for, staff_officer, django_assert_max_num_queries, monkeypatch
):
    client = client_for(staff_officer)
    _known_members()
    cold = client.get(f"{URL}?{RANGE}").content.decode()

    def not_again(*args):
        raise AssertionError("computed again")

    monkeypatch.setattr(statistics, "statistics_tables", not_again)
    # Warm: the session, the user and their permissions, nothing of the figures.
    with django_assert_max_num_queries(6):
        warm = client.get(f"{URL}?{RANGE}").content.decode()
    assert warm.count('role="img"') == cold.count('role="img"') > 5


def test_the_beat_keeps_the_default_range_computed_in_every_language(
    client_for, staff_officer, django_assert_max_num_queries
):
    from django.conf import settings as django_settings

    from network import tasks

    assert django_settings.CELERY_BEAT_SCHEDULE["network-statistics"]["schedule"] < (
        statistics.TIMEOUT
    )
    start, end = default_range()
    for language, _name in django_settings.LANGUAGES:
        with translation.override(language):
            cache.delete(statistics.cache_key(start, end))

    client = client_for(staff_officer)
    tasks.refresh_statistics()

    # The page then computes nothing: the session, the user, their permissions and profile.
    with django_assert_max_num_queries(6):
        response = client.get("/network/statistics/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
