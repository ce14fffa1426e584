"""Planning screens: per person, per unit and day, the printable day sheet; appointment forms; preferences."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from dui import dates, selectors
from dui.actor import Actor, actor_of
from dui.catalogue import READ
from dui.errors import NotFound
from dui.forms_planning import AppointmentForm, PreferencesForm
from dui.models import Transport
from dui.permissions import active_membership, can
from dui.providers import planned_activities
from dui.selectors import planning as planning_selectors
from dui.services import planning as planning_services
from dui.services.common import ARCHIVED_MESSAGE
from dui.views.service_errors import show_service_error

# Service error keys → form fields.
_FIELD_OF = {"starts_at": "start_time", "ends_at": "end_time"}

RECENT_DOCUMENT_DAYS = planning_selectors.RECENT_DOCUMENT_DAYS
RECENT_DOCUMENT_LIMIT = planning_selectors.RECENT_DOCUMENT_LIMIT


# ---------- Per person ----------


@login_required
def usager_planning(request, pk: int):
    actor = actor_of(request)
    usager = selectors.access_usager(actor, pk=pk)
    upcoming, past = planning_selectors.usager_planning(actor, usager=usager)
    context = {
        "usager": usager,
        "upcoming": upcoming,
        "past": past,
        "past_days": planning_selectors.PAST_DAYS,
        "transport_none": Transport.AUCUN,
        "can_write": usager.archived_at is None and planning_selectors.can_write_appointments_of(actor, usager),
        "activities": planned_activities(actor, usager),
    }
    return render(request, "dui/planning/usager.html", context)


@login_required
def appointment_create(request, pk: int):
    actor = actor_of(request)
    usager = selectors.access_usager(actor, pk=pk)
    if not planning_selectors.can_write_appointments_of(actor, usager):
        raise NotFound
    if usager.archived_at is not None:
        messages.error(request, ARCHIVED_MESSAGE)
        return redirect("usager-planning", pk=usager.pk)
    form = AppointmentForm(request.POST or None, initial={"day": request.GET.get("jour") or timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            appointment = planning_services.appointment_create(actor, usager=usager, **form.service_kwargs())
        except PermissionDenied:
            raise NotFound from None
        except ValidationError as error:
            show_service_error(form, error, field_map=_FIELD_OF)
        else:
            when = timezone.localtime(appointment.starts_at)
            messages.success(request, f"Rendez-vous enregistré le {when:%d/%m/%Y à %H:%M}.")
            return redirect("usager-planning", pk=usager.pk)
    return render(request, "dui/planning/appointment_form.html", {"usager": usager, "form": form, "appointment": None})


@login_required
def appointment_update(request, pk: int):
    actor = actor_of(request)
    appointment = planning_selectors.access_appointment(actor, pk, action="write", log_read=request.method == "GET")
    usager = appointment.usager
    if appointment.cancelled_at is not None or usager.archived_at is not None:
        messages.error(request, ARCHIVED_MESSAGE if usager.archived_at else planning_services.CANCELLED)
        return redirect("usager-planning", pk=usager.pk)
    form = AppointmentForm(request.POST or None, initial=AppointmentForm.initial_from(appointment))
    if request.method == "POST" and form.is_valid():
        try:
            planning_services.appointment_update(actor, appointment=appointment, **form.service_kwargs())
        except PermissionDenied:
            raise NotFound from None
        except ValidationError as error:
            show_service_error(form, error, field_map=_FIELD_OF)
        else:
            messages.success(request, "Rendez-vous modifié.")
            return redirect("usager-planning", pk=usager.pk)
    return render(
        request, "dui/planning/appointment_form.html", {"usager": usager, "form": form, "appointment": appointment}
    )


@require_POST
@login_required
def appointment_cancel(request, pk: int):
    actor = actor_of(request)
    appointment = planning_selectors.access_appointment(actor, pk, action="write", log_read=False)
    try:
        planning_services.appointment_cancel(actor, appointment=appointment)
    except PermissionDenied:
        raise NotFound from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Rendez-vous « {appointment.title} » annulé.")
    next_url = request.POST.get("next", "")
    if next_url.startswith("/") and not next_url.startswith("//"):
        return redirect(next_url)
    return redirect("usager-planning", pk=appointment.usager_id)


# ---------- Per unit and day ----------


def _day_and_unit(request, actor: Actor):
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
    units = selectors.active_units(actor)
    raw_unit = request.GET.get("unite", "").strip()
    if raw_unit:
        unit = selectors.access_unit(actor, pk=raw_unit)
        if unit not in units:
            units.append(unit)
    else:
        unit = units[0] if units else None
    return day, unit, units, error


def _planning_reader(request) -> Actor:
    actor = actor_of(request)
    if active_membership(actor) is None or not can(actor, READ, planning_selectors.APPOINTMENT_CLASS):
        raise NotFound
    return actor


@login_required
def planning_day(request):
    actor = _planning_reader(request)
    day, unit, units, error = _day_and_unit(request, actor)
    rows = planning_selectors.day_page(actor, unit=unit, day=day)
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
    actor = _planning_reader(request)
    day, unit, _, error = _day_and_unit(request, actor)
    if unit is None:
        raise NotFound
    rows = planning_selectors.day_sheet(actor, unit=unit, day=day)
    context = {
        "essms": active_membership(actor).essms,
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
    actor = actor_of(request)
    if active_membership(actor) is None:
        raise NotFound
    available = planning_selectors.available_sections(actor)
    preference = planning_selectors.user_preference(actor)
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
                actor, sections=[key for key, _ in choices if key in wanted] + hidden
            )
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(request, "Vos rubriques d'accueil sont enregistrées.")
            return redirect("preferences")
    context = {
        "form": form,
        "available": available,
        "saved_filters": planning_selectors.saved_filters(actor),
    }
    return render(request, "dui/planning/preferences.html", context)


# ---------- Recent documents (a home section) ----------


@login_required
def recent_documents(request):
    """The latest documents filed in the active ESSMS's dossiers, only of the classes the métier may read."""
    documents = planning_selectors.recent_documents(actor_of(request))
    context = {"documents": documents, "days": RECENT_DOCUMENT_DAYS, "limit": RECENT_DOCUMENT_LIMIT}
    return render(request, "dui/planning/recent_documents.html", context)
