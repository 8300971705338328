"""The data layer and tenancy core: engines and sessions, platform and lab models,
provisioning and the migration runner. Imports neither `web` nor `jobs`."""
