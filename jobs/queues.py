"""Redis connection and queues. Redis only carries work; the database is the source of truth."""

from __future__ import annotations

from functools import lru_cache

from flask import current_app
from redis import Redis
from rq import Queue, Retry

from tenants.app import settings_of

DEFAULT = "default"
MAIL = "mail"
QUEUES = (DEFAULT, MAIL)

# Transient failures (SMTP down, storage blip) are retried before a job is reported failed.
RETRY = Retry(max=3, interval=[10, 60, 300])


@lru_cache(maxsize=4)
def _redis(url: str) -> Redis:
    return Redis.from_url(url)


def redis() -> Redis:
    return _redis(settings_of(current_app).redis_url)


def queue(name: str = DEFAULT) -> Queue:
    return Queue(name, connection=redis())
