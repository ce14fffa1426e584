"""Screens of the activity programme: the day's sessions, the catalogue, the activity and session forms."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone

from activities.forms import ActivityForm, SessionForm
from activities.models import PROGRAMME_CLASS, ActivityKind
from activities.selectors import programme as programme_selectors
from activities.services import programme as programme_services
from dui import dates, selectors
from dui.actor import actor_of
from dui.catalogue import READ, WRITE
from dui.errors import NotFound, RightRefused
from dui.permissions import can, require
from dui.views.service_errors import show_service_error

_SESSION_FIELDS = {"starts_at": "start_time", "ends_at": "end_time", "unit_ids": "units"}


def _day(request) -> datetime.date:
    raw = request.GET.get("jour", "")
    try:
        day = datetime.date.fromisoformat(raw) if raw else timezone.localdate()
    except ValueError:
        return timezone.localdate()
    return day if dates.in_range(day) else timezone.localdate()


@login_required
def programme(request):
    """The day's sessions (today by default), each with its registered and recorded counts."""
    actor = actor_of(request)
    require(actor, READ, PROGRAMME_CLASS)
    day = _day(request)
    units = selectors.active_units(actor)
    unit_id = None
    if request.GET.get("unite"):
        unit_id = selectors.access_unit(actor, request.GET["unite"]).pk
    context = {
        "day": day,
        "previous_day": day - datetime.timedelta(days=1),
        "next_day": day + datetime.timedelta(days=1),
        "sessions": programme_selectors.sessions_of_day(actor, day=day, unit_id=unit_id),
        "units": units,
        "unit_id": unit_id,
        "can_write": can(actor, WRITE, PROGRAMME_CLASS),
    }
    return render(request, "activities/programme.html", context)


@login_required
def catalogue(request):
    actor = actor_of(request)
    require(actor, READ, PROGRAMME_CLASS)
    activities = programme_selectors.activities_for_user(actor).order_by("-is_active", "name")
    return render(
        request,
        "activities/catalogue.html",
        {
            "activities": activities,
            "can_write": can(actor, WRITE, PROGRAMME_CLASS),
            "kinds": dict(ActivityKind.choices),
        },
    )


@login_required
def activity_create(request):
    actor = actor_of(request)
    require(actor, WRITE, PROGRAMME_CLASS)
    form = ActivityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        values.pop("is_active")
        try:
            activity = programme_services.activity_create(actor, **values)
        except (ValidationError, RightRefused) as error:
            show_service_error(form, error)
        else:
            messages.success(request, f"Activité « {activity.name} » ajoutée au catalogue.")
            return redirect("activity-catalogue")
    return render(request, "activities/activity_form.html", {"form": form, "activity": None})


@login_required
def activity_edit(request, pk: int):
    actor = actor_of(request)
    activity = programme_selectors.access_activity(actor, pk, action=WRITE)
    initial = {k: getattr(activity, k) for k in ("name", "kind", "default_place", "is_active")}
    form = ActivityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            programme_services.activity_update(actor, activity=activity, **form.cleaned_data)
        except (ValidationError, RightRefused) as error:
            show_service_error(form, error)
        else:
            messages.success(request, f"Activité « {activity.name} » modifiée.")
            return redirect("activity-catalogue")
    return render(request, "activities/activity_form.html", {"form": form, "activity": activity})


@login_required
def session_create(request):
    actor = actor_of(request)
    require(actor, WRITE, PROGRAMME_CLASS)
    activities = list(programme_selectors.activities_for_user(actor).filter(is_active=True).order_by("name"))
    form = SessionForm(
        request.POST or None,
        initial={"day": _day(request), "activity": request.GET.get("activite")},
        activities=activities,
        units=selectors.active_units(actor),
        professionals=programme_selectors.professionals_for_user(actor),
    )
    if request.method == "POST" and form.is_valid():
        try:
            activity = programme_selectors.access_activity(actor, form.cleaned_data["activity"], action=WRITE)
            session = programme_services.session_create(actor, activity=activity, **form.service_kwargs())
        except NotFound:
            form.add_error("activity", "Activité inconnue dans cet établissement.")
        except (ValidationError, RightRefused) as error:
            show_service_error(form, error, field_map=_SESSION_FIELDS)
        else:
            messages.success(request, f"Séance « {activity.name} » enregistrée.")
            return redirect("activity-session-detail", pk=session.pk)
    return render(request, "activities/session_form.html", {"form": form, "has_activities": bool(activities)})
