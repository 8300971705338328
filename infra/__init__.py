"""The dev runner, private services and deployment recipes (not part of the installed package)."""
