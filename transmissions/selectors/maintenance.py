"""Reads of technical requests: the requester's own ones, all of the ESSMS for the managers."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils import timezone

from dui.permissions import active_membership
from transmissions.models import MaintenanceRequest, MaintenanceStatusChange, RequestCategory, RequestStatus
from transmissions.services.maintenance import MAINTENANCE_MANAGERS


def maintenance_requests_for_user(user) -> QuerySet[MaintenanceRequest]:
    """Requests of the active ESSMS the user may see: all for the managers, else their own."""
    membership = active_membership(user)
    if membership is None:
        return MaintenanceRequest.objects.none()
    qs = MaintenanceRequest.objects.filter(essms_id=membership.essms_id)
    if membership.metier not in MAINTENANCE_MANAGERS:
        qs = qs.filter(requester=user)
    return qs.select_related("requester")


def access_maintenance_request(*, user, pk) -> MaintenanceRequest:
    """The request if the user may see it; 404 when missing, of another ESSMS or someone else's."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 0 < pk < 2**63:
        raise Http404
    found = maintenance_requests_for_user(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def maintenance_history(*, user, maintenance_request: MaintenanceRequest) -> list[MaintenanceStatusChange]:
    """Every status change of a request the user may see, oldest first."""
    access_maintenance_request(user=user, pk=maintenance_request.pk)
    return list(
        MaintenanceStatusChange.objects.filter(request=maintenance_request)
        .select_related("changed_by")
        .order_by("changed_at", "id")
    )


def may_see_statistics(user) -> bool:
    membership = active_membership(user)
    return membership is not None and membership.metier in MAINTENANCE_MANAGERS


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


def maintenance_statistics(*, user, year: int) -> YearStats:
    """Requests created in the year (local time), counted by category × status: one aggregate query."""
    if not may_see_statistics(user):
        raise Http404
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
