"""The verbs of a lab (inside its tenant scope), one module per area: ideas and their stage
moves, action plans, coaching, the RPJMD, commitments and launches. Each checks its rules,
records the change in the idea's history and the lab's audit log, and leaves the commit to
its caller (LAN's summary of the lab is recounted after the commit: `tenants.lab.summary`)."""
