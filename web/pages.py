"""Paging a list by the request's `?page=`, whatever a person or a robot puts there."""

from __future__ import annotations

from flask import request

# Far beyond any list here, and small enough for an SQL OFFSET.
MAX_PAGE = 100_000


def requested_page() -> int:
    """`?page=` as a page number from 1 to MAX_PAGE: anything else is page 1 (or the last)."""
    value = request.args.get("page", "1")
    if not (value.isascii() and value.isdigit()):
        return 1
    if len(value) > len(str(MAX_PAGE)):  # int() of thousands of digits is refused anyway
        return MAX_PAGE
    return min(max(1, int(value)), MAX_PAGE)
