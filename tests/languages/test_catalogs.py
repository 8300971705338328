"""The message catalogs: complete and in step with the sources, and the check that says so."""

from __future__ import annotations

import gettext
import os
import shutil
import textwrap

import pytest
from babel.messages.pofile import read_po, write_po
from click.testing import CliRunner

from tenants import catalogs


def test_catalogs_are_complete_and_up_to_date():
    """Fails when a string was added or changed without `labinov i18n update` and a translation."""
    report = catalogs.check()
    assert report.ok, "\n" + str(report) + "\n(see README: Languages)"


def test_compiled_catalogs_are_fresh_and_translate():
    catalogs.compile_catalogs()  # what the session fixture did; nothing stale is left
    for locale in ("id", "en"):
        mo = catalogs.mo_path(locale)
        assert mo.stat().st_mtime >= catalogs.po_path(locale).stat().st_mtime
    with catalogs.mo_path("id").open("rb") as f:
        assert gettext.GNUTranslations(f).gettext("Sign in") == "Masuk"


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A tiny source tree with its own i18n/ directory, for the maintainer's workflow."""
    (tmp_path / "web" / "templates").mkdir(parents=True)
    (tmp_path / "jobs").mkdir()
    (tmp_path / "i18n").mkdir()
    shutil.copy(catalogs.MAPPING, tmp_path / "i18n" / "babel.cfg")
    (tmp_path / "web" / "views.py").write_text(textwrap.dedent('''
        from flask_babel import gettext as _, lazy_gettext as _l, ngettext
        LABEL = _l("Units by type")
        def view(n):
            return _("Hello %(name)s", name="x"), ngettext("%(num)s idea", "%(num)s ideas", n)
    '''))
    (tmp_path / "web" / "templates" / "page.html").write_text("<h1>{{ _('Innovation lab') }}</h1>")
    monkeypatch.setattr(catalogs, "ROOT", tmp_path)
    monkeypatch.setattr(catalogs, "I18N_DIR", tmp_path / "i18n")
    monkeypatch.setattr(catalogs, "MAPPING", tmp_path / "i18n" / "babel.cfg")
    monkeypatch.setattr(catalogs, "TEMPLATE", tmp_path / "i18n" / "messages.pot")
    return tmp_path


def _edit(locale: str, change) -> None:
    path = catalogs.po_path(locale)
    with path.open("rb") as f:
        catalog = read_po(f, locale=locale)
    for message in catalog:
        if message.id:
            change(message)
    with path.open("wb") as f:
        write_po(f, catalog, include_lineno=False)


INDONESIAN = {"Units by type": "Unit menurut jenis", "Hello %(name)s": "Halo %(name)s",
              "Innovation lab": "Laboratorium Inovasi"}


def _translate(message) -> None:
    if isinstance(message.id, tuple):
        message.string = ("%(num)s ide",)
    elif message.id in INDONESIAN:
        message.string = INDONESIAN[message.id]
    message.flags.discard("fuzzy")


def _problems(report) -> str:
    return str(report)


def test_the_maintainer_workflow_and_what_check_catches(project):
    # A fresh tree: no template yet.
    assert not catalogs.check().ok

    # Extract and merge: English reads as its msgids, Indonesian waits for a translator.
    assert catalogs.extract() is True
    assert catalogs.extract() is False  # nothing changed, the file is left alone
    counts = catalogs.update()
    assert counts["en"]["filled"] == 4 and counts["id"]["todo"] == 4
    report = catalogs.check()
    assert "[id] untranslated" in str(report) and "'Innovation lab'" in str(report)
    assert "[en]" not in str(report)
    with catalogs.po_path("id").open("rb") as f:
        assert read_po(f).plural_forms == "nplurals=1; plural=0;"

    _edit("id", _translate)
    assert catalogs.check().ok, str(catalogs.check())

    # A new string in the sources: the template and the catalogs are out of date.
    page = project / "web" / "templates" / "page.html"
    page.write_text(page.read_text() + "<p>{{ _('Participating regions') }}</p>")
    report = catalogs.check()
    assert "in the sources but not in messages.pot" in str(report)
    assert "'Participating regions'" in str(report)

    # A changed string: its old translation comes back fuzzy, for review.
    views = project / "web" / "views.py"
    views.write_text(views.read_text().replace("Units by type", "Units by kind"))
    catalogs.update()
    report = str(catalogs.check())
    assert "[id] fuzzy" in report and "'Units by kind'" in report
    assert "[id] untranslated" in report and "'Participating regions'" in report
    assert "not in messages.pot" not in report  # the old string was dropped
    with catalogs.po_path("en").open("rb") as f:
        english = read_po(f)
    assert english["Units by kind"].string == "Units by kind"
    assert not english["Units by kind"].fuzzy

    # Translating clears it; a placeholder the translation drops is caught too.
    def fix(message):
        _translate(message)
        if message.id == "Units by kind":
            message.string = "Unit menurut jenis"
        if message.id == "Participating regions":
            message.string = "Daerah peserta"
        if message.id == "Hello %(name)s":
            message.string = "Halo %(nama)s"
    _edit("id", fix)
    report = str(catalogs.check())
    assert "placeholders that do not match" in report and "'Hello %(name)s'" in report
    _edit("id", lambda m: setattr(m, "string", "Halo %(name)s")
          if m.id == "Hello %(name)s" else None)
    assert catalogs.check().ok

    # An obsolete entry left in a catalog (e.g. by plain `pybabel update`) fails the check.
    path = catalogs.po_path("id")
    path.write_text(path.read_text() + '\n#~ msgid "Old string"\n#~ msgstr "String lama"\n')
    report = str(catalogs.check())
    assert "[id] obsolete entries" in report and "'Old string'" in report


def test_check_command_lists_the_offending_msgids_and_fails(project):
    catalogs.extract()
    catalogs.update()
    result = CliRunner().invoke(catalogs.i18n_cli, ["check"])
    assert result.exit_code == 1
    assert "'Hello %(name)s'" in result.output and "untranslated" in result.output
    _edit("id", _translate)
    result = CliRunner().invoke(catalogs.i18n_cli, ["check"])
    assert result.exit_code == 0, result.output
    assert "catalogs are complete" in result.output


def test_compile_builds_missing_and_stale_files_only(project):
    catalogs.extract()
    catalogs.update()
    _edit("id", _translate)
    assert catalogs.compile_catalogs() == ["id", "en"]
    assert catalogs.compile_catalogs() == []
    po = catalogs.po_path("id")
    later = catalogs.mo_path("id").stat().st_mtime + 5
    os.utime(po, (later, later))
    assert catalogs.compile_catalogs() == ["id"]
    with catalogs.mo_path("id").open("rb") as f:
        translations = gettext.GNUTranslations(f)
    assert translations.gettext("Innovation lab") == "Laboratorium Inovasi"
    assert translations.ngettext("%(num)s idea", "%(num)s ideas", 3) == "%(num)s ide"
