"""The periodic dispatcher: asks the database what is due and enqueues it.

Redis may lose its queues; the next run rebuilds what is due from the database. Two
dispatchers may run at once: a Redis lock lets one through per round, and every job id is
derived from what it does, so a job already queued is not queued again.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable

from flask import Flask
from redis.exceptions import LockError

from jobs.finders import FINDERS
from jobs.queues import redis
from tenants.db import db

log = logging.getLogger(__name__)


def dispatch_once(finders: Iterable[Callable[[], int]] = FINDERS) -> dict[str, int]:
    """One round: every finder, under a lock so concurrent dispatchers do not overlap."""
    lock = redis().lock("labinov:dispatcher", timeout=300, blocking=False)
    if not lock.acquire():
        return {}
    try:
        counts = {}
        for find in finders:
            try:
                counts[find.__name__] = find()
            except Exception:  # one area failing must not starve the others
                log.exception("dispatcher finder %s failed", find.__name__)
                db.session.rollback()
                counts[find.__name__] = -1
        return counts
    finally:
        db.session.remove()
        try:
            lock.release()
        except LockError:
            log.warning("dispatcher lock expired before the round ended")


def run_forever(app: Flask, every: float) -> None:
    while True:
        with app.app_context():
            counts = dispatch_once()
        if counts:
            log.info("dispatched %s", counts)
        time.sleep(every)
