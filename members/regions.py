"""The five ILO regions and the one mapping from country to region.

The portal groups members by the ILO's own regions, not by continent or the UN M49 geoscheme:
North Africa (Egypt, Morocco, Tunisia, Algeria, Libya, Sudan) belongs to Africa, "Arab States"
covers only the Middle East (Gulf, Levant, Iraq, Yemen and Palestine), and Türkiye, Israel,
Cyprus, the Caucasus and Central Asia belong to Europe and Central Asia. Every code path that
needs a member's region must call ``region_for_country`` so there is only one answer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_countries.fields import Country


class Region(models.TextChoices):
    AFRICA = "africa", _("Africa")
    AMERICAS = "americas", _("Americas")
    ARAB_STATES = "arab-states", _("Arab States")
    ASIA_PACIFIC = "asia-pacific", _("Asia and the Pacific")
    EUROPE_CENTRAL_ASIA = "europe-central-asia", _("Europe and Central Asia")


# ISO 3166-1 alpha-2 codes, alphabetical within each region. Together they cover every code
# django-countries knows (the tests check this); Kosovo (XK) is not ISO and is left out.
_AFRICA = """
    AO BF BI BJ BW CD CF CG CI CM CV DJ DZ EG EH ER ET GA GH GM GN GQ GW KE KM LR LS LY MA
    MG ML MR MU MW MZ NA NE NG RE RW SC SD SH SL SN SO SS ST SZ TD TG TN TZ UG YT ZA ZM ZW
"""
_AMERICAS = """
    AG AI AR AW BB BL BM BO BQ BR BS BZ CA CL CO CR CU CW DM DO EC FK GD GF GP GT GY HN HT
    JM KN KY LC MF MQ MS MX NI PA PE PM PR PY SR SV SX TC TT US UY VC VE VG VI
"""
_ARAB_STATES = """
    AE BH IQ JO KW LB OM PS QA SA SY YE
"""
# Uninhabited Antarctic and sub-Antarctic territories (AQ BV GS HM TF) have no ILO office;
# they are kept together with Antarctica under Asia and the Pacific.
_ASIA_PACIFIC = """
    AF AQ AS AU BD BN BT BV CC CK CN CX FJ FM GS GU HK HM ID IN IO IR JP KH KI KP KR LA LK
    MH MM MN MO MP MV MY NC NF NP NR NU NZ PF PG PH PK PN PW SB SG TF TH TK TL TO TV TW UM
    VN VU WF WS
"""
_EUROPE_CENTRAL_ASIA = """
    AD AL AM AT AX AZ BA BE BG BY CH CY CZ DE DK EE ES FI FO FR GB GE GG GI GL GR HR HU IE
    IL IM IS IT JE KG KZ LI LT LU LV MC MD ME MK MT NL NO PL PT RO RS RU SE SI SJ SK SM TJ
    TM TR UA UZ VA
"""

_COUNTRY_REGIONS: dict[str, Region] = {
    code: region
    for region, codes in (
        (Region.AFRICA, _AFRICA),
        (Region.AMERICAS, _AMERICAS),
        (Region.ARAB_STATES, _ARAB_STATES),
        (Region.ASIA_PACIFIC, _ASIA_PACIFIC),
        (Region.EUROPE_CENTRAL_ASIA, _EUROPE_CENTRAL_ASIA),
    )
    for code in codes.split()
}


def region_for_country(code: str | Country) -> Region:
    """Return the ILO region of an ISO 3166-1 alpha-2 country code.

    Accepts a code string (any case, surrounding spaces ignored) or a django-countries
    ``Country``. The result is a ``Region`` member, which is a ``str`` equal to its value
    (e.g. ``"africa"``). Raises ``ValueError`` for an empty or unknown code.
    """
    raw = code if isinstance(code, str) else getattr(code, "code", code)
    key = str(raw or "").strip().upper()
    try:
        return _COUNTRY_REGIONS[key]
    except KeyError:
        raise ValueError(f"Unknown ISO 3166-1 alpha-2 country code: {raw!r}") from None
