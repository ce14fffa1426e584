"""The access log screen and its CSV export, for direction, DPO and administrators."""

import csv
from itertools import islice

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.decorators.http import require_GET

from dui import audit_labels, selectors
from dui.actor import actor_of
from dui.catalogue import CLASS_BY_CODE, READ
from dui.filters import AccessLogFilter
from dui.models import Metier
from dui.permissions import active_membership, can

PAGE_SIZE = 50
CSV_CHUNK = 2000
CSV_HEADERS = (
    "Date",
    "Utilisateur",
    "Métier",
    "Action",
    "Canal",
    "Objet",
    "Classe",
    "N° usager",
    "Usager",
    "Détail",
    "Adresse IP",
    "Type d'objet",
    "N° objet",
)


class CappedPaginator(Paginator):
    """Counts at most COUNT_CAP rows: an exact COUNT(*) over years of log costs more than the page."""

    COUNT_CAP = 10_000

    @cached_property
    def count(self) -> int:
        return self.object_list[: self.COUNT_CAP + 1].count()

    @property
    def is_capped(self) -> bool:
        return self.count > self.COUNT_CAP


def _metier_label(code: str) -> str:
    return Metier(code).label if code in Metier.values else code


def _class_label(code: str) -> str:
    spec = CLASS_BY_CODE.get(code)
    return spec.label if spec else code


def _filtered_log(request) -> AccessLogFilter:
    actor = actor_of(request)
    actor.require(READ, "journal_acces")
    return AccessLogFilter(request.GET or None, queryset=selectors.access_log_for_user(actor), request=request)


def _usager_names(actor, usager_ids) -> dict[int, str]:
    """Names of the log's usagers, for users who may read identities (one query)."""
    ids = {pk for pk in usager_ids if pk is not None}
    if not ids:
        return {}
    return {usager.pk: str(usager) for usager in selectors.usagers_for_user(actor).filter(pk__in=ids)}


def _readable_classes(actor, entries) -> set[str]:
    """The document classes of these rows the reader may read: only those get a detailed label."""
    return {
        code for code in {entry.document_class for entry in entries if entry.document_class} if can(actor, READ, code)
    }


@require_GET
@login_required
def access_log(request):
    actor = actor_of(request)
    log_filter = _filtered_log(request)
    valid = not log_filter.is_bound or log_filter.is_valid()
    queryset = log_filter.qs if valid else log_filter.queryset.none()
    page = CappedPaginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    entries = list(page.object_list)
    names = _usager_names(actor, [row.usager_id for row in entries])
    labels = audit_labels.object_labels(entries, names, _readable_classes(actor, entries))
    rows = [
        {
            "entry": entry,
            "object_label": labels.get((entry.object_type, entry.object_id), f"{entry.object_type} #{entry.object_id}"),
            "metier": _metier_label(entry.metier),
            "document_class": _class_label(entry.document_class),
            "usager_name": names.get(entry.usager_id, ""),
        }
        for entry in entries
    ]
    return render(
        request,
        "dui/audit/log.html",
        {"filter": log_filter, "page": page, "rows": rows, "filters_valid": valid},
    )


class _Echo:
    def write(self, value):
        return value


def _csv_rows(actor, queryset):
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff" + writer.writerow(CSV_HEADERS)
    # One query for every reachable name rather than one per row.
    names = {usager.pk: str(usager) for usager in selectors.usagers_for_user(actor).iterator(chunk_size=2000)}
    rows = queryset.iterator(chunk_size=CSV_CHUNK)
    # Object labels per chunk: one query per object type and chunk, never one per row.
    while chunk := list(islice(rows, CSV_CHUNK)):
        labels = audit_labels.object_labels(chunk, names, _readable_classes(actor, chunk))
        for entry in chunk:
            yield writer.writerow(
                (
                    timezone.localtime(entry.at).strftime("%d/%m/%Y %H:%M:%S"),
                    entry.username,
                    _metier_label(entry.metier),
                    entry.get_action_display(),
                    entry.get_channel_display(),
                    labels.get((entry.object_type, entry.object_id), f"{entry.object_type} #{entry.object_id}"),
                    _class_label(entry.document_class),
                    entry.usager_id or "",
                    names.get(entry.usager_id, ""),
                    entry.detail,
                    entry.ip or "",
                    entry.object_type,
                    entry.object_id,
                )
            )


@require_GET
@login_required
def access_log_csv(request):
    log_filter = _filtered_log(request)
    if log_filter.is_bound and not log_filter.is_valid():
        messages = [str(error) for errors in log_filter.errors.values() for error in errors]
        return HttpResponseBadRequest(
            "Filtres invalides : " + " ".join(messages), content_type="text/plain; charset=utf-8"
        )
    actor = actor_of(request)
    essms = active_membership(actor).essms
    filename = f"journal-acces-{essms.finess}-{timezone.localdate():%Y-%m-%d}.csv"
    response = StreamingHttpResponse(_csv_rows(actor, log_filter.qs), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
