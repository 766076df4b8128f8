"""Shared test set-up. Tests run against the real PostgreSQL (DATABASE_URL) and Redis (REDIS_URL).

Fixtures live in plugin modules so each area can own its file without editing this one.
"""

pytest_plugins = [
    "tests.fixtures.personas",
]
