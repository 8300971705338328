"""Babel setup shared by every process: catalogs in `i18n/`, Indonesian first."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask_babel import Babel

LOCALES = ("id", "en")
I18N_DIR = Path(__file__).resolve().parent.parent / "i18n"

babel = Babel()


def init_babel(app: Flask, default_locale: str = "id", default_timezone: str = "Asia/Jakarta",
               locale_selector=None, timezone_selector=None) -> None:
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(I18N_DIR)
    babel.init_app(app, default_locale=default_locale, default_timezone=default_timezone,
                   locale_selector=locale_selector, timezone_selector=timezone_selector)
