"""Dates, times, numbers and rupiah for the reader's locale, in the tenant's time zone."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from flask import g, render_template_string
from flask_babel import gettext

from tenants.formatting import (
    format_date,
    format_datetime,
    format_full_date,
    format_money,
    format_number,
    format_time,
    zone_abbreviation,
)
from tenants.locale import in_language_of, localized, recipient_locale
from tenants.scope import TenantRef

EIGHT_UTC = dt.datetime(2018, 4, 24, 8, 0, tzinfo=dt.UTC)
NNBSP, NBSP = "\u202f", "\u00a0"  # CLDR puts these before "PM" and after "Rp"


def _tenant(tz: str, locale: str = "id") -> TenantRef:
    return TenantRef(id=1, slug="kota-makassar", schema="t_7371", name="Kota Makassar",
                     status="active", timezone=tz, default_locale=locale)


@pytest.mark.parametrize(("tz", "id_text", "en_text"), [
    ("Asia/Jakarta", "15.00 WIB", f"3:00{NNBSP}PM WIB"),
    ("Asia/Makassar", "16.00 WITA", f"4:00{NNBSP}PM WITA"),
    ("Asia/Jayapura", "17.00 WIT", f"5:00{NNBSP}PM WIT"),
])
def test_utc_is_shown_in_the_tenants_zone_with_its_name(app, tz, id_text, en_text):
    with app.test_request_context():
        with localized("id", tz):
            assert format_time(EIGHT_UTC) == id_text
        with localized("en", tz):
            assert format_time(EIGHT_UTC) == en_text


def test_a_tenant_page_uses_the_tenants_zone_and_others_the_default(app):
    template = "{{ t | datetime }} · {{ t | full_date }}"
    late = dt.datetime(2018, 4, 23, 16, 30, tzinfo=dt.UTC)  # already the 24th in Makassar
    with app.test_request_context(headers={"Accept-Language": "id"}):
        g.tenant = _tenant("Asia/Makassar")
        assert render_template_string(template, t=late) == (
            "24 Apr 2018 00.30 WITA · Selasa, 24 April 2018")
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert render_template_string(template, t=late) == (
            f"Apr 23, 2018, 11:30{NNBSP}PM WIB · Monday, April 23, 2018")


def test_full_date_reads_like_a_letter(app):
    day = dt.date(2018, 4, 24)
    with app.test_request_context():
        with localized("id"):
            assert format_full_date(day) == "Selasa, 24 April 2018"
            assert format_date(day) == "24 Apr 2018"
            assert format_date(day, "long") == "24 April 2018"
        with localized("en"):
            assert format_full_date(day) == "Tuesday, April 24, 2018"
            assert format_date(day) == "Apr 24, 2018"


def test_datetime_combines_date_time_and_zone(app):
    with app.test_request_context(), localized("id", "Asia/Makassar"):
        assert format_datetime(EIGHT_UTC) == "24 Apr 2018 16.00 WITA"
        assert format_datetime(EIGHT_UTC, zone=False) == "24 Apr 2018 16.00"
        assert format_datetime(EIGHT_UTC, tz="Asia/Jayapura") == "24 Apr 2018 17.00 WIT"
    with app.test_request_context(), localized("en", "Asia/Makassar"):
        assert format_datetime(EIGHT_UTC) == f"Apr 24, 2018, 4:00{NNBSP}PM WITA"
        assert format_datetime(None) == ""


def test_naive_datetimes_are_taken_as_utc(app):
    with app.test_request_context(), localized("id", "Asia/Makassar"):
        assert format_time(EIGHT_UTC.replace(tzinfo=None)) == "16.00 WITA"


def test_zones_outside_indonesia_show_their_offset(app):
    with app.test_request_context(), localized("en"):
        assert zone_abbreviation(EIGHT_UTC, tz="Asia/Jakarta") == "WIB"
        assert zone_abbreviation(EIGHT_UTC, tz="Europe/Amsterdam") == "GMT+02:00"


@pytest.mark.parametrize(("value", "id_text", "en_text"), [
    (1_500_000, f"Rp{NBSP}1.500.000", f"IDR{NBSP}1,500,000"),
    (Decimal("2500000.50"), f"Rp{NBSP}2.500.000", f"IDR{NBSP}2,500,000"),  # half-even
    (Decimal("2500001.50"), f"Rp{NBSP}2.500.002", f"IDR{NBSP}2,500,002"),
    (-75_000, f"-Rp{NBSP}75.000", f"-IDR{NBSP}75,000"),
    (0, f"Rp{NBSP}0", f"IDR{NBSP}0"),
    (None, "", ""),
])
def test_rupiah_have_no_decimals(app, value, id_text, en_text):
    with app.test_request_context():
        with localized("id"):
            assert format_money(value) == id_text
        with localized("en"):
            assert format_money(value) == en_text


def test_money_and_numbers_as_template_filters(app):
    template = "{{ budget | money }} · {{ ideas | number }} · {{ share | percent }}"
    with app.test_request_context(headers={"Accept-Language": "id"}):
        assert render_template_string(template, budget=1_500_000, ideas=1234567,
                                      share=0.254) == f"Rp{NBSP}1.500.000 · 1.234.567 · 25%"
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert render_template_string(template, budget=1_500_000, ideas=1234567,
                                      share=0.254) == f"IDR{NBSP}1,500,000 · 1,234,567 · 25%"
        assert format_number(1234.5) == "1,234.5"


def test_other_currencies_keep_their_decimals(app):
    with app.test_request_context(), localized("en"):
        assert format_money(12.5, "USD") == "$12.50"


class _Person:
    def __init__(self, locale):
        self.locale = locale


def test_jobs_write_in_the_recipients_language_and_the_tenants_zone(app):
    wita_en = _tenant("Asia/Makassar", locale="en")
    with app.app_context():
        assert recipient_locale(_Person("id"), wita_en) == "id"
        assert recipient_locale(_Person(None), wita_en) == "en"
        assert recipient_locale(None, None) == "id"  # DEFAULT_LOCALE
        with in_language_of(_Person(None), wita_en) as locale:
            assert locale == "en"
            assert gettext("Sign in") == "Sign in"
            assert format_time(EIGHT_UTC) == f"4:00{NNBSP}PM WITA"
            assert render_template_string("{{ _('Sign out') }}") == "Sign out"
            with in_language_of(_Person("id"), wita_en):
                assert gettext("Sign in") == "Masuk"
                assert format_full_date(EIGHT_UTC) == "Selasa, 24 April 2018"
                assert format_time(EIGHT_UTC) == "16.00 WITA"
            assert gettext("Sign in") == "Sign in"  # back to the outer recipient
        assert gettext("Sign in") == "Masuk"  # and to the deployment default
        assert format_time(EIGHT_UTC) == "15.00 WIB"
