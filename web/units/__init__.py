from web.units.views import bp

__all__ = ["bp"]
