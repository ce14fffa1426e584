"""Event screens: record a seizure, a fall, an incident or a behaviour disorder (one tablet page
per kind), list the events, and print a person's relevé over a period (PDF or CSV)."""

import csv
import datetime
import io
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from dui import selectors
from dui.actor import actor_of
from dui.catalogue import READ
from dui.errors import NotFound
from dui.models import Metier
from dui.permissions import active_membership
from dui.selectors.catalogue_kinds import event_kind_offered, event_kinds_offered
from dui.services.common import ARCHIVED_MESSAGE
from dui.views.service_errors import show_service_error
from transmissions.forms_events import FORMS, SEIZURE_TYPES
from transmissions.models import Event, EventKind
from transmissions.selectors import events as event_selectors
from transmissions.services import events as event_services
from transmissions.services.events import format_duration

PAGE_SIZE = 50
DEFAULT_RELEVE_DAYS = 90
SERVICES = {
    EventKind.EPILEPSIE: event_services.event_record_epilepsy,
    EventKind.CHUTE: event_services.event_record_fall,
    EventKind.INCIDENT: event_services.event_record_incident,
    EventKind.COMPORTEMENT: event_services.event_record_incident,
}
SUCCESS = {
    EventKind.EPILEPSIE: (
        "Crise d'épilepsie enregistrée le {when} pour {usager} ; elle figure aussi dans les transmissions."
    ),
    EventKind.CHUTE: "Chute enregistrée le {when} pour {usager} ; elle figure aussi dans les transmissions.",
    EventKind.INCIDENT: "Incident enregistré le {when} pour {usager} ; il figure aussi dans les transmissions.",
    EventKind.COMPORTEMENT: (
        "Trouble du comportement enregistré le {when} pour {usager} ; il figure aussi dans les transmissions."
    ),
}
METIER_LABELS = dict(Metier.choices)


def _usager_from(actor, raw: str | None, *, required: bool):
    """The person named by ?usager= (404 when missing, malformed or out of reach)."""
    raw = (raw or "").strip()
    if not raw:
        if required:
            raise NotFound
        return None
    if not raw.isdigit() or len(raw) > 18:
        raise NotFound
    return selectors.access_usager(actor.user, pk=int(raw))


def _list_url(usager=None, **params) -> str:
    query = {"usager": usager.pk} if usager else {}
    query |= {key: value for key, value in params.items() if value}
    url = reverse("event-list")
    return f"{url}?{urlencode(query)}" if query else url


