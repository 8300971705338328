"""Reading a lab's records (inside its tenant scope), one module per area."""
