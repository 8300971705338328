"""Operating a deployment: readiness checks, per-tenant backup and restore."""
