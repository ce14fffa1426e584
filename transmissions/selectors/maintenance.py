"""Reads of technical requests: the requester's own ones, all of the ESSMS for the managers."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.utils import timezone

from dui import audit
from dui.actor import user_of
from dui.catalogue import WRITE
from dui.errors import NotFound, valid_pk
from dui.models import AccessAction
from dui.permissions import active_membership, can
from transmissions.models import MaintenanceRequest, MaintenanceStatusChange, RequestCategory, RequestStatus

# The matrix class of those who change the status of any request of the ESSMS (and so see them all):
# by default the technical team, the direction, the cadre de santé and the administrator.
MANAGER_CLASS = "gestion_demandes_techniques"


def is_maintenance_manager(actor) -> bool:
    return can(actor, WRITE, MANAGER_CLASS)


def maintenance_requests_for_user(actor) -> QuerySet[MaintenanceRequest]:
    """Requests of the active ESSMS the actor may see: all for the managers, else their own."""
    membership = active_membership(actor)
    if membership is None:
        return MaintenanceRequest.objects.none()
    qs = MaintenanceRequest.objects.filter(essms_id=membership.essms_id)
    if not is_maintenance_manager(actor):
        qs = qs.filter(requester=user_of(actor))
    return qs.select_related("requester")


def access_maintenance_request(actor, pk, *, log: bool = False) -> MaintenanceRequest:
    """The request if the actor may see it; NotFound when missing, of another ESSMS or someone else's.
    With `log`, the reading is logged (the page or the API shows it)."""
    found = maintenance_requests_for_user(actor).filter(pk=valid_pk(pk)).first()
    if found is None:
        raise NotFound
    if log:
        audit.log_access(actor, AccessAction.READ, found)
    return found


def maintenance_history(actor, *, maintenance_request: MaintenanceRequest) -> list[MaintenanceStatusChange]:
    """Every status change of a request the actor may see, oldest first."""
    access_maintenance_request(actor, maintenance_request.pk)
    return list(
        MaintenanceStatusChange.objects.filter(request=maintenance_request)
        .select_related("changed_by")
        .order_by("changed_at", "id")
    )


def may_see_statistics(actor) -> bool:
    return is_maintenance_manager(actor)


@dataclass
class StatsRow:
    category: str
    label: str
    counts: list[int]  # one per status, in RequestStatus order
    total: int


@dataclass
class YearStats:
    year: int
    statuses: list[tuple[str, str]]
    rows: list[StatsRow]
    totals: list[int]
    total: int


def year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    zone = timezone.get_current_timezone()
    return (
        datetime.datetime(year, 1, 1, tzinfo=zone),
        datetime.datetime(year + 1, 1, 1, tzinfo=zone),
    )


def maintenance_statistics(user, *, year: int) -> YearStats:
    """Requests created in the year (local time), counted by category × status: one aggregate query."""
    if not may_see_statistics(user):
        raise NotFound
    start, end = year_bounds(year)
    counts = {
        (row["category"], row["status"]): row["n"]
        for row in maintenance_requests_for_user(user)
        .filter(created_at__gte=start, created_at__lt=end)
        .order_by()
        .values("category", "status")
        .annotate(n=Count("id"))
    }
    statuses = list(RequestStatus.choices)
    rows = []
    for code, label in RequestCategory.choices:
        line = [counts.get((code, status), 0) for status, _ in statuses]
        rows.append(StatsRow(category=code, label=label, counts=line, total=sum(line)))
    totals = [sum(row.counts[i] for row in rows) for i in range(len(statuses))]
    return YearStats(year=year, statuses=statuses, rows=rows, totals=totals, total=sum(totals))
