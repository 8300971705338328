from web.lab.views import bp

__all__ = ["bp"]
