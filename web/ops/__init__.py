"""Operations in the web tier: /healthz, /readyz and /metrics in front of the app
(`endpoints`, `metrics`), and LAN's job monitor (`views`)."""

from flask import Flask

from web.ops import endpoints, metrics
from web.ops.views import bp


def init_app(app: Flask) -> None:
    """The operator paths go outermost, before any proxy handling or request hook."""
    metrics.init_app(app)
    app.wsgi_app = endpoints.OpsEndpoints(app, app.wsgi_app)


__all__ = ["bp", "init_app"]
