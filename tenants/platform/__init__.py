"""Platform models: everything shared by the deployment, in the `platform` schema."""

from tenants.platform.accounts import Membership, Role, Token, User
from tenants.platform.agreements import Agreement
from tenants.platform.audit import AuditEntry
from tenants.platform.invitations import Invitation
from tenants.platform.ledger import LedgerEntry
from tenants.platform.regions import Province, Regency
from tenants.platform.tenancy import Tenant, TenantEvent, TenantStatus

__all__ = [
    "Agreement",
    "AuditEntry",
    "Invitation",
    "LedgerEntry",
    "Membership",
    "Province",
    "Regency",
    "Role",
    "Tenant",
    "TenantEvent",
    "TenantStatus",
    "Token",
    "User",
]
