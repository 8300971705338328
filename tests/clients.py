"""The test client every test uses: one app context per request, as in production."""

from __future__ import annotations

from flask import Flask
from flask.globals import _cv_app
from flask.testing import FlaskClient


class RequestClient(FlaskClient):
    """Each request in an app context, and so a Session and a `g`, of its own.

    Flask would otherwise reuse the context a test has pushed (the `ctx` fixture's), handing
    the request the test's own Session, perhaps with a transaction already open.
    """

    def open(self, *args, **kwargs):
        if self.preserve_context:
            return super().open(*args, **kwargs)
        token = _cv_app.set(None)
        try:
            return super().open(*args, **kwargs)
        finally:
            _cv_app.reset(token)


def request_client(app: Flask) -> RequestClient:
    return RequestClient(app, app.response_class, use_cookies=True)
