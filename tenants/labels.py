"""Reader-facing names for the codes stored in the database (web pages and emails)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

STATUS = {
    "draft": _l("Draft"),
    "mou_signed": _l("MoU signed"),
    "pks_signed": _l("PKS signed"),
    "provisioning": _l("Provisioning"),
    "active": _l("Active"),
    "suspended": _l("Suspended"),
    "archived": _l("Archived"),
}

ROLE = {
    "lan_admin": _l("LAN administrator"),
    "lan_coach": _l("LAN coach"),
    "bappeda_admin": _l("Bappeda administrator"),
    "innovator": _l("Innovator"),
    "coach": _l("LAN coach"),
}

# Terms of art (OPD, Puskesmas, Kecamatan, ...) read the same in both languages.
UNIT_KIND = {
    "opd": "OPD",
    "puskesmas": "Puskesmas",
    "kecamatan": "Kecamatan",
    "kelurahan": "Kelurahan",
    "desa": "Desa",
    "rsud": "RSUD",
    "bumd": "BUMD",
    "sekolah": _l("School"),
    "other": _l("Other"),
}


# The 5D stages are terms of art: the same names in both languages.
STAGE = {
    "drum_up": "Drum-up",
    "diagnose": "Diagnose",
    "design": "Design",
    "deliver": "Deliver",
    "display": "Display",
}
