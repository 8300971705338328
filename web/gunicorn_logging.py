"""gunicorn's access log without the secrets that emailed links carry in their path.

`/auth/invitation/<token>` and `/auth/reset/<token>` are written as `/auth/invitation/…`:
a log file is read by more people than a mailbox. Used by infra/gunicorn.conf.py; a proxy in
front must mask the same paths in its own log (README: Security).
"""

from __future__ import annotations

import re

from gunicorn.glogging import Logger

TOKEN_PATH = re.compile(r"(/auth/(?:invitation|reset)/)[^/?\s\"]+")


def mask(text: str) -> str:
    return TOKEN_PATH.sub(r"\1…", text)


class MaskingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        # The request line, the path, and the referrer (the page after a link names it).
        for key in ("r", "U", "f", "{referer}i", "{raw_uri}e"):
            if isinstance(atoms.get(key), str):
                atoms[key] = mask(atoms[key])
        return atoms
