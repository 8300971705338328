"""/healthz, /readyz and /metrics, answered in front of the Flask app.

Load balancers and Prometheus call these by address, over plain HTTP, without cookies, many
times a minute. They are answered before any of the app's request machinery runs: no
session, no sign-in lookup, no CSRF, no rate limit, no HTTPS redirect and no host-name check
(a probe names the machine, not `BASE_URL`). They reveal nothing but ok / fail per check.
"""

from __future__ import annotations

import hmac
import json
import logging
import time
from functools import lru_cache

from flask import Flask
from redis import Redis

from tenants.config import settings_of
from tenants.db import db
from tenants.ops.health import database_checks, storage_check
from tenants.storage import storage

log = logging.getLogger(__name__)

STARTED = "labinov.started"  # environ key: when the request reached the app (metrics)
HEADERS = [("Cache-Control", "no-store"), ("X-Content-Type-Options", "nosniff")]


@lru_cache(maxsize=4)
def _probe_redis(url: str) -> Redis:
    # Short timeouts: a probe must answer even when Redis does not.
    return Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)


def redis_check(url: str) -> bool:
    try:
        return bool(_probe_redis(url).ping())
    except Exception:
        log.warning("readiness: Redis did not answer", exc_info=True)
        return False


def readiness(app: Flask) -> dict[str, bool]:
    with app.app_context():
        checks = database_checks(db.engine)
        checks["redis"] = redis_check(settings_of(app).redis_url)
        checks["storage"] = storage_check(storage())
    return checks


def bearer_matches(environ, token: str) -> bool:
    header = environ.get("HTTP_AUTHORIZATION", "")
    scheme, _, given = header.partition(" ")
    return (bool(token) and scheme.lower() == "bearer"
            and hmac.compare_digest(given.strip().encode(), token.encode()))


class OpsEndpoints:
    """WSGI middleware: the three operator paths, everything else to the app (timed)."""

    def __init__(self, app: Flask, wsgi_app):
        self.app = app
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path not in ("/healthz", "/readyz", "/metrics"):
            environ[STARTED] = time.perf_counter()
            return self.wsgi_app(environ, start_response)
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return self._send(start_response, 405, b"method not allowed\n", "text/plain",
                              [("Allow", "GET, HEAD")])
        if path == "/healthz":
            return self._json(start_response, 200, {"status": "ok"})
        if path == "/readyz":
            checks = readiness(self.app)
            ok = all(checks.values())
            return self._json(start_response, 200 if ok else 503, {
                "status": "ok" if ok else "fail",
                "checks": {name: "ok" if good else "fail" for name, good in checks.items()}})
        # /metrics: only for the bearer of METRICS_TOKEN; for anyone else it is not there.
        if not bearer_matches(environ, settings_of(self.app).metrics_token):
            return self._send(start_response, 404, b"not found\n", "text/plain")
        from web.ops.metrics import exposition

        body, content_type = exposition(self.app)
        return self._send(start_response, 200, body, content_type)

    def _json(self, start_response, status: int, data: dict):
        return self._send(start_response, status, json.dumps(data).encode() + b"\n",
                          "application/json")

    def _send(self, start_response, status: int, body: bytes, content_type: str,
              extra: list | None = None):
        reason = {200: "OK", 404: "NOT FOUND", 405: "METHOD NOT ALLOWED",
                  503: "SERVICE UNAVAILABLE"}[status]
        start_response(f"{status} {reason}", [("Content-Type", content_type),
                                              ("Content-Length", str(len(body))),
                                              *HEADERS, *(extra or [])])
        return [body]
