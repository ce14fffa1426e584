"""The active file per unit (cards with photo), its search, and the user's saved filters."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from dui import audit, selectors
from dui.catalogue import READ
from dui.forms_planning import SavedFilterForm
from dui.models import Usager
from dui.permissions import require
from dui.selectors import active_file as active_file_selectors
from dui.selectors import planning as planning_selectors
from dui.services import planning as planning_services

PAGE_SIZE = 60


def _require_reader(request) -> None:
    require(request.user, READ, Usager.document_class_code)


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
    _require_reader(request)
    params = _filter_params(request.GET)
    units = list(selectors.units_for_user(request.user).filter(is_active=True).order_by("name"))
    unit = selectors.access_unit(request.user, pk=params["unite"]) if "unite" in params else None
    if unit is not None and unit not in units:
        units.append(unit)
    include_archived = params.get("archives") in {"1", "on", "true"}
    usagers, search = active_file_selectors.active_file(
        user=request.user, unit=unit, query=params.get("q", ""), include_archived=include_archived
    )
    page = Paginator(usagers, PAGE_SIZE).get_page(request.GET.get("page"))
    cards = active_file_selectors.cards(request.user, page.object_list)
    audit.log_reads(
        request.user,
        [card.usager for card in cards],
        channel=audit.channel_of(request),
        detail="file active",
        ip=audit.client_ip(request),
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
        "saved_filters": planning_selectors.saved_filters(request.user),
        "filter_form": SavedFilterForm(),
    }
    return render(request, "dui/active_file/list.html", context)


def _back_to_file(params: dict):
    url = reverse("active-file")
    return redirect(f"{url}?{urlencode(params)}" if params else url)


@require_POST
@login_required
def active_file_filter_save(request):
    _require_reader(request)
    params = _filter_params(request.POST)
    form = SavedFilterForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back_to_file(params)
    try:
        planning_services.preference_save_filter(user=request.user, name=form.cleaned_data["name"], params=params)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Filtre « {' '.join(form.cleaned_data['name'].split())} » enregistré.")
    return _back_to_file(params)


@require_POST
@login_required
def active_file_filter_delete(request):
    _require_reader(request)
    name = request.POST.get("name", "")
    try:
        planning_services.preference_delete_filter(user=request.user, name=name)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Filtre « {name} » supprimé.")
    next_url = request.POST.get("next", "")
    if next_url.startswith("/") and not next_url.startswith("//"):
        return redirect(next_url)
    return redirect("active-file")
