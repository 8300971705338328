from web.members.views import bp

__all__ = ["bp"]
