"""Dates, times, numbers and money for the reader's locale, in the tenant's time zone.

Built on Flask-Babel, so the locale and time zone are the ones selected for the request (or
forced for a job with `tenants.locale.localized`). Datetimes are stored in UTC; a naive one is
taken as UTC. Registered as Jinja filters by `init_app` for every app (web and worker), because
emails and exports need them as much as pages do:

    {{ idea.created_at | datetime }}   24 Apr 2018 16.00 WITA  /  Apr 24, 2018, 4:00 PM WITA
    {{ event.day | full_date }}        Selasa, 24 April 2018   /  Tuesday, April 24, 2018
    {{ budget | money }}               Rp 1.500.000            /  IDR 1,500,000
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel import Locale, dates, numbers
from flask import Flask
from flask_babel import get_locale, get_timezone

from tenants import zones

NBSP = "\u00a0"
DEFAULT_LOCALE = "id"


def _tz(tz=None):
    if tz is None:
        return get_timezone()
    return ZoneInfo(tz) if isinstance(tz, str) else tz


def _locale(locale=None) -> Locale:
    if locale is not None:
        return Locale.parse(locale)
    return get_locale() or Locale.parse(DEFAULT_LOCALE)


def to_local(value: dt.datetime, tz=None) -> dt.datetime:
    """A stored (UTC) datetime in the reader's time zone."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(_tz(tz))


def zone_abbreviation(value: dt.datetime | None = None, tz=None, locale=None) -> str:
    """WIB / WITA / WIT for Indonesian zones, otherwise the offset ("GMT+02:00")."""
    local = to_local(value or dt.datetime.now(dt.UTC), tz)
    offset = local.utcoffset()
    hours = offset.total_seconds() / 3600 if offset is not None else None
    if hours in zones.BY_OFFSET:  # names everyone uses, in both languages
        return zones.BY_OFFSET[int(hours)].abbreviation
    return dates.get_timezone_gmt(local, "long", locale=_locale(locale))


def format_date(value, format: str = "medium", tz=None, locale=None) -> str:
    """A date ("24 Apr 2018"); a datetime is first moved to the reader's zone."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = to_local(value, tz).date()
    return dates.format_date(value, format, locale=_locale(locale))


def format_full_date(value, tz=None, locale=None) -> str:
    """Weekday and full date: "Selasa, 24 April 2018" / "Tuesday, April 24, 2018"."""
    return format_date(value, "full", tz=tz, locale=locale)


def format_time(value, format: str = "short", zone: bool = True, tz=None, locale=None) -> str:
    """A time of day in the reader's zone: "16.00 WITA" / "4:00 PM WITA"."""
    if value is None:
        return ""
    locale = _locale(locale)
    if isinstance(value, dt.datetime):
        local = to_local(value, tz)
        text = dates.format_time(local, format, tzinfo=local.tzinfo, locale=locale)
        return f"{text} {zone_abbreviation(local, tz=local.tzinfo)}" if zone else text
    return dates.format_time(value, format, locale=locale)


def format_datetime(value, format: str = "medium", zone: bool = True, tz=None,
                    locale=None) -> str:
    """Date and time (hours and minutes) in the reader's zone, with the zone's name.

    "24 Apr 2018 16.00 WITA" / "Apr 24, 2018, 4:00 PM WITA"."""
    if value is None:
        return ""
    locale = _locale(locale)
    local = to_local(value, tz)
    day = dates.format_date(local.date(), format, locale=locale)
    time = format_time(local, "short", zone=zone, tz=local.tzinfo, locale=locale)
    pattern = locale.datetime_formats.get(format, "{1} {0}")
    return str(pattern).replace("{1}", day).replace("{0}", time)


def format_number(value, locale=None) -> str:
    """1.234.567 / 1,234,567."""
    if value is None:
        return ""
    return numbers.format_decimal(value, locale=_locale(locale))


def format_percent(value, locale=None) -> str:
    if value is None:
        return ""
    return numbers.format_percent(value, locale=_locale(locale))


def format_money(value, currency: str = "IDR", locale=None) -> str:
    """Rupiah without decimals (the sen is not used): "Rp 1.500.000" / "IDR 1,500,000"."""
    if value is None:
        return ""
    locale = _locale(locale)
    pattern = locale.currency_formats["standard"].pattern
    if currency == "IDR":
        pattern = re.sub(r"\.0+", "", pattern)
        value = Decimal(value).quantize(Decimal(1))
    text = numbers.format_currency(value, currency, format=pattern, locale=locale,
                                   currency_digits=currency != "IDR")
    # CLDR's currency spacing (which Babel leaves out): a letter symbol next to a digit gets a
    # no-break space, as ICU and browsers print it.
    symbol = numbers.get_currency_symbol(currency, locale=locale)
    if symbol and symbol[-1].isalpha():
        text = re.sub(re.escape(symbol) + r"(?=\d)", symbol + NBSP, text)
    if symbol and symbol[0].isalpha():
        text = re.sub(r"(?<=\d)" + re.escape(symbol), NBSP + symbol, text)
    return text


FILTERS = {
    "date": format_date,
    "full_date": format_full_date,
    "time": format_time,
    "datetime": format_datetime,
    "number": format_number,
    "percent": format_percent,
    "money": format_money,
    "zone": zone_abbreviation,
}


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(FILTERS)
