from web.lan import audit, onboarding, regions, tenants  # noqa: F401 - their routes
from web.lan.views import bp

__all__ = ["bp"]
