from web.lan.views import bp

__all__ = ["bp"]
