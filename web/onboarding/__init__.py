from web.onboarding.views import bp

__all__ = ["bp"]
