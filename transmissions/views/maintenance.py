"""Technical and maintenance requests: list, create, detail with history, status change, yearly counts."""

import re

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from dui.actor import actor_of
from dui.errors import NotFound
from dui.permissions import active_membership
from dui.views.service_errors import show_service_error
from transmissions.forms_messages import MaintenanceRequestForm, MaintenanceStatusForm
from transmissions.models import RequestStatus
from transmissions.selectors import maintenance as selectors
from transmissions.services import maintenance as services

PAGE_SIZE = 30
YEAR_RE = re.compile(r"^\d{4}$")
FIRST_YEAR, LAST_YEAR = 2000, 2100


def _require_membership(request):
    actor = actor_of(request)
    if active_membership(actor) is None:
        raise NotFound
    return actor


@login_required
def maintenance_list(request):
    actor = _require_membership(request)
    qs = selectors.maintenance_requests_for_user(actor)
    status = request.GET.get("statut", "")
    if status in RequestStatus.values:
        qs = qs.filter(status=status)
    else:
        status = ""
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "rows": list(page.object_list),
        "status": status,
        "statuses": RequestStatus.choices,
        "sees_all": selectors.is_maintenance_manager(actor),
        "may_see_statistics": selectors.may_see_statistics(actor),
    }
    return render(request, "transmissions/maintenance/list.html", context)


@login_required
def maintenance_create(request):
    actor = _require_membership(request)
    form = MaintenanceRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.maintenance_request_create(actor, **form.cleaned_data)
        except (PermissionDenied, ValidationError) as error:
            show_service_error(form, error)
        else:
            flash.success(request, "Demande technique enregistrée : les services techniques sont prévenus.")
            return redirect("maintenance-detail", pk=created.pk)
    return render(request, "transmissions/maintenance/create.html", {"form": form})


def _detail_context(actor, maintenance_request) -> dict:
    next_statuses = services.allowed_next_statuses(actor, maintenance_request)
    labels = dict(RequestStatus.choices)
    return {
        "item": maintenance_request,
        "history": selectors.maintenance_history(actor, maintenance_request=maintenance_request),
        "next_statuses": [(status, labels[status]) for status in next_statuses],
        "form": MaintenanceStatusForm(),
        "is_mine": maintenance_request.requester_id == actor.user.pk,
    }


@login_required
def maintenance_detail(request, pk: int):
    actor = actor_of(request)
    maintenance_request = selectors.access_maintenance_request(actor, pk, log=True)
    return render(request, "transmissions/maintenance/detail.html", _detail_context(actor, maintenance_request))


@require_POST
@login_required
def maintenance_status(request, pk: int):
    actor = actor_of(request)
    maintenance_request = selectors.access_maintenance_request(actor, pk)
    form = MaintenanceStatusForm(request.POST)
    if form.is_valid():
        try:
            updated = services.maintenance_request_set_status(
                actor,
                maintenance_request=maintenance_request,
                status=form.cleaned_data["status"],
                comment=form.cleaned_data["comment"],
            )
        except (PermissionDenied, ValidationError) as error:
            show_service_error(form, error)
        else:
            flash.success(request, f"Statut de la demande : {updated.get_status_display()}.")
            return redirect("maintenance-detail", pk=updated.pk)
    for errors in form.errors.values():
        for error in errors:
            flash.error(request, error)
    return redirect("maintenance-detail", pk=maintenance_request.pk)


@login_required
def maintenance_stats(request):
    actor = _require_membership(request)
    if not selectors.may_see_statistics(actor):
        raise NotFound
    current_year = timezone.localdate().year
    raw = request.GET.get("annee", "").strip()
    year = current_year
    if raw:
        if YEAR_RE.match(raw) and FIRST_YEAR <= int(raw) <= LAST_YEAR:
            year = int(raw)
        else:
            flash.error(
                request,
                f"« {raw[:20]} » n'est pas une année valide (4 chiffres, entre {FIRST_YEAR} et {LAST_YEAR}) : "
                f"statistiques de {current_year} affichées.",
            )
    stats = selectors.maintenance_statistics(actor, year=year)
    context = {
        "stats": stats,
        "previous_year": year - 1 if year > FIRST_YEAR else None,
        "next_year": year + 1 if year < current_year else None,
    }
    return render(request, "transmissions/maintenance/stats.html", context)
