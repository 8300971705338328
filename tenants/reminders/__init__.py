"""Deadline reminders: what is due for whom, the tenant's settings, each person's choices and
the ledger of every reminder (claimed before it is sent, marked after)."""
