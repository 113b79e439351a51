"""Numbers as the reader's language writes them: "10,000" in English, "10 000" in French."""

from decimal import Decimal

from django.utils.formats import number_format


def amount_number(value):
    """An amount in the active language, grouped by thousands; cents only when it has some."""
    value = Decimal(value)
    decimals = 0 if value == value.to_integral_value() else 2
    return number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)
