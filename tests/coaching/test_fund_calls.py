"""A fund call's page names the coming sessions that prepare a submission to it (issue 10)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ..funds.factories import FundCallFactory
from .factories import CoachingSessionFactory

pytestmark = pytest.mark.django_db


def test_a_calls_page_lists_its_coming_briefings_and_no_others(visitor):
    call = FundCallFactory(title="Youth Skills Challenge")
    CoachingSessionFactory(
        title="Briefing: what reviewers look for", kind="briefing", fund_call=call
    )
    CoachingSessionFactory(title="Circle about another call", fund_call=FundCallFactory())
    CoachingSessionFactory(title="Circle about no call")
    cancelled = CoachingSessionFactory(title="Called-off briefing", fund_call=call)
    cancelled.status = "cancelled"
    cancelled.save()
    past_start = timezone.now() - datetime.timedelta(days=3)
    CoachingSessionFactory(
        title="Last month's workshop",
        fund_call=call,
        start=past_start,
        end=past_start + datetime.timedelta(hours=1),
    )

    page = visitor.get(call.get_absolute_url()).content.decode()

    assert "Coaching sessions for this call" in page
    assert "Briefing: what reviewers look for" in page
    for other in ("another call", "about no call", "Called-off", "Last month"):
        assert other not in page
    assert page.count("<h1") == 1


def test_a_call_without_sessions_shows_no_empty_section(visitor):
    call = FundCallFactory()

    assert (
        "Coaching sessions for this call"
        not in visitor.get(call.get_absolute_url()).content.decode()
    )


def test_the_calls_page_costs_the_same_queries_for_one_session_and_five(visitor):
    call = FundCallFactory()
    CoachingSessionFactory(fund_call=call)
    visitor.get(call.get_absolute_url())
    with CaptureQueriesContext(connection) as one:
        visitor.get(call.get_absolute_url())

    CoachingSessionFactory.create_batch(5, fund_call=call)
    with CaptureQueriesContext(connection) as five:
        page = visitor.get(call.get_absolute_url()).content.decode()

    assert len(five) == len(one)
    assert page.count('<li class="mb-2"><a href="/coaching/') == 5  # the next five
