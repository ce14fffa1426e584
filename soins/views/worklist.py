"""The tablet worklist and its validation endpoint, the late items for the cadre, the validation windows.

Thin views: selectors read (scoped, logged), services write (rights, rules, audit). The validation
endpoint answers JSON to the offline queue of static/js/worklist.js (201 recorded, 200 replay of
the same key, 409 already validated by someone else, 400 bad input, 404 out of reach) and
redirects back to the worklist for the plain form POST that works without JavaScript.
"""

import datetime
import json
import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dui import selectors
from dui.actor import actor_of
from dui.errors import NotFound
from dui.permissions import active_membership
from dui.shifts import SHIFT_TIMEZONE, Poste, ShiftError, parse_shift, shift_at
from dui.views.service_errors import show_service_error
from soins.forms import ValidationPolicyForm
from soins.selectors import windows as window_selectors
from soins.selectors import worklist as worklist_selectors
from soins.services import corrections as correction_services
from soins.services import worklist as worklist_services


def _first_message(error: ValidationError) -> str:
    return " ".join(error.messages) if error.messages else "Saisie invalide."


def worklist_url(unit, shift) -> str:
    query = urlencode({"unite": unit.pk, "poste": shift.poste, "date": shift.date.isoformat()})
    return f"{reverse('worklist')}?{query}"


# --- Worklist -----------------------------------------------------------------------------------


@login_required
@require_GET
def worklist(request):
    actor = actor_of(request)
    if not worklist_selectors.may_read_worklist(actor):
        raise NotFound
    now = timezone.now()
    unit, units = worklist_selectors.unit_choice(actor, request.GET.get("unite", "").strip())
    try:
        shift = parse_shift(request.GET.get("poste"), request.GET.get("date"), now=now)
    except ShiftError as error:
        messages.warning(request, f"{error.message} Poste en cours affiché.")
        shift = shift_at(now)
    context = {"unit": unit, "units": units, "shift": shift, "postes": Poste.choices}
    if unit is not None:
        data = worklist_services.worklist_open(actor, unit, shift, now=now)
        current = shift_at(now)
        context |= {
            "worklist": data,
            "previous_url": worklist_url(unit, shift.previous()),
            "next_url": worklist_url(unit, shift.next()),
            "current_url": worklist_url(unit, current) if shift != current else "",
            "validate_prefix": reverse("worklist-validate", args=[0]).removesuffix("0/valider/"),
            "plan_prefix": reverse("care-plan", args=[0]).removesuffix("0/"),
            "cancel_prefix": reverse("worklist-cancel", args=[0]).removesuffix("0/annuler/"),
            "may_follow_late": worklist_selectors.may_follow_late(actor),
        }
    return render(request, "soins/care/worklist.html", context)


def _json_error(message: str, status: int, errors: dict | None = None, code: str = "") -> JsonResponse:
    return JsonResponse({"error": message, "errors": errors or {}, "code": code}, status=status)


def error_code(error: ValidationError) -> str:
    """The code the tablet acts on: "reason_required" (ask for the reason), "later_shift", "conflict"…"""
    if hasattr(error, "error_dict"):
        for errors in error.error_dict.values():
            for item in errors:
                if item.code:
                    return item.code
        return ""
    return getattr(error, "code", None) or ""


def parse_performed_at(raw):
    if raw in (None, ""):
        return None
    if not isinstance(raw, str):
        raise ValidationError({"performed_at": "Heure de réalisation invalide (ISO 8601 attendu)."})
    try:
        moment = parse_datetime(raw)
    except ValueError:
        moment = None
    if moment is None:
        raise ValidationError({"performed_at": "Heure de réalisation invalide (ISO 8601 attendu)."})
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=SHIFT_TIMEZONE)
    try:
        moment.astimezone(datetime.UTC)
    except OverflowError:
        raise ValidationError({"performed_at": "Heure de réalisation invalide."}) from None
    return moment


