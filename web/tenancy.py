"""Resolving the tenant from the URL before anything touches tenant data.

Tenant URLs start with the tenant's slug (`/kab-probolinggo/...`). The slug is taken out of
the view arguments by a URL value preprocessor, which runs before every other request hook:
unknown tenants get 404, suspended and archived ones a clear page, and only an active tenant
binds the request's Session to its schema.
"""

from __future__ import annotations

from contextlib import ExitStack

from flask import Flask, abort, current_app, g, render_template
from werkzeug.exceptions import HTTPException
from werkzeug.routing import BaseConverter

from tenants import registry
from tenants.registry import TenantStatus
from tenants.scope import TenantRef, tenant_scope


class TenantConverter(BaseConverter):
    # Slugs are derived from the regency's kind, so they never shadow /lan, /auth, /static.
    regex = r"(?:kab|kota)-[a-z0-9]+(?:-[a-z0-9]+)*"


class TenantUnavailable(HTTPException):
    """A suspended or archived tenant: a page that says so, and no tenant query."""

    def __init__(self, tenant: TenantRef):
        super().__init__()
        self.tenant = tenant
        self.code = 410 if tenant.status == TenantStatus.ARCHIVED else 403

    def get_response(self, environ=None, scope=None):
        html = render_template("tenant_unavailable.html", tenant=self.tenant)
        return current_app.response_class(html, status=self.code, mimetype="text/html")


def _enter(endpoint, values):
    if not values or "tenant" not in values:
        return
    slug = values.pop("tenant")
    tenant = registry.resolve(slug)
    if tenant is None or tenant.status not in (
            TenantStatus.ACTIVE, TenantStatus.SUSPENDED, TenantStatus.ARCHIVED):
        abort(404)
    g.tenant = tenant
    if tenant.status != TenantStatus.ACTIVE:
        raise TenantUnavailable(tenant)
    g.tenant_scope = ExitStack()
    g.tenant_scope.enter_context(tenant_scope(tenant))


def _leave(exc):
    stack = g.pop("tenant_scope", None)
    if stack is not None:
        stack.close()


def _inject(endpoint, values):
    tenant = g.get("tenant")
    if (tenant is not None and "tenant" not in values
            and current_app.url_map.is_endpoint_expecting(endpoint, "tenant")):
        values["tenant"] = tenant.slug


def init_app(app: Flask) -> None:
    app.url_map.converters["tenant"] = TenantConverter
    app.url_value_preprocessor(_enter)
    app.url_defaults(_inject)
    app.teardown_request(_leave)
