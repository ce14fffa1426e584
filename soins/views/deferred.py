"""« Saisie différée »: entering afterwards, with their real time, the validations noted on paper while the
DUI or the network was down. Thin: the list is a selector, the write is the worklist's validation service
(with deferred=True), so every rule of a validation applies."""

import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from dui.actor import actor_of
from dui.errors import NotFound
from dui.selectors import access_unit
from soins.selectors import deferred as deferred_selectors
from soins.selectors import worklist as worklist_selectors
from soins.services import worklist as worklist_services
from soins.views.worklist import parse_performed_at

STATUSES = (("done", "Fait"), ("not_done", "Non fait"), ("refused", "Refusé"))


def _unit(actor, raw):
    unit, _units = worklist_selectors.unit_choice(actor, (raw or "").strip())
    if unit is None:
        raise NotFound
    return unit


def _render(request, actor, unit, *, error_messages=(), error_label="", posted=None, status=200):
    page = deferred_selectors.deferred_page(actor, unit=unit, now=timezone.now())
    _unit_shown, units = worklist_selectors.unit_choice(actor, str(unit.pk))
    context = {
        "page": page,
        "units": units,
        "statuses": STATUSES,
        "error_messages": error_messages,
        "error_label": error_label,
        "posted": posted or {},
        "form_key": uuid.uuid4,
        "max_moment": f"{timezone.localtime(page.now):%Y-%m-%dT%H:%M}",
        "min_moment": f"{timezone.localtime(page.since):%Y-%m-%dT%H:%M}",
    }
    return render(request, "soins/care/deferred.html", context, status=status)


@login_required
@require_http_methods(["GET"])
def deferred_entries(request):
    actor = actor_of(request)
    if not worklist_selectors.may_read_worklist(actor):
        raise NotFound
    return _render(request, actor, _unit(actor, request.GET.get("unite")))


@login_required
@require_POST
def deferred_validate(request, pk: int):
    actor = actor_of(request)
    occurrence = worklist_selectors.access_occurrence(actor, pk)
    unit = access_unit(actor, request.POST.get("unit", ""))
    posted = {
        "pk": occurrence.pk,
        **{k: request.POST.get(k, "") for k in ("status", "performed_at", "comment", "reason")},
    }
    try:
        performed_at = parse_performed_at(request.POST.get("performed_at", "").strip())
        occurrence, _created = worklist_services.occurrence_validate(
            actor,
            occurrence_id=occurrence.pk,
            unit=unit,
            status=request.POST.get("status", ""),
            idempotency_key=request.POST.get("idempotency_key", ""),
            comment=request.POST.get("comment", ""),
            reason=request.POST.get("reason", ""),
            performed_at=performed_at,
            deferred=True,
        )
    except (PermissionDenied, ValidationError) as error:
        messages_ = error.messages if isinstance(error, ValidationError) else [str(error)]
        label = f"{occurrence.usager} — {occurrence.label}"
        return _render(request, actor, unit, error_messages=messages_, error_label=label, posted=posted, status=400)
    messages.success(request, f"{occurrence.label} ({occurrence.usager}) : {occurrence.deferred_text.lower()}.")
    return redirect(f"{reverse('worklist-deferred')}?{urlencode({'unite': unit.pk})}")
