"""The message catalogs under `i18n/`: extract, update, compile, check.

`labinov i18n extract|update|compile|check` wraps these for maintainers; the test suite compiles
stale catalogs and runs `check`, so a string added without a translation fails the tests.
Output is for maintainers and stays English.
"""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import click
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from tenants.locale import I18N_DIR, LOCALES

ROOT = I18N_DIR.parent
MAPPING = I18N_DIR / "babel.cfg"
TEMPLATE = I18N_DIR / "messages.pot"
DOMAIN = "messages"
# Babel's defaults (`_`, `gettext`, `ngettext`, ...) plus the lazy forms used for module-level
# strings and form labels. Also named in babel.cfg, for Babel versions that read them there.
KEYWORDS = {"_l": None, "lazy_gettext": None, "lazy_ngettext": (1, 2)}
COMMENT_TAGS = ("TRANSLATORS:",)
# Msgids are English, so the English catalog is filled from them; Indonesian is translated.
SOURCE_LOCALE = "en"
WIDTH = 100
LANGUAGE_NAMES = {"id": "Indonesian", "en": "English"}
# Indonesian nouns do not inflect for number; Babel's table has no entry for `id` (or `jv`).
PLURAL_FORMS = {"id": "nplurals=1; plural=0;", "jv": "nplurals=1; plural=0;"}
HEADERS = {"project": "Labinov", "version": "1", "copyright_holder": "Labinov contributors",
           "msgid_bugs_address": "Labinov maintainers", "last_translator": "Labinov translators"}
TEMPLATE_HEADER = """\
# Messages of Labinov, extracted from the sources by `labinov i18n extract`.
# Do not edit by hand; translate in i18n/<locale>/LC_MESSAGES/messages.po.
#"""


def po_path(locale: str) -> Path:
    return I18N_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(locale: str) -> Path:
    return po_path(locale).with_suffix(".mo")


def _key(message) -> tuple:
    return (message.id, message.context)


def _label(key: tuple) -> str:
    msgid, context = key
    text = msgid[0] if isinstance(msgid, tuple) else msgid
    return f"{text!r}" + (f" (context {context!r})" if context else "")


def _read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, locale=locale)


