"""People and their roles: a tenant's members (Bappeda) and LAN's own staff."""

from web.people.lan import bp as lan_bp
from web.people.tenant import bp

__all__ = ["bp", "lan_bp"]
