"""Every feature's models, imported once: the one list for the app, provisioning and both
migration environments. A model's schema comes from its base class (`PlatformModel` or
`TenantModel`), never from the folder it lives in.
"""

from tenants.accounts.models import Invitation, Membership, Role, Token, User
from tenants.audit.models import AuditEntry, LabAuditEntry
from tenants.cohorts.models import (
    Cohort,
    CohortCoach,
    CohortStage,
    Enrolment,
    LabSummary,
    StageShift,
)
from tenants.lab.models import (
    Attachment,
    Comment,
    Commitment,
    Idea,
    IdeaEvent,
    Launch,
    Milestone,
    MilestoneNote,
    Regulation,
    RpjmdIndicator,
    RpjmdPeriod,
    RpjmdPriority,
)
from tenants.onboarding.models import Agreement
from tenants.outbox import LedgerEntry
from tenants.regions.models import Province, Regency
from tenants.registry import Tenant, TenantEvent
from tenants.reminders.models import (
    AgreementReminder,
    ReminderDelivery,
    ReminderPreference,
    ReminderSettings,
)
from tenants.units.models import Person, Unit

__all__ = [
    "Agreement",
    "AgreementReminder",
    "Attachment",
    "AuditEntry",
    "Cohort",
    "CohortCoach",
    "CohortStage",
    "Comment",
    "Commitment",
    "Enrolment",
    "Idea",
    "IdeaEvent",
    "Invitation",
    "LabAuditEntry",
    "LabSummary",
    "Launch",
    "LedgerEntry",
    "Membership",
    "Milestone",
    "MilestoneNote",
    "Person",
    "Province",
    "Regency",
    "Regulation",
    "ReminderDelivery",
    "ReminderPreference",
    "ReminderSettings",
    "Role",
    "RpjmdIndicator",
    "RpjmdPeriod",
    "RpjmdPriority",
    "StageShift",
    "Tenant",
    "TenantEvent",
    "Token",
    "Unit",
    "User",
]
