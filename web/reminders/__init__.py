from web.reminders.views import bp, lan_bp

__all__ = ["bp", "lan_bp"]