def _validation_input(request) -> tuple[dict, bool]:
    """(fields, is_json): the JSON body of the offline queue, or the plain form."""
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except (ValueError, UnicodeDecodeError, RecursionError):
            raise ValidationError("Requête illisible (JSON attendu).") from None
        if not isinstance(data, dict):
            raise ValidationError("Requête illisible (objet JSON attendu).")
        return data, True
    return request.POST.dict(), False


def _validation_record(actor, occurrence, data: dict):
    """The web endpoint's validation: (occurrence, created). Raises the service's errors."""
    for name in ("status", "comment", "idempotency_key", "reason"):
        if data.get(name) is not None and not isinstance(data.get(name), str):
            raise ValidationError({name: "Valeur invalide."})
    unit = worklist_selectors.unit_for_validation(actor, raw_unit=data.get("unit"), occurrence=occurrence)
    return worklist_services.occurrence_validate(
        actor,
        occurrence_id=occurrence.pk,
        unit=unit,
        status=data.get("status") or "",
        idempotency_key=data.get("idempotency_key"),
        comment=data.get("comment") or "",
        reason=data.get("reason") or "",
        performed_at=parse_performed_at(data.get("performed_at")),
    )


@login_required
@require_http_methods(["GET", "POST"])
def validate(request, pk: int):
    if request.method == "GET":
        return _validation_page(request, pk)
    actor = actor_of(request)
    wants_json = request.content_type == "application/json"
    try:
        occurrence = worklist_selectors.access_occurrence(actor, pk)
    except NotFound:
        if wants_json:
            return _json_error("Soin introuvable dans cet établissement.", 404)
        raise
    try:
        data, wants_json = _validation_input(request)
        occurrence, created = _validation_record(actor, occurrence, data)
    except NotFound:
        if wants_json:
            return _json_error("Soin ou unité introuvable dans cet établissement.", 404)
        raise
    except PermissionDenied as error:
        if wants_json:
            return _json_error(str(error) or worklist_services.REFUSED, 403)
        messages.error(request, str(error) or worklist_services.REFUSED)
        return _back_to_worklist(request, occurrence)
    except ValidationError as error:
        conflict = getattr(error, "code", None) == "conflict"
        if wants_json:
            errors = error.message_dict if hasattr(error, "error_dict") else {}
            return _json_error(_first_message(error), 409 if conflict else 400, errors, error_code(error))
        messages.error(request, f"{occurrence.label} : {_first_message(error)}")
        return _back_to_worklist(request, occurrence)
    if wants_json:
        return JsonResponse(
            worklist_selectors.validation_payload(occurrence, replay=not created), status=201 if created else 200
        )
    if created:
        messages.success(request, f"{occurrence.label} : {occurrence.get_status_display().lower()}, enregistré.")
    return _back_to_worklist(request, occurrence)


def _validation_page(request, pk: int):
    """One item's form, for a browser without JavaScript (the worklist links each item here)."""
    actor = actor_of(request)
    try:
        page = worklist_selectors.validation_page(actor, pk, raw_unit=request.GET.get("unite"))
    except ValidationError as error:
        messages.error(request, _first_message(error))
        return redirect("worklist")
    occurrence = page.occurrence
    shift = shift_at(occurrence.due_at)
    return render(
        request,
        "soins/care/validate_item.html",
        {
            "page": page,
            "occurrence": occurrence,
            "shift": shift,
            "back_url": f"{worklist_url(page.unit, shift)}#occ-{occurrence.pk}",
            "idempotency_key": uuid.uuid4(),
        },
    )


