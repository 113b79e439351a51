"""Amounts in the reader's language: French and Spanish group thousands their own way."""

from decimal import Decimal

import pytest
from django.utils import translation

from tests.funds.factories import FundCallFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "label"),
    [
        ("en", "USD 10,000 to 100,000"),
        ("fr", "de 10\xa0000 à 100\xa0000 USD"),
        ("es", "USD 10\xa0000 a 100\xa0000"),
    ],
)
def test_amounts_follow_the_readers_number_format(language, label):
    call = FundCallFactory(amount_min=10000, amount_max=100000, currency="USD")

    with translation.override(language):
        assert call.amount_label == label


def test_amounts_with_cents_keep_them_in_french():
    call = FundCallFactory(amount_min=Decimal("2500.50"), amount_max=None, currency="EUR")

    with translation.override("fr"):
        assert call.amount_label == "à partir de 2\xa0500,50 EUR"


def test_a_french_visitor_reads_a_french_amount_on_the_call_page(visitor):
    call = FundCallFactory(amount_min=10000, amount_max=10000, currency="CHF")
    visitor.cookies["django_language"] = "fr"

    content = visitor.get(call.get_absolute_url()).content.decode()

    assert "CHF 10\xa0000" in content
    assert "10,000" not in content
