from web.cohorts import freshness
from web.cohorts.views import bp

__all__ = ["bp", "freshness"]
