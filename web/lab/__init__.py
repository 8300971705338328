from web.lab import audit  # noqa: F401 - its routes
from web.lab.views import bp

__all__ = ["bp"]
