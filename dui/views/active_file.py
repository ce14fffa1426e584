"""The active file per unit (cards with photo), its search, and the user's saved filters."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from dui import selectors
from dui.actor import Actor, actor_of
from dui.catalogue import READ
from dui.errors import NotFound
from dui.forms_planning import SavedFilterForm
from dui.models import Usager
from dui.selectors import active_file as active_file_selectors
from dui.selectors import planning as planning_selectors
from dui.services import planning as planning_services


def _reader(request) -> Actor:
    actor = actor_of(request)
    actor.require(READ, Usager.document_class_code)
    return actor


def _filter_params(data) -> dict[str, str]:
    """The active-file query parameters worth keeping (empty ones dropped)."""
    params = {}
    for key in planning_selectors.SAVED_FILTER_KEYS:
        value = (data.get(key) or "").strip()
        if value:
            params[key] = value
    return params


@login_required
def active_file(request):
    actor = _reader(request)
    params = _filter_params(request.GET)
    units = selectors.active_units(actor)
    unit = selectors.access_unit(actor, pk=params["unite"]) if "unite" in params else None
    if unit is not None and unit not in units:
        units.append(unit)
    include_archived = params.get("archives") in {"1", "on", "true"}
    page, cards, search = active_file_selectors.active_file_page(
        actor,
        unit=unit,
        query=params.get("q", ""),
        include_archived=include_archived,
        page_number=request.GET.get("page"),
    )
    context = {
        "units": units,
        "unit": unit,
        "query": params.get("q", ""),
        "search": search,
        "include_archived": include_archived,
        "page": page,
        "cards": cards,
        "params": params,
        "current_query": urlencode(params),
        "saved_filters": planning_selectors.saved_filters(actor),
        "filter_form": SavedFilterForm(),
        "can_read_dlu": actor.can(READ, "dlu"),  # the DLU button on each card: two taps to the PDF at night
    }
    return render(request, "dui/active_file/list.html", context)


def _back_to_file(params: dict):
    url = reverse("active-file")
    return redirect(f"{url}?{urlencode(params)}" if params else url)


@require_POST
@login_required
def active_file_filter_save(request):
    actor = _reader(request)
    params = _filter_params(request.POST)
    form = SavedFilterForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back_to_file(params)
    try:
        planning_services.preference_save_filter(actor, name=form.cleaned_data["name"], params=params)
    except PermissionDenied:
        raise NotFound from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Filtre « {' '.join(form.cleaned_data['name'].split())} » enregistré.")
    return _back_to_file(params)


@require_POST
@login_required
def active_file_filter_delete(request):
    actor = _reader(request)
    name = request.POST.get("name", "")
    try:
        planning_services.preference_delete_filter(actor, name=name)
    except PermissionDenied:
        raise NotFound from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Filtre « {name} » supprimé.")
    next_url = request.POST.get("next", "")
    if next_url.startswith("/") and not next_url.startswith("//"):
        return redirect(next_url)
    return redirect("active-file")
