"""The one way an operation says no to a person.

Every feature's operations raise `Refused` with a message for the reader (already in their
language) and, where it belongs to one input, the name of that field; the web tier shows it
beside the form, the CLI prints it, and nothing the operation began is kept.
"""

from __future__ import annotations


class Refused(ValueError):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
