"""ISO 3166-1 alpha-2 country codes, and the EU member states for VAT purposes.

Codes only (no names): the project has no country-name library and the admin shows the
code. Source: ISO 3166 Maintenance Agency, officially assigned alpha-2 codes (249).
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ISO_3166_ALPHA2 = frozenset(
    re.findall(
        r"[A-Z]{2}",
        """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ
    BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ
    CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ
    DE DJ DK DM DO DZ
    EC EE EG EH ER ES ET
    FI FJ FK FM FO FR
    GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY
    HK HM HN HR HT HU
    ID IE IL IM IN IO IQ IR IS IT
    JE JM JO JP
    KE KG KH KI KM KN KP KR KW KY KZ
    LA LB LC LI LK LR LS LT LU LV LY
    MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ
    NA NC NE NF NG NI NL NO NP NR NU NZ
    OM
    PA PE PF PG PH PK PL PM PN PR PS PT PW PY
    QA
    RE RO RS RU RW
    SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ
    TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ
    UA UG UM US UY UZ
    VA VC VE VG VI VN VU
    WF WS
    YE YT
    ZA ZM ZW
    """,
    )
)

# The 27 member states (directive 2006/112/EC art. 5). Northern Ireland's "XI" VAT numbers
# are left out: a client there is registered in GB, outside the EU for this app.
EU_MEMBER_STATES = frozenset(
    re.findall(
        r"[A-Z]{2}",
        "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK",
    )
)

# VIES prefixes differ from ISO codes for Greece only (EL, not GR).
VAT_PREFIX_EXCEPTIONS = {"GR": "EL"}

FRANCE = "FR"


def vat_prefix(country: str) -> str:
    """The prefix a VAT number of a company registered in `country` starts with."""
    return VAT_PREFIX_EXCEPTIONS.get(country, country)


def is_eu(country: str) -> bool:
    return country in EU_MEMBER_STATES


def validate_country_code(value: str) -> None:
    if value not in ISO_3166_ALPHA2:
        raise ValidationError(
            _("“%(value)s” is not an ISO 3166 two-letter country code (e.g. FR, DE, CH)."),
            code="invalid_country",
            params={"value": value},
        )
