"""Background work on RQ: queues, the tenant-aware job wrapper, mail, storage, the dispatcher.

Imports `tenants`, never `web`."""
