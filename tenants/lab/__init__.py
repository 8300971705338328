"""Per-tenant lab models. Their tables exist only inside tenant schemas."""

from tenants.lab.audit import LabAuditEntry
from tenants.lab.people import Person
from tenants.lab.units import Unit, UnitKind

__all__ = ["LabAuditEntry", "Person", "Unit", "UnitKind"]
