from web.account.views import bp

__all__ = ["bp"]
