"""Cohorts: LAN runs the labs of several regions together through the 5D stages."""
