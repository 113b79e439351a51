import pytest
from django_countries import countries
from django_countries.fields import Country

from members.regions import _COUNTRY_REGIONS, Region, region_for_country


@pytest.mark.parametrize(
    ("code", "region"),
    [
        ("EG", Region.AFRICA),
        ("MA", Region.AFRICA),
        ("JO", Region.ARAB_STATES),
        ("QA", Region.ARAB_STATES),
        ("KZ", Region.EUROPE_CENTRAL_ASIA),
        ("TR", Region.EUROPE_CENTRAL_ASIA),
        ("JM", Region.AMERICAS),
        ("FJ", Region.ASIA_PACIFIC),
    ],
)
def test_region_for_country(code, region):
    assert region_for_country(code) == region


def test_region_value_is_plain_string():
    assert region_for_country("EG") == "africa"
    assert region_for_country("PS") == "arab-states"


def test_accepts_lowercase_and_country_objects():
    assert region_for_country(" eg ") == Region.AFRICA
    assert region_for_country(Country("QA")) == Region.ARAB_STATES


def test_arab_states_are_exactly_the_ilo_list():
    arab_states = {
        code for code, region in _COUNTRY_REGIONS.items() if region == Region.ARAB_STATES
    }
    assert arab_states == {"AE", "BH", "IQ", "JO", "KW", "LB", "OM", "PS", "QA", "SA", "SY", "YE"}


def test_every_django_countries_code_maps_to_a_region():
    valid = set(Region.values)
    unmapped = []
    for code, _name in countries:
        try:
            region = region_for_country(code)
        except ValueError:
            unmapped.append(code)
        else:
            assert region in valid, code
    assert unmapped == []


@pytest.mark.parametrize("code", ["ZZ", "XK", "", "EGY"])
def test_unknown_code_raises(code):
    with pytest.raises(ValueError, match="Unknown ISO 3166-1 alpha-2 country code"):
        region_for_country(code)
