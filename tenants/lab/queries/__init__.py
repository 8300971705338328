"""Reading a lab (inside its tenant scope), one module per area: what pages, dashboards and
forms of other areas ask of it."""
