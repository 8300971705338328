"""Where a request may send the reader next: only to a path on this site.

A target taken from the request (`?next=`, a form's `next`) passes `local_target` or is
dropped. Browsers strip tabs and newlines from URLs and read a backslash as a slash, so
`/%09/evil.example/` or `/\\evil.example` would leave the site: anything with a control
character, whitespace or a backslash is refused outright, the rest is parsed and rebuilt
from its path and query alone.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import unquote, urlsplit, urlunsplit


def local_target(value: str | None) -> str | None:
    """`value` as a same-site path (with its query), or None if it could lead elsewhere."""
    if not value or not isinstance(value, str) or len(value) > 2000:
        return None
    if _unsafe(value):
        return None
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    # The path once decoded too: an encoded tab, backslash or second slash is refused.
    path = unquote(parts.path)
    if path.startswith("//") or _unsafe(path):
        return None
    return urlunsplit(("", "", parts.path, parts.query, ""))


def _unsafe(text: str) -> bool:
    return "\\" in text or any(c.isspace() or unicodedata.category(c)[0] == "C" for c in text)
