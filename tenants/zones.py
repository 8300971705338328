"""Indonesia's three time zones, once: their IANA names, the abbreviations everyone uses
(in both languages), the label a form shows and the offset from UTC.

Indonesia keeps no daylight saving time, so the offset of each zone is fixed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Zone:
    name: str          # IANA name, stored on the tenant
    abbreviation: str  # WIB / WITA / WIT
    offset_hours: int  # from UTC

    @property
    def label(self) -> str:
        """"WIB (Asia/Jakarta)": the same in every language."""
        return f"{self.abbreviation} ({self.name})"


WIB = Zone("Asia/Jakarta", "WIB", 7)
WITA = Zone("Asia/Makassar", "WITA", 8)
WIT = Zone("Asia/Jayapura", "WIT", 9)
ZONES = (WIB, WITA, WIT)

BY_NAME = {z.name: z for z in ZONES}
BY_OFFSET = {z.offset_hours: z for z in ZONES}
NAMES = tuple(BY_NAME)

# Provinces by the first two digits of their Kemendagri code; every other province is WIB.
WITA_PROVINCES = frozenset({"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75",
                            "76"})
WIT_PROVINCES = frozenset({"81", "82", "91", "92", "93", "94", "95", "96"})


def for_province(code: str) -> Zone:
    if code in WIT_PROVINCES:
        return WIT
    if code in WITA_PROVINCES:
        return WITA
    return WIB


def abbreviation(name: str) -> str:
    """"WITA" for "Asia/Makassar"; any other zone keeps its IANA name."""
    zone = BY_NAME.get(name)
    return zone.abbreviation if zone else name


def today_in(name: str) -> date:
    """Today's date where the clock reads `name`'s time (a tenant's deadlines turn there)."""
    return datetime.now(ZoneInfo(name)).date()
