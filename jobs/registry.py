"""Imports every module that registers dispatcher finders."""

import jobs.invitations  # owed invitation emails (registers the mail kind)
import jobs.mail  # owed emails whose job Redis lost
import jobs.onboarding  # tenants left in provisioning
import jobs.passwords  # noqa: F401 - owed password-reset emails (registers the mail kind)
