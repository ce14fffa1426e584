"""The access log screen and its CSV export, for direction, DPO and administrators."""

import csv
from itertools import islice

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from dui import access_events, audit_labels, selectors
from dui.actor import actor_of
from dui.catalogue import CLASS_BY_CODE, READ
from dui.filters import AccessLogFilter
from dui.models import AccessAction, Channel, Metier
from dui.permissions import active_membership, can
from dui.selectors.access_log_pages import access_log_page

PAGE_SIZE = 50
PERSONS_SHOWN = 3
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
    """The document classes of these events the reader may read: only those get a detailed label."""
    return {
        code for code in {entry.document_class for entry in entries if entry.document_class} if can(actor, READ, code)
    }


def _events(rows, person_ids: set[int] | None) -> list[access_events.LogicalEvent]:
    """The events of these rows; when the journal is filtered by person, only that person's events
    (a list read naming other persons as well is found, but shows only what concerns the person)."""
    events = [event for row in rows for event in access_events.row_events(row)]
    if person_ids is None:
        return events
    return [event for event in events if event.usager_id in person_ids]


def _label(labels, event) -> str:
    return labels.get((event.object_type, event.object_id), f"{event.object_type} #{event.object_id}")


def _persons_named(events, names: dict[int, str]) -> str:
    """« Marthe LEFEBVRE, Paul BERNARD et 3 autres » for a list read's summary line."""
    persons = list(dict.fromkeys(names.get(event.usager_id, "") for event in events if event.usager_id))
    persons = [name for name in persons if name]
    if len(persons) > PERSONS_SHOWN:
        return ", ".join(persons[:PERSONS_SHOWN]) + f" et {len(persons) - PERSONS_SHOWN} autres"
    return ", ".join(persons)


@require_GET
@login_required
def access_log(request):
    """Newest first, a page at a time; a list read shows its count and persons, its objects on demand."""
    actor = actor_of(request)
    log_filter = _filtered_log(request)
    valid = not log_filter.is_bound or log_filter.is_valid()
    queryset = log_filter.qs if valid else log_filter.queryset.none()
    page = access_log_page(queryset, after=request.GET.get("apres"), size=PAGE_SIZE)
    events_by_row = {entry.pk: _events([entry], log_filter.person_ids) for entry in page.rows}
    singles = [events_by_row[entry.pk][0] for entry in page.rows if events_by_row[entry.pk] and not entry.object_ids]
    names = _usager_names(actor, [event.usager_id for events in events_by_row.values() for event in events])
    labels = audit_labels.object_labels(singles, names, _readable_classes(actor, singles))
    persons_filter = ",".join(str(pk) for pk in sorted(log_filter.person_ids or ()))
    rows = []
    for entry in page.rows:
        events = events_by_row[entry.pk]
        rows.append(
            {
                "entry": entry,
                "is_list": bool(entry.object_ids),
                "count": len(events),
                "object_label": _label(labels, events[0]) if events and not entry.object_ids else "",
                "persons": _persons_named(events, names),
                "metier": _metier_label(entry.metier),
                "document_class": _class_label(entry.document_class),
            }
        )
    return render(
        request,
        "dui/audit/log.html",
        {"filter": log_filter, "page": page, "rows": rows, "filters_valid": valid, "persons_filter": persons_filter},
    )


def _person_ids_param(value: str) -> set[int] | None:
    ids = {int(part) for part in value.split(",") if part.strip().isdigit()}
    return ids or None


@require_GET
@login_required
def access_log_items(request, pk: int):
    """The objects of one list read, when its line is opened (only the filtered persons' when filtered)."""
    actor = actor_of(request)
    actor.require(READ, "journal_acces")
    entry = selectors.access_log_for_user(actor).filter(pk=pk).first()
    if entry is None:
        raise Http404
    events = _events([entry], _person_ids_param(request.GET.get("usagers", "")))
    names = _usager_names(actor, [event.usager_id for event in events])
    labels = audit_labels.object_labels(events, names, _readable_classes(actor, events))
    context = {"entry": entry, "items": [_label(labels, event) for event in events]}
    template = "dui/audit/_items.html" if request.htmx else "dui/audit/items_page.html"
    return render(request, template, context)


class _Echo:
    def write(self, value):
        return value


def _csv_rows(actor, queryset, person_ids: set[int] | None):
    """One line per logical event, as when the log held one row per object; streamed by chunks of rows."""
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff" + writer.writerow(CSV_HEADERS)
    # One query for every reachable name rather than one per row.
    names = {usager.pk: str(usager) for usager in selectors.usagers_for_user(actor).iterator(chunk_size=2000)}
    rows = queryset.iterator(chunk_size=CSV_CHUNK)
    # Object labels per chunk: one query per object type and chunk, never one per row.
    while row_chunk := list(islice(rows, CSV_CHUNK)):
        chunk = _events(row_chunk, person_ids)
        labels = audit_labels.object_labels(chunk, names, _readable_classes(actor, chunk))
        for event in chunk:
            yield writer.writerow(
                (
                    timezone.localtime(event.at).strftime("%d/%m/%Y %H:%M:%S"),
                    event.username,
                    _metier_label(event.metier),
                    AccessAction(event.action).label if event.action in AccessAction.values else event.action,
                    Channel(event.channel).label if event.channel in Channel.values else event.channel,
                    _label(labels, event),
                    _class_label(event.document_class),
                    event.usager_id or "",
                    names.get(event.usager_id, ""),
                    event.detail,
                    event.ip or "",
                    event.object_type,
                    event.object_id,
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
    rows = _csv_rows(actor, log_filter.qs, log_filter.person_ids)
    response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
