"""Checking that a page, an email or an export reads in one language only.

    from i18n_helpers import assert_single_language

    assert_single_language(response.get_data(as_text=True), "id", ignore=[unit.name])

For an Indonesian page, none of the English msgids whose Indonesian translation differs may
appear in the visible text; for an English page, none of the Indonesian translations that differ
from their English msgid. Month and weekday names of the other language count too. Terms of art
(i18n/GLOSSARY.md), region names and whatever `ignore` lists (people's and units' names, data
typed in by users) are left out, as is any element marked with a `lang` of another language
(the language switcher names each language in itself).
"""

from __future__ import annotations

import functools
import re
from html.parser import HTMLParser

from babel import Locale

from tenants.catalogs import _read, po_path
from tenants.regions.models import read_region_files, title_case

# Read the same in both languages (see i18n/GLOSSARY.md).
TERMS_OF_ART = {
    "OPD", "Bappeda", "Litbang", "Puskesmas", "Kecamatan", "Kelurahan", "Desa", "RSUD", "BUMD",
    "monev", "drum-up", "diagnose", "design", "deliver", "display", "MoU", "PKS", "RPJMD",
    "IKD", "Perbup", "Perwali", "Pemkab", "Pemkot", "Kabupaten", "Kota", "Kab.", "LAN",
    "Labinov", "Laboratorium Inovasi", "WIB", "WITA", "WIT", "launching", "IGA", "IID",
    "Apusida", "Deklarasi Tri Sakti Inagara",
}
# Attributes a person reads (or hears from a screen reader).
READ_ATTRIBUTES = ("title", "alt", "placeholder", "aria-label")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}
PLACEHOLDER = re.compile(r"%\(\w+\)[sdfr]|%[sdfr]|\{\w*\}")


class _TextParser(HTMLParser):
    def __init__(self, locale: str):
        super().__init__(convert_charrefs=True)
        self.locale = locale
        self.parts: list[str] = []
        self.stack: list[tuple[str, bool]] = []  # (tag, hidden from the check)

    @property
    def hidden(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        lang = (attrs.get("lang") or "").split("-")[0].lower()
        hidden = (self.hidden or tag in ("script", "style", "template")
                  or bool(lang and lang != self.locale))
        if not hidden:
            self.parts.extend(attrs[a] for a in READ_ATTRIBUTES if attrs.get(a))
            if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
                self.parts.append(attrs["value"])
        if tag not in VOID:
            self.stack.append((tag, hidden))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible_text(html: str, locale: str) -> str:
    """The text a reader of `locale` sees (and hears) on a page, whitespace folded."""
    parser = _TextParser(locale)
    parser.feed(html)
    parser.close()
    return _fold(" ".join(parser.parts))


def _fold(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


def _forms(value) -> list[str]:
    return [v for v in (value if isinstance(value, tuple) else (value,)) if v]


@functools.cache
def _pairs() -> list[tuple[str, str]]:
    """(English, Indonesian) for every form of every translated message."""
    pairs = []
    for message in _read(po_path("id"), "id"):
        if not message.id or message.fuzzy:
            continue
        english = _forms(message.id)
        indonesian = _forms(message.string)
        for i, en in enumerate(english):
            pairs.append((en, indonesian[min(i, len(indonesian) - 1)] if indonesian else en))
    return pairs


def _plain(text: str) -> str:
    return _fold(re.sub(r"<[^>]+>", " ", text))


def _pattern(text: str) -> re.Pattern | None:
    """A regex for `text` with its placeholders as wildcards; None if too little is fixed."""
    fixed = PLACEHOLDER.split(text)
    if sum(len(re.sub(r"\W", "", f)) for f in fixed) < 3:
        return None
    body = r".{1,80}?".join(r"\s+".join(map(re.escape, f.split())) for f in fixed)
    return re.compile(r"(?<![\w-])" + body + r"(?![\w-])")


def _is_term(text: str) -> bool:
    return text in TERMS_OF_ART or text.lower() in {t.lower() for t in TERMS_OF_ART}


@functools.cache
def _forbidden(locale: str) -> tuple[tuple[re.Pattern, str], ...]:
    if locale not in ("id", "en"):
        raise ValueError(f"no check for {locale!r}")
    own = 1 if locale == "id" else 0
    pairs = [(_plain(en), _plain(id_)) for en, id_ in _pairs()]
    allowed = [pair[own] for pair in pairs]
    candidates = {pair[1 - own] for pair in pairs if pair[0] != pair[1]}
    out = []
    for text in sorted(candidates):
        if _is_term(text):
            continue
        pattern = _pattern(text)
        if pattern is None:
            continue
        # A string that the reader's own language also uses is no evidence ("Unit", "Status");
        # a single word is also let through when it starts a word of theirs ("unit"/"units").
        if any(pattern.search(a) for a in allowed):
            continue
        if " " not in text and any(re.search(r"(?<!\w)" + re.escape(text), a, re.I)
                                   for a in allowed):
            continue
        out.append((pattern, text))
    other = Locale.parse("en" if locale == "id" else "id")
    mine = Locale.parse(locale)
    for kind in ("months", "days"):
        theirs = set(getattr(other, kind)["format"]["wide"].values())
        ours = set(getattr(mine, kind)["format"]["wide"].values())
        for name in sorted(theirs - ours):
            out.append((re.compile(r"(?<!\w)" + re.escape(name) + r"(?!\w)"), name))
    return tuple(out)


@functools.cache
def _region_names() -> re.Pattern:
    provinces, regencies = read_region_files()
    names = {title_case(p["name"]) for p in provinces}
    for r in regencies:
        _kind, _sep, place = r["name"].partition(" ")
        names.add(title_case(place))
    alternatives = sorted((re.escape(n) for n in names if n), key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.I)


def foreign_strings(text: str, locale: str, ignore=()) -> list[tuple[str, str]]:
    """(catalog string, where it was seen) for each string of the other language in `text`."""
    text = visible_text(text, locale) if "<" in text else _fold(text)
    for name in sorted({_fold(str(i)) for i in ignore if i}, key=len, reverse=True):
        text = text.replace(name, " ")
    text = _region_names().sub(" ", text)
    text = re.sub(r"\b(?:https?://|mailto:)\S+", " ", text)  # addresses are not prose
    found = []
    for pattern, source in _forbidden(locale):
        match = pattern.search(text)
        if match:
            start, end = max(match.start() - 30, 0), match.end() + 30
            found.append((source, text[start:end]))
    return found


def assert_single_language(text: str, locale: str, ignore=()) -> None:
    """Fail if an HTML page (or plain text) in `locale` shows strings of the other language."""
    found = foreign_strings(text, locale, ignore)
    assert not found, f"text in {locale!r} shows the other language:\n" + "\n".join(
        f"  {source!r} in …{context}…" for source, context in found)