def _write_atomic(path: Path, write, binary: bool = True) -> None:
    """Write through a temporary file in the same directory, so readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb" if binary else "w") as f:
            write(f)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def extract_template() -> Catalog:
    """Every translatable string in the sources, as a template catalog (nothing written)."""
    with MAPPING.open() as f:
        method_map, options_map = parse_mapping_cfg(f, str(MAPPING))

    catalog = Catalog(charset="utf-8", fuzzy=False, header_comment=TEMPLATE_HEADER, **HEADERS)
    for filename, lineno, message, comments, context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords={**DEFAULT_KEYWORDS, **KEYWORDS},
            comment_tags=COMMENT_TAGS, strip_comment_tags=True):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments,
                    context=context)
    return catalog


def _signature(catalog: Catalog) -> list:
    # Locations are kept without line numbers, so only the files count.
    return sorted((repr(m.id), m.context or "", repr(m.string or ""),
                   sorted({f for f, _n in m.locations}), m.auto_comments, m.user_comments,
                   sorted(m.flags), m.previous_id) for m in catalog if m.id)


def _same_messages(a: Catalog, b: Catalog) -> bool:
    return _signature(a) == _signature(b)


def _new_catalog(locale: str) -> Catalog:
    name = LANGUAGE_NAMES.get(locale, locale)
    catalog = Catalog(locale=locale, language_team=f"{name} <{locale}>", fuzzy=False,
                      header_comment=f"# {name} translations of Labinov "
                                     "(terms: i18n/GLOSSARY.md).\n#", **HEADERS)
    if locale in PLURAL_FORMS:
        catalog.mime_headers = [("Plural-Forms", PLURAL_FORMS[locale])]
    return catalog


def extract() -> bool:
    """Rewrite i18n/messages.pot from the sources; False when nothing changed."""
    template = extract_template()
    if TEMPLATE.exists() and _same_messages(template, _read(TEMPLATE)):
        return False  # keep the file (and its creation date) as it is
    _write_atomic(TEMPLATE, lambda f: write_po(f, template, width=WIDTH, sort_by_file=True,
                                               include_lineno=False))
    return True


def _fill_from_source(catalog: Catalog) -> int:
    """English: a missing or fuzzy entry reads as its msgid (the msgids are English)."""
    filled = 0
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            message.string = message.id  # a tuple (singular, plural) for plurals
            message.flags.discard("fuzzy")
            filled += 1
    return filled


def update(locales=LOCALES) -> dict[str, dict]:
    """Merge the sources' strings into each locale's catalog (creating it if needed).

    Changed strings keep their old translation marked fuzzy for a translator to review; removed
    strings are dropped (git keeps their history). Extracts first. Returns per-locale counts.
    """
    extract()
    with TEMPLATE.open("rb") as f:
        template = read_po(f)
    report = {}
    for locale in locales:
        path = po_path(locale)
        catalog = _read(path, locale) if path.exists() else _new_catalog(locale)
        before = _signature(catalog) if path.exists() else None
        catalog.update(template, update_header_comment=False)
        for message in catalog:
            # Babel reads `#| msgid` (previous msgid) lines back as translator comments: drop them.
            message.user_comments = [c for c in message.user_comments
                                     if not c.startswith("|")]
        removed = len(catalog.obsolete)
        catalog.obsolete.clear()
        filled = _fill_from_source(catalog) if locale == SOURCE_LOCALE else 0
        catalog.fuzzy = False  # the header, not the entries
        if before != _signature(catalog) or removed:
            catalog.revision_date = datetime.now(UTC)
            _write_atomic(path, lambda f, c=catalog: write_po(
                f, c, width=WIDTH, ignore_obsolete=True, include_lineno=False))
        report[locale] = {"removed": removed, "filled": filled,
                          "todo": len(_untranslated(catalog)) + len(_fuzzy(catalog))}
    return report


def compile_catalogs(force: bool = False) -> list[str]:
    """Compile each .po whose .mo is missing or older; returns the locales compiled."""
    done = []
    for locale in LOCALES:
        po, mo = po_path(locale), mo_path(locale)
        if not po.exists():
            continue
        if not force and mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        catalog = _read(po, locale)
        _write_atomic(mo, lambda f, c=catalog: write_mo(f, c, use_fuzzy=False))
        done.append(locale)
    return done


def _untranslated(catalog: Catalog) -> list:
    out = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings):
            out.append(message)
    return out


def _fuzzy(catalog: Catalog) -> list:
    return [m for m in catalog if m.id and m.fuzzy]


@dataclass
class Report:
    problems: list[str] = field(default_factory=list)

    def add(self, heading: str, keys) -> None:
        keys = list(keys)
        if keys:
            self.problems.append(heading + ":\n" + "\n".join(f"    {_label(k)}" for k in keys))

    @property
    def ok(self) -> bool:
        return not self.problems

    def __str__(self) -> str:
        return "\n".join(self.problems) if self.problems else "catalogs are complete"


def check() -> Report:
    """What keeps the catalogs from being complete and in step with the sources."""
    report = Report()
    sources = {_key(m): m for m in extract_template() if m.id}
    if not TEMPLATE.exists():
        report.problems.append(f"{TEMPLATE.relative_to(ROOT)} is missing: run "
                               "`labinov i18n extract`")
        return report
    template = {_key(m): m for m in _read(TEMPLATE) if m.id}
    report.add("in the sources but not in messages.pot (run `labinov i18n update`)",
               [k for k in sources if k not in template])
    report.add("in messages.pot but no longer in the sources (run `labinov i18n update`)",
               [k for k in template if k not in sources])
    for locale in LOCALES:
        path = po_path(locale)
        if not path.exists():
            report.problems.append(f"no catalog for {locale!r}: run `labinov i18n update`")
            continue
        catalog = _read(path, locale)
        keys = {_key(m) for m in catalog if m.id}
        report.add(f"[{locale}] in messages.pot but not in the catalog "
                   "(run `labinov i18n update`)", [k for k in template if k not in keys])
        report.add(f"[{locale}] not in messages.pot (run `labinov i18n update`)",
                   [k for k in keys if k not in template])
        report.add(f"[{locale}] obsolete entries (run `labinov i18n update`)",
                   [_key(m) for m in catalog.obsolete.values()])
        report.add(f"[{locale}] untranslated", [_key(m) for m in _untranslated(catalog)])
        report.add(f"[{locale}] fuzzy (review the translation, then remove the fuzzy flag)",
                   [_key(m) for m in _fuzzy(catalog)])
        errors = [(message, errs) for message, errs in catalog.check()]
        if errors:
            report.problems.append(f"[{locale}] placeholders that do not match:\n" + "\n".join(
                f"    {_label(_key(m))}: {'; '.join(map(str, errs))}" for m, errs in errors))
    return report


@click.group("i18n", help="The Indonesian and English message catalogs under i18n/.")
def i18n_cli():
    pass


@i18n_cli.command("extract")
def extract_command():
    """Collect the strings from the sources into i18n/messages.pot."""
    changed = extract()
    click.echo(f"{TEMPLATE.relative_to(ROOT)} " + ("updated" if changed else "unchanged"))


@i18n_cli.command("update")
def update_command():
    """Extract, then merge new and changed strings into every locale's catalog."""
    for locale, counts in update().items():
        note = f", {counts['filled']} filled from the English msgids" if counts["filled"] else ""
        click.echo(f"{po_path(locale).relative_to(ROOT)}: {counts['todo']} to translate or "
                   f"review, {counts['removed']} removed{note}")


@i18n_cli.command("compile")
@click.option("--force", is_flag=True, help="Compile even when the .mo file is up to date.")
def compile_command(force):
    """Build the .mo files the app reads (they are not committed)."""
    done = compile_catalogs(force=force)
    click.echo("compiled: " + (", ".join(done) if done else "nothing, all up to date"))


@i18n_cli.command("check")
def check_command():
    """Fail when the catalogs are out of date or hold untranslated, fuzzy or obsolete entries."""
    report = check()
    if report.ok:
        click.echo(str(report))
        return
    click.echo(str(report), err=True)
    sys.exit(1)
