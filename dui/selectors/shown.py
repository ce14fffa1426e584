"""What an API answer shows, logged as read with the actor: a page of rows, or one row.

The API views paginate the scoped querysets of the selectors, then hand the page here before
serialising it, so that every row answered has its READ row in the access log.
"""

from dui import audit
from dui.models import AccessAction


def rows_shown(actor, rows, *, detail: str = "") -> list:
    rows = list(rows)
    audit.log_reads(actor, rows, detail=detail)
    return rows


def row_shown(actor, obj, *, detail: str = ""):
    audit.log_access(actor, AccessAction.READ, obj, detail=detail)
    return obj