@login_required
@require_POST
def cancel(request, pk: int):
    """ "Annuler / corriger" a validation from the worklist (plain form; JSON for the tablet's script)."""
    actor = actor_of(request)
    wants_json = request.content_type == "application/json"
    occurrence = worklist_selectors.access_occurrence(actor, pk)
    try:
        data, wants_json = _validation_input(request)
        reason = data.get("reason")
        correction_services.validation_cancel(
            actor,
            occurrence_id=occurrence.pk,
            reason=reason if isinstance(reason, str) else "",
        )
    except PermissionDenied as error:
        if wants_json:
            return _json_error(str(error), 403)
        messages.error(request, f"{occurrence.label} : {error}")
    except ValidationError as error:
        if wants_json:
            errors = error.message_dict if hasattr(error, "error_dict") else {}
            return _json_error(_first_message(error), 400, errors, error_code(error))
        messages.error(request, f"{occurrence.label} : {_first_message(error)}")
    else:
        if wants_json:
            occurrence.refresh_from_db()
            return JsonResponse(worklist_selectors.validation_payload(occurrence, replay=False))
        messages.success(request, f"{occurrence.label} : validation annulée (gardée dans l'historique), à refaire.")
    return _back_to_worklist(request, occurrence)


def _back_to_worklist(request, occurrence):
    shift = shift_at(occurrence.due_at)
    raw_unit = request.POST.get("unit", "")
    query = {"poste": shift.poste, "date": shift.date.isoformat()}
    if raw_unit.isdigit():
        query["unite"] = raw_unit
    return redirect(f"{reverse('worklist')}?{urlencode(query)}#occ-{occurrence.pk}")


# --- Late and missed ----------------------------------------------------------------------------


def _parse_day(raw: str, default: datetime.date) -> tuple[datetime.date, str]:
    raw = (raw or "").strip()
    if not raw:
        return default, ""
    try:
        day = datetime.date.fromisoformat(raw)
    except ValueError:
        return default, f"« {raw[:20]} » n'est pas une date valide (AAAA-MM-JJ)."
    if not datetime.date(2000, 1, 1) <= day <= datetime.date(2999, 12, 30):
        return default, "Date hors des limites acceptées."
    return day, ""


@login_required
@require_GET
def late(request):
    actor = actor_of(request)
    if not worklist_selectors.may_follow_late(actor):
        raise NotFound
    today = timezone.localdate()
    raw_unit = request.GET.get("unite", "").strip()
    unit = selectors.access_unit(actor, pk=raw_unit) if raw_unit else worklist_selectors.default_unit(actor)
    first, error_first = _parse_day(request.GET.get("du"), today - datetime.timedelta(days=7))
    last, error_last = _parse_day(request.GET.get("au"), today)
    for error in (error_first, error_last):
        if error:
            messages.warning(request, error)
    if last < first:
        messages.warning(request, "La fin de la période précède son début : période inversée.")
        first, last = last, first
    if (last - first).days > 31:
        messages.warning(request, "Période limitée à 31 jours.")
        first = last - datetime.timedelta(days=31)
    units = selectors.active_units(actor)
    context = {"unit": unit, "units": units, "first": first, "last": last, "items": []}
    if unit is not None:
        start = datetime.datetime.combine(first, datetime.time(0), tzinfo=SHIFT_TIMEZONE)
        end = datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time(7), tzinfo=SHIFT_TIMEZONE)
        items = worklist_selectors.late_items(actor, unit=unit, start=start, end=end)
        context["items"] = items
        context["missed_count"] = sum(1 for item in items if item.missed)
    return render(request, "soins/care/late.html", context)


# --- Validation windows -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def validation_policy(request):
    """The ESSMS's validation windows: read by whoever reads the worklist, set by the plan's validators."""
    actor = actor_of(request)
    membership = active_membership(actor)
    if membership is None or not worklist_selectors.may_read_worklist(actor):
        raise NotFound
    may_edit = worklist_selectors.may_follow_late(actor)
    policy = window_selectors.policy_for(membership.essms_id)
    initial = {
        "medication_window_minutes": policy.medication_window_minutes,
        "care_window_minutes": policy.care_window_minutes,
    }
    form = ValidationPolicyForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if not may_edit:
            raise NotFound
        if form.is_valid():
            try:
                correction_services.validation_policy_update(actor, **form.cleaned_data)
            except ValidationError as error:
                show_service_error(form, error)
            else:
                messages.success(request, "Créneaux de validation enregistrés.")
                return redirect("validation-policy")
        status = 400
    return render(request, "soins/care/policy.html", {"form": form, "may_edit": may_edit}, status=status)
