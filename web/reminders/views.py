"""Reminder pages: each person's choices (`/<tenant>/reminders/preferences`), the signed
one-click unsubscribe link of every reminder email, the Bappeda administrator's settings
and delivery log, and LAN's log of agreement reminders across tenants (`/lan/reminders`).

The unsubscribe link works without signing in (RFC 8058: a mail client POSTs
`List-Unsubscribe=One-Click` to it); its signature names the tenant and the address.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from jobs.reminders import enqueue_batch
from tenants.accounts.models import Role
from tenants.db import db
from tenants.refusal import Refused
from tenants.registry import Tenant
from tenants.reminders import operations, queries
from tenants.reminders.models import (
    LAN_TIMEZONE,
    AgreementReminder,
    Category,
    Mode,
    ReminderDelivery,
)
from tenants.reminders.operations import Batch
from tenants.reminders.queries import LogFilter
from tenants.zones import BY_NAME, today_in
from web.access import platform_role_required, roles_required
from web.extensions import csrf
from web.forms import attempt, place
from web.reminders.forms import ConfirmForm, LogFilterForm, PreferencesForm, SettingsForm

bp = Blueprint("reminders", __name__, url_prefix="/<tenant:tenant>/reminders",
               template_folder="templates")
lan_bp = Blueprint("lan_reminders", __name__, url_prefix="/lan/reminders",
                   template_folder="templates")



def _offset_label(days: int) -> str:
    if days == 0:
        return _("on the day")
    if days > 0:
        return ngettext("%(num)d day before", "%(num)d days before", days)
    return ngettext("%(num)d day after", "%(num)d days after", -days)


for _bp in (bp, lan_bp):
    _bp.add_app_template_global(lambda s: queries.STATUS_LABEL.get(s, s), "reminder_status")
    _bp.add_app_template_global(lambda c: queries.CATEGORY_LABEL.get(c, c),
                                "reminder_category")
    _bp.add_app_template_global(lambda r: queries.REASON_LABEL.get(r, r), "reminder_reason")
    _bp.add_app_template_global(_offset_label, "reminder_offset")

MEMBERS = (Role.BAPPEDA_ADMIN, Role.INNOVATOR, Role.COACH, Role.LAN_ADMIN)
ADMINS = (Role.BAPPEDA_ADMIN, Role.LAN_ADMIN)
LOG_LIMIT = 200


# --- A person's choices ----------------------------------------------------------------------

@bp.route("/preferences", methods=["GET", "POST"])
@login_required
@roles_required(*MEMBERS)
def preferences():
    email = current_user.email
    current = operations.preferences_of(db.session, email)
    form = PreferencesForm(data=current)
    if form.validate_on_submit():
        try:
            for category in Category.TENANT:
                operations.set_preference(db.session, email, category,
                                          getattr(form, category).data)
        except Refused as refusal:
            db.session.rollback()
            place(form, refusal)
        else:
            db.session.commit()
            flash(_("Your reminder choices are saved."), "success")
            return redirect(url_for(".preferences"))
    return render_template("reminders/preferences.html", form=form, email=email,
                           lan=current_user.is_lan_admin), 400 if form.errors else 200


# --- One-click unsubscribe (RFC 8058) --------------------------------------------------------

@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # mail clients POST here without a form of ours; the signature is the check
def unsubscribe(token: str):
    email = operations.unsubscribe_email(token, g.tenant.id)
    if email is None:
        abort(404)
    if request.method == "POST":
        operations.unsubscribe(db.session, email)
        db.session.commit()
        return render_template("reminders/unsubscribed.html", email=email, done=True)
    return render_template("reminders/unsubscribed.html", email=email, done=False)


# --- The Bappeda administrator's settings and log --------------------------------------------

@bp.route("/settings", methods=["GET", "POST"])
@login_required
@roles_required(*ADMINS)
def settings():
    current = operations.current_settings(db.session)
    offsets = [int(o) for o in current.offsets]
    form = SettingsForm(data={
        "days_before": ", ".join(str(o) for o in offsets if o > 0),
        "on_the_day": 0 in offsets,
        "days_overdue": ", ".join(str(-o) for o in offsets if o < 0),
        "send_hour": current.send_hour, "skip_holidays": current.skip_holidays})
    error = None
    if form.validate_on_submit():
        try:
            before = operations.parse_days(form.days_before.data, "days_before")
            overdue = operations.parse_days(form.days_overdue.data, "days_overdue")
        except Refused as refusal:
            done, error = False, place(form, refusal)
        else:
            done, error = attempt(_save, form=form, days_before=before,
                                  on_the_day=form.on_the_day.data, days_overdue=overdue,
                                  send_hour=form.send_hour.data,
                                  skip_holidays=form.skip_holidays.data)
        if done:
            flash(_("The reminder settings are saved."), "success")
            return redirect(url_for(".settings"))
    failed = bool(form.errors or error)
    return render_template("reminders/settings.html", form=form, error=error,
                           zone=zone_label(g.tenant.timezone)), 400 if failed else 200


def zone_label(name: str) -> str:
    zone = BY_NAME.get(name)
    return zone.label if zone else name


def _save(session, *, actor_id, ip, **values):
    operations.save_settings(session, actor_id=actor_id, **values)


def _filters(categories) -> tuple[LogFilterForm, LogFilter]:
    form = LogFilterForm(request.args).fill(categories)
    form.validate()
    return form, LogFilter(status=form.status.data or None,
                           category=form.category.data or None,
                           email=form.email.data or None,
                           since=form.since.data if not form.since.errors else None,
                           until=form.until.data if not form.until.errors else None)


@bp.get("/log")
@login_required
@roles_required(*ADMINS)
def log():
    form, f = _filters(Category.TENANT)
    rows = queries.delivery_log(db.session, ReminderDelivery, f, limit=LOG_LIMIT)
    return render_template("reminders/log.html", form=form, rows=rows, limit=LOG_LIMIT,
                           counts=queries.counts(db.session, ReminderDelivery),
                           confirm=ConfirmForm(), lan=False)


@bp.post("/log/<int:delivery_id>/send")
@login_required
@roles_required(*ADMINS)
def send(delivery_id: int):
    return _send_one(ReminderDelivery, delivery_id, g.tenant.id, g.tenant.timezone,
                     url_for(".log", **request.args))


def _send_one(model, row_id: int, tenant_id: int | None, zone: str, back: str):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        row = operations.resend(db.session, model, row_id, today_in(zone))
    except Refused as refusal:
        db.session.rollback()
        flash(refusal.message, "error")
        return redirect(back)
    if row is None:
        abort(404)
    batch = Batch(row.email, Mode.IMMEDIATE, row.remind_on)
    db.session.commit()
    enqueue_batch(tenant_id, batch)
    flash(_("The reminder is on its way."), "success")
    return redirect(back)


# --- LAN: agreement reminders across tenants -------------------------------------------------

@lan_bp.get("/")
@login_required
@platform_role_required(Role.LAN_ADMIN)
def lan_log():
    form, f = _filters((Category.AGREEMENT,))
    rows = queries.delivery_log(db.session, AgreementReminder, f, limit=LOG_LIMIT)
    names = dict(db.session.execute(db.select(Tenant.id, Tenant.name).where(
        Tenant.id.in_({r.tenant_id for r in rows}))).all()) if rows else {}
    return render_template("reminders/log.html", form=form, rows=rows, limit=LOG_LIMIT,
                           counts=queries.counts(db.session, AgreementReminder),
                           confirm=ConfirmForm(), lan=True, tenant_names=names)


@lan_bp.post("/<int:reminder_id>/send")
@login_required
@platform_role_required(Role.LAN_ADMIN)
def lan_send(reminder_id: int):
    return _send_one(AgreementReminder, reminder_id, None, LAN_TIMEZONE,
                     url_for(".lan_log", **request.args))
