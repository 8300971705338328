"""Onboarding a regency through its MoU and PKS, and the tenant's lifecycle after that."""
