"""Planning screens: per person, per unit and day, the printable day sheet; appointment forms; preferences."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from dui import audit, dates, selectors
from dui.catalogue import READ
from dui.forms_planning import AppointmentForm, PreferencesForm
from dui.models import AccessAction, Transport
from dui.permissions import active_membership, can
from dui.selectors import planning as planning_selectors
from dui.selectors.documents import documents_for_user
from dui.services import planning as planning_services
from dui.services.common import ARCHIVED_MESSAGE

# Service error keys → form fields.
_FIELD_OF = {"starts_at": "start_time", "ends_at": "end_time"}


def _errors_to_form(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            field = _FIELD_OF.get(field, field)
            for message in messages_:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def _log_reads(request, objects, detail: str) -> None:
    audit.log_reads(
        request.user, objects, channel=audit.channel_of(request), detail=detail, ip=audit.client_ip(request)
    )


# ---------- Per person ----------


@login_required
def usager_planning(request, pk: int):
    usager = selectors.access_usager(request.user, pk=pk)
    upcoming, past = planning_selectors.usager_planning(user=request.user, usager=usager)
    _log_reads(request, [*upcoming, *past], "planning de la personne")
    context = {
        "usager": usager,
        "upcoming": upcoming,
        "past": past,
        "past_days": planning_selectors.PAST_DAYS,
        "transport_none": Transport.AUCUN,
        "can_write": usager.archived_at is None and planning_selectors.can_write_appointments_of(request.user, usager),
    }
    return render(request, "dui/planning/usager.html", context)


@login_required
def appointment_create(request, pk: int):
    usager = selectors.access_usager(request.user, pk=pk)
    if not planning_selectors.can_write_appointments_of(request.user, usager):
        raise Http404
    if usager.archived_at is not None:
        messages.error(request, ARCHIVED_MESSAGE)
        return redirect("usager-planning", pk=usager.pk)
    form = AppointmentForm(request.POST or None, initial={"day": request.GET.get("jour") or timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            appointment = planning_services.appointment_create(
                acting_user=request.user, usager=usager, **form.service_kwargs()
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            when = timezone.localtime(appointment.starts_at)
            messages.success(request, f"Rendez-vous enregistré le {when:%d/%m/%Y à %H:%M}.")
            return redirect("usager-planning", pk=usager.pk)
    return render(request, "dui/planning/appointment_form.html", {"usager": usager, "form": form, "appointment": None})


@login_required
def appointment_update(request, pk: int):
    appointment = planning_selectors.access_appointment(user=request.user, pk=pk, action="write")
    usager = appointment.usager
    if appointment.cancelled_at is not None or usager.archived_at is not None:
        messages.error(request, ARCHIVED_MESSAGE if usager.archived_at else planning_services.CANCELLED)
        return redirect("usager-planning", pk=usager.pk)
    form = AppointmentForm(request.POST or None, initial=AppointmentForm.initial_from(appointment))
    if request.method == "POST" and form.is_valid():
        try:
            planning_services.appointment_update(
                acting_user=request.user, appointment=appointment, **form.service_kwargs()
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, "Rendez-vous modifié.")
            return redirect("usager-planning", pk=usager.pk)
    elif request.method == "GET":
        audit.log_access(
            request.user, AccessAction.READ, appointment, channel=audit.channel_of(request), ip=audit.client_ip(request)
        )
    return render(
        request, "dui/planning/appointment_form.html", {"usager": usager, "form": form, "appointment": appointment}
    )


@require_POST
@login_required
def appointment_cancel(request, pk: int):
    appointment = planning_selectors.access_appointment(user=request.user, pk=pk, action="write")
    try:
        planning_services.appointment_cancel(acting_user=request.user, appointment=appointment)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Rendez-vous « {appointment.title} » annulé.")
    next_url = request.POST.get("next", "")
    if next_url.startswith("/") and not next_url.startswith("//"):
        return redirect(next_url)
    return redirect("usager-planning", pk=appointment.usager_id)


# ---------- Per unit and day ----------


def _day_and_unit(request):
    """(day, unit, units, error): `unite` of another ESSMS (or not a number) is a 404."""
    error = ""
    raw_day = request.GET.get("jour", "").strip()
    day = timezone.localdate()
    if raw_day:
        try:
            day = datetime.date.fromisoformat(raw_day)
        except ValueError:
            error = f"« {raw_day[:20]} » n'est pas une date valide (aaaa-mm-jj) : planning d'aujourd'hui affiché."
        if not dates.in_range(day):
            day = timezone.localdate()
            error = f"{dates.OUT_OF_RANGE} Planning d'aujourd'hui affiché."
    units = list(selectors.units_for_user(request.user).filter(is_active=True).order_by("name"))
    raw_unit = request.GET.get("unite", "").strip()
    if raw_unit:
        unit = selectors.access_unit(request.user, pk=raw_unit)
        if unit not in units:
            units.append(unit)
    else:
        unit = units[0] if units else None
    return day, unit, units, error


def _require_planning_reader(request) -> None:
    if active_membership(request.user) is None or not can(request.user, READ, planning_selectors.APPOINTMENT_CLASS):
        raise Http404


@login_required
def planning_day(request):
    _require_planning_reader(request)
    day, unit, units, error = _day_and_unit(request)
    rows = planning_selectors.day_planning(user=request.user, unit=unit, day=day) if unit else []
    _log_reads(request, rows, f"planning du {day:%d/%m/%Y}")
    if error:
        messages.warning(request, error)
    context = {
        "day": day,
        "unit": unit,
        "units": units,
        "rows": rows,
        "previous_day": day - datetime.timedelta(days=1),
        "next_day": day + datetime.timedelta(days=1),
        "is_today": day == timezone.localdate(),
        "transport_none": Transport.AUCUN,
    }
    return render(request, "dui/planning/day.html", context)


@login_required
def planning_day_print(request):
    _require_planning_reader(request)
    day, unit, _, error = _day_and_unit(request)
    if unit is None:
        raise Http404
    rows = planning_selectors.day_planning(user=request.user, unit=unit, day=day, include_cancelled=False)
    _log_reads(request, rows, f"feuille du jour imprimée ({day:%d/%m/%Y})")
    context = {
        "essms": active_membership(request.user).essms,
        "unit": unit,
        "day": day,
        "rows": rows,
        "printed_at": timezone.localtime(),
        "error": error,
        "transport_none": Transport.AUCUN,
        "back_url": f"{reverse('planning-day')}?jour={day:%Y-%m-%d}&unite={unit.pk}",
    }
    return render(request, "dui/planning/day_print.html", context)


# ---------- Preferences ----------


@login_required
def preferences(request):
    if active_membership(request.user) is None:
        raise Http404
    available = planning_selectors.available_sections(request.user)
    preference = planning_selectors.user_preference(request.user)
    choices = [(section.key, section.label) for section, _ in available]
    form = PreferencesForm(
        request.POST or None, choices=choices, initial={"sections": list(preference.pinned_sections or [])}
    )
    if request.method == "POST" and form.is_valid():
        wanted = form.cleaned_data["sections"]
        # Keep the pins the user cannot see here (route or right missing), so a re-save loses nothing.
        hidden = [key for key in preference.pinned_sections or [] if key not in dict(choices)]
        try:
            planning_services.preference_pin_sections(
                user=request.user, sections=[key for key, _ in choices if key in wanted] + hidden
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, "Vos rubriques d'accueil sont enregistrées.")
            return redirect("preferences")
    context = {
        "form": form,
        "available": available,
        "saved_filters": planning_selectors.saved_filters(request.user),
    }
    return render(request, "dui/planning/preferences.html", context)


# ---------- Recent documents (a home section) ----------

RECENT_DOCUMENT_DAYS = 14
RECENT_DOCUMENT_LIMIT = 50


@login_required
def recent_documents(request):
    """The latest documents filed in the active ESSMS's dossiers, only of the classes the métier may read."""
    membership = active_membership(request.user)
    if membership is None or not can(request.user, READ, "identite"):
        raise Http404
    since = timezone.now() - datetime.timedelta(days=RECENT_DOCUMENT_DAYS)
    documents = list(
        documents_for_user(request.user)
        .filter(essms_id=membership.essms_id, created_at__gte=since)
        .order_by("-created_at", "-pk")[:RECENT_DOCUMENT_LIMIT]
    )
    _log_reads(request, documents, "documents récents")
    context = {"documents": documents, "days": RECENT_DOCUMENT_DAYS, "limit": RECENT_DOCUMENT_LIMIT}
    return render(request, "dui/planning/recent_documents.html", context)
