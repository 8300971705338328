"""The fixtures, as plugins under tests/fixtures/. Everything is real: PostgreSQL, Redis,
SMTP (aiosmtpd), S3 (moto's server mode), the RQ worker and headless Chromium.

`TEST_DATABASE_URL` names a PostgreSQL server (any database on it); each run creates and
drops a database of its own there, so runs may overlap.
"""

pytest_plugins = [
    "fixtures.services",
    "fixtures.mail",
    "fixtures.database",
    "fixtures.app",
    "fixtures.world",
    "fixtures.browser",
]
