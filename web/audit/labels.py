"""Reader-facing names of recorded actions and of their details, for every audit table
(the logs, a tenant's activity on LAN's tenant page)."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from tenants.labels import ROLE, STATUS

# Reader-facing names of recorded actions; an action without one shows its code.
ACTIONS = {
    "tenant.draft_created": _l("Onboarding started"),
    "tenant.settings_changed": _l("Lab settings changed"),
    "agreement.mou_recorded": _l("MoU recorded"),
    "agreement.pks_recorded": _l("PKS recorded"),
    "tenant.admin_set": _l("Bappeda administrator entered"),
    "tenant.activation_requested": _l("Activation requested"),
    "tenant.activation_retried": _l("Activation retried"),
    "tenant.activated": _l("Lab activated"),
    "tenant.suspended": _l("Lab suspended"),
    "tenant.reactivated": _l("Lab reactivated"),
    "tenant.archived": _l("Lab archived"),
    "lab.opened": _l("Lab opened by LAN"),
    "lab.suspended": _l("Lab suspended by LAN"),
    "lab.reactivated": _l("Lab reactivated by LAN"),
    "lab.archived": _l("Lab archived by LAN"),
    "account.invited": _l("Person invited"),
    "account.invitation_accepted": _l("Invitation accepted"),
    "account.lan_role_removed": _l("LAN role removed"),
    "account.password_changed": _l("Password changed"),
    "account.password_reset": _l("Password reset"),
    "account.signed_out_everywhere": _l("Signed out everywhere"),
    "membership.removed": _l("Membership removed"),
    "people.invited": _l("Person invited"),
    "people.invitation_resent": _l("Invitation sent again"),
    "people.removed": _l("Person removed"),
}


# Names of the details recorded with an entry; a detail without one shows its key.
DETAILS = {
    "admin": _l("administrator"),
    "admin_email": _l("administrator's email"),
    "default_locale": _l("language"),
    "document": _l("document"),
    "invitation_id": _l("invitation"),
    "locale": _l("language"),
    "name": _l("name"),
    "previous": _l("previous state"),
    "previous_error": _l("previous error"),
    "reason": _l("reason"),
    "requested_by": _l("requested by"),
    "role": _l("role"),
    "schema": _l("schema"),
    "signed_on": _l("signed on"),
    "size": _l("size (bytes)"),
    "timezone": _l("time zone"),
    "unit_id": _l("unit"),
    "valid_until": _l("valid until"),
}


def action_label(code: str) -> str:
    return ACTIONS.get(code, code)


def describe(detail: dict | None, names: dict[int, str] | None = None) -> list[tuple[str, str]]:
    """The entry's details as short key/value pairs for a table cell.

    Role and state codes read as their names, and the ids of people (`requested_by`, `invited_by`)
    as their names when `names` knows them."""
    pairs = []
    for key, value in (detail or {}).items():
        if value is None or value == "" or value == []:
            continue
        if key == "role":
            value = ROLE.get(value, value)
        elif key == "previous":
            value = STATUS.get(value, value)
        elif key.endswith("_by") and isinstance(value, int) and names:
            value = names.get(value, value)
        elif isinstance(value, list):
            value = " → ".join(str(v) for v in value)
        pairs.append((str(DETAILS.get(key, key.replace("_", " "))), str(value)))
    return pairs


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(action_label=action_label, audit_details=describe)
