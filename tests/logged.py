"""`logged_events(**filters)`: the access log as one event per object, as tests read it.

A list read is one row naming its objects (dui.audit); tests that check "this object was logged"
filter the logical events: `object_id` and `usager_id` (which a list row may hold several of) are
matched per event, every other filter is a plain filter on the rows.
"""

from dui.access_events import LogicalEvent, logical_events
from dui.models import AccessLog

PER_EVENT = ("object_id", "usager_id")


def _matches(event: LogicalEvent, key: str, expected) -> bool:
    field, _, lookup = key.partition("__")
    value = getattr(event, field)
    if field == "object_id":
        expected = [str(item) for item in expected] if lookup == "in" else str(expected)
    if lookup == "in":
        return value in expected
    if lookup:
        raise ValueError(f"lookup {lookup} not supported per event")
    return value == expected


def logged_events(**filters) -> list[LogicalEvent]:
    per_event = {key: filters.pop(key) for key in list(filters) if key.partition("__")[0] in PER_EVENT}
    events = logical_events(AccessLog.objects.filter(**filters).order_by("id"))
    return [event for event in events if all(_matches(event, key, value) for key, value in per_event.items())]
