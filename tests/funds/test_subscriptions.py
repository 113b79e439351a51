"""Choosing alerts at /funds/alerts/, and unsubscribing from an email without signing in."""

import pytest
from django.core import mail
from django.test import Client

from funds import services
from funds.models import FundAlert
from funds.tokens import unsubscribe_token

from .factories import FundAlertFactory, SuggestedFundCallFactory

pytestmark = pytest.mark.django_db


def test_the_alerts_form_starts_from_the_members_profile(client_for, innovator):
    form = client_for(innovator).get("/funds/alerts/").context["form"]

    assert [c.slug for c in form.initial["categories"]] == ["work-based-learning"]
    assert form.initial["regions"] == ["africa"]
    assert form.initial["frequency"] == FundAlert.Frequency.IMMEDIATE
    assert (form.initial["remind_14"], form.initial["remind_7"], form.initial["remind_1"]) == (
        False,
        True,
        True,
    )


def test_saving_alerts_stores_the_choices_and_subscribes_again(client_for, innovator):
    FundAlertFactory(user=innovator, unsubscribed_at="2026-01-01T00:00Z")
    from categories.models import Category

    response = client_for(innovator).post(
        "/funds/alerts/",
        {
            "categories": [Category.objects.get(slug="social-inclusion").pk],
            "regions": ["africa", "arab-states"],
            "frequency": "weekly",
            "remind_14": "on",
            "remind_matching": "on",
        },
        follow=True,
    )

    assert "Your fund alerts are saved." in response.content.decode()
    alert = FundAlert.objects.get(user=innovator)
    assert [c.slug for c in alert.categories.all()] == ["social-inclusion"]
    assert alert.regions == ["africa", "arab-states"]
    assert alert.frequency == "weekly"
    assert (alert.remind_14, alert.remind_7, alert.remind_1) == (True, False, False)
    assert alert.remind_matching is True
    assert alert.is_active


def test_a_bad_alert_choice_shows_an_error_and_saves_nothing(client_for, innovator):
    response = client_for(innovator).post(
        "/funds/alerts/", {"regions": ["atlantis"], "frequency": "hourly"}
    )

    assert response.status_code == 200
    assert response.content.decode().count("Select a valid choice.") == 2
    assert not FundAlert.objects.exists()


def unsubscribe_link(alert):
    return f"/funds/unsubscribe/{unsubscribe_token(alert)}/"


def test_the_link_in_an_alert_unsubscribes_logged_out_with_one_button(
    staff_officer, django_capture_on_commit_callbacks
):
    alert = FundAlertFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.fundcall_publish(
            call=SuggestedFundCallFactory(suggested_by=None), by=staff_officer
        )
    link = mail.outbox[0].extra_headers["List-Unsubscribe"].strip("<>")
    path = link.removeprefix("https://portal.example.org")
    browser = Client(enforce_csrf_checks=True)

    page = browser.get(path)
    assert page.status_code == 200
    assert page.content.decode().count(">Unsubscribe</button>") == 1
    alert.refresh_from_db()
    assert alert.is_active  # a mail scanner following the link changes nothing

    done = browser.post(path)
    assert done.status_code == 200
    assert "You are unsubscribed" in done.content.decode()
    alert.refresh_from_db()
    assert not alert.is_active


def test_a_mail_clients_one_click_post_unsubscribes_without_a_csrf_token():
    alert = FundAlertFactory()

    response = Client(enforce_csrf_checks=True).post(
        unsubscribe_link(alert),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    alert.refresh_from_db()
    assert not alert.is_active


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_tampered_unsubscribe_link_fails_clearly_and_changes_nothing(method):
    alert = FundAlertFactory()
    other = FundAlertFactory()
    token = unsubscribe_token(alert)
    forged = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    # A genuine signature cannot be moved to another person's alert either.
    swapped = unsubscribe_token(other).split(":")[0] + ":" + token.split(":", 1)[1]

    for bad in (forged, swapped, "nonsense"):
        response = getattr(Client(), method)(f"/funds/unsubscribe/{bad}/")
        assert response.status_code == 400
        assert "This unsubscribe link is not valid" in response.content.decode()

    alert.refresh_from_db()
    other.refresh_from_db()
    assert alert.is_active and other.is_active


def test_unsubscribing_twice_is_harmless():
    alert = FundAlertFactory()
    Client().post(unsubscribe_link(alert))

    response = Client().post(unsubscribe_link(alert))

    assert response.status_code == 200
    assert Client().get(unsubscribe_link(alert)).content.decode().count("already unsubscribed")
