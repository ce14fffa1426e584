"""Pilotage reads on a PostgreSQL read replica when one is configured (DATABASE_REPLICA_URL).

Pilotage screens, exports and API read a lot (indicators over years, a whole OG) and write
nothing but the access log: a streaming replica a few seconds behind serves them and leaves
the primary to the wards. Without DATABASE_REPLICA_URL every read stays on `default`.

- Reads of the pilotage app's models go to `replica`.
- So do all reads of a GET to a pilotage view (PilotageReplicaMiddleware), whatever the models.
- Writes (the access log included) always go to `default`; migrations run on `default` only.
"""

import contextvars
from contextlib import contextmanager

from django.conf import settings

DEFAULT, REPLICA = "default", "replica"
PILOTAGE_APPS = frozenset({"pilotage"})
_replica_reads = contextvars.ContextVar("replica_reads", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def replica_reads():
    """Every read in this block goes to the replica (when there is one)."""
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)


class PilotageReplicaRouter:
    def db_for_read(self, model, **hints):
        if replica_configured() and (_replica_reads.get() or model._meta.app_label in PILOTAGE_APPS):
            return REPLICA
        return None  # Django's default: the instance's own database, else `default`

    def db_for_write(self, model, **hints):
        return DEFAULT

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT


class PilotageReplicaMiddleware:
    """GET and HEAD of the pilotage app's views (pages, exports, API) read from the replica."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        finally:
            token = getattr(request, "_replica_token", None)
            if token is not None:
                _replica_reads.reset(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        module = getattr(view_func, "__module__", "") or ""
        if request.method in ("GET", "HEAD") and replica_configured() and module.split(".")[0] in PILOTAGE_APPS:
            request._replica_token = _replica_reads.set(True)
