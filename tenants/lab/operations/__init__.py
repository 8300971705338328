"""The verbs of a lab (inside its tenant scope), one module per area: ideas and their stage
moves, action plans, coaching, the RPJMD, commitments and launches. Each checks its rules,
records the change in the idea's history and the lab's audit log, keeps the cohort summary
current, and leaves the commit to its caller."""