@login_required
def event_create(request, kind: str):
    if kind not in EventKind.values:
        raise NotFound
    actor = actor_of(request)
    usager = _usager_from(actor, request.GET.get("usager") or request.POST.get("usager"), required=True)
    if not event_selectors.can_record_events(actor):
        raise NotFound
    if usager.archived_at is not None:
        messages.error(request, ARCHIVED_MESSAGE)
        return redirect(_list_url(usager))
    if not event_kind_offered(actor.user, kind, usager):
        messages.error(
            request,
            f"« {EventKind(kind).label} » n'est pas proposé dans cet établissement pour {usager} "
            "(catalogue de votre organisme, ou épilepsie non renseignée dans ses antécédents).",
        )
        return redirect(_list_url(usager))
    form_class = FORMS[kind]
    form = form_class(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        try:
            event = SERVICES[kind](actor, usager=usager, **form.service_kwargs())
        except PermissionDenied:
            raise NotFound from None
        except ValidationError as error:
            show_service_error(form, error, field_map=form.field_of)
        else:
            when = timezone.localtime(event.occurred_at)
            messages.success(request, SUCCESS[kind].format(when=f"{when:%d/%m/%Y à %H:%M}", usager=usager))
            return redirect(_list_url(usager))
    context = {
        "usager": usager,
        "kind": kind,
        "kind_label": EventKind(kind).label,
        "kinds": event_kinds_offered(actor.user, EventKind.choices, usager),
        "form": form,
        "seizure_types": SEIZURE_TYPES if kind == EventKind.EPILEPSIE else (),
    }
    return render(request, "transmissions/events/form.html", context)


def _rows(events) -> list[dict]:
    """What the list, the PDF and the CSV show of each event (no query: everything is selected)."""
    rows = []
    for event in events:
        transmission = event.transmission
        rows.append(
            {
                "event": event,
                "when": timezone.localtime(event.occurred_at),
                "kind": event.get_kind_display(),
                "duration": format_duration(event.duration_seconds),
                "seizure_type": event.seizure_type,
                "place": event.place,
                "circumstances": event.circumstances,
                "consequences": event.consequences,
                "treatment": event.treatment_given,
                "severity": event.get_severity_display() if event.severity else "",
                "author_metier": METIER_LABELS.get(transmission.author_metier, transmission.author_metier),
            }
        )
    return rows


@login_required
def event_list(request):
    actor = actor_of(request)
    usager = _usager_from(actor, request.GET.get("usager"), required=False)
    errors: list[str] = []
    kinds: list[str] = []
    first = last = None
    try:
        kinds = event_selectors.parse_kinds(request.GET.getlist("kind"))
    except ValidationError as error:
        errors.extend(error.messages)
    try:
        first, last = event_selectors.parse_period(request.GET.get("du"), request.GET.get("au"), required=False)
    except ValidationError as error:
        errors.extend(error.messages)
    qs = event_selectors.filter_events(
        event_selectors.events_for_user(actor), usager=usager, kinds=kinds, first=first, last=last
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    events = list(page.object_list)
    event_selectors.events_shown(actor, events, detail="liste des événements")
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "usager": usager,
        "rows": _rows(events),
        "page": page,
        "query": params.urlencode(),
        "errors": errors,
        "kinds": EventKind.choices,
        "record_kinds": event_kinds_offered(actor.user, EventKind.choices, usager) if usager else [],
        "selected_kinds": kinds,
        "du": request.GET.get("du", ""),
        "au": request.GET.get("au", ""),
        "can_record": usager is not None and usager.archived_at is None and event_selectors.can_record_events(actor),
    }
    return render(request, "transmissions/events/list.html", context)


# ---------- Relevé ----------

CSV_HEADERS = [
    "Date",
    "Heure",
    "Type d'événement",
    "Durée (secondes)",
    "Durée",
    "Type de crise",
    "Lieu",
    "Circonstances",
    "Conséquences",
    "Traitement administré",
    "Gravité",
    "Métier de l'auteur",
]


def _csv_safe(value: str) -> str:
    """Neutralise spreadsheet formulas (a cell starting with = + - @)."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _releve_csv(rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADERS)
    for row in rows:
        event = row["event"]
        writer.writerow(
            [
                f"{row['when']:%d/%m/%Y}",
                f"{row['when']:%H:%M}",
                row["kind"],
                "" if event.duration_seconds is None else str(event.duration_seconds),
                row["duration"],
                *(
                    _csv_safe(row[key])
                    for key in ("seizure_type", "place", "circumstances", "consequences", "treatment", "severity")
                ),
                row["author_metier"],
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _releve_pdf(request, context) -> bytes:
    import weasyprint  # imported here: only the PDF needs Pango

    html = render_to_string("pdf/releve.html", context, request=request)
    return weasyprint.HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()


def _bad_request(request, usager, message: str, form_values: dict) -> HttpResponse:
    context = {"usager": usager, "errors": [message], "kinds": EventKind.choices, **form_values}
    return render(request, "transmissions/events/releve_form.html", context, status=400)


@login_required
def releve(request):
    actor = actor_of(request)
    usager = _usager_from(actor, request.GET.get("usager"), required=True)
    actor.require(READ, Event.document_class_code)
    output = request.GET.get("format", "").strip().lower()
    family_only = request.GET.get("famille") == "1"
    form_values = {
        "du": request.GET.get("du", ""),
        "au": request.GET.get("au", ""),
        "selected_kinds": request.GET.getlist("kind"),
        "family_only": family_only,
    }
    if not output:
        today = timezone.localdate()
        form_values["du"] = form_values["du"] or (today - datetime.timedelta(days=DEFAULT_RELEVE_DAYS)).isoformat()
        form_values["au"] = form_values["au"] or today.isoformat()
        context = {"usager": usager, "errors": [], "kinds": EventKind.choices, **form_values}
        return render(request, "transmissions/events/releve_form.html", context)
    if output not in ("pdf", "csv"):
        return _bad_request(request, usager, "Format inconnu : PDF ou CSV.", form_values)
    try:
        kinds = event_selectors.parse_kinds(request.GET.getlist("kind"))
        first, last = event_selectors.parse_period(request.GET.get("du"), request.GET.get("au"), required=True)
    except ValidationError as error:
        return _bad_request(request, usager, " ".join(error.messages), form_values)
    events = event_selectors.releve_events(
        actor, usager=usager, kinds=kinds, first=first, last=last, family_only=family_only, output=output
    )
    rows = _rows(events)
    filename = f"releve-evenements-{slugify(str(usager))}-{first:%Y%m%d}-{last:%Y%m%d}.{output}"
    if output == "csv":
        response = HttpResponse(_releve_csv(rows), content_type="text/csv; charset=utf-8")
    else:
        membership = active_membership(actor)
        context = {
            "usager": usager,
            "essms": membership.essms,
            "first": first,
            "last": last,
            "printed_at": timezone.localtime(),
            "printed_by": actor.user.get_full_name() or actor.user.get_username(),
            "printed_by_metier": membership.get_metier_display(),
            "kinds_label": ", ".join(EventKind(kind).label for kind in kinds) if kinds else "",
            "family_only": family_only,
            "summary": [
                {
                    "label": item.label,
                    "count": item.count,
                    "total": format_duration(item.total_seconds),
                    "mean": format_duration(item.mean_seconds),
                    "has_durations": item.kind == EventKind.EPILEPSIE,
                }
                for item in event_selectors.summarise(events)
            ],
            "rows": rows,
        }
        response = HttpResponse(_releve_pdf(request, context), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
