"""The session screen on a tablet: every registered person, one tap for the attendance (htmx)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from activities.models import Attendance, SessionStatus
from activities.selectors import participation as participation_selectors
from activities.selectors import programme as programme_selectors
from activities.services import participation as participation_services
from activities.services import programme as programme_services
from dui import selectors
from dui.actor import actor_of
from dui.catalogue import WRITE
from dui.errors import NotFound, RightRefused
from dui.permissions import can

SCORES = (1, 2, 3, 4, 5)


def _message(error) -> str:
    if isinstance(error, RightRefused):
        return error.message
    return " ".join(error.messages)


@login_required
def session_detail(request, pk: int):
    actor = actor_of(request)
    session = programme_selectors.access_session(actor, pk)
    can_record = participation_selectors.can_record_attendance(actor)
    context = {
        "session": session,
        "rows": participation_selectors.attendance_sheet(actor, session=session),
        "registrable": participation_selectors.registrable_usagers(actor, session=session) if can_record else [],
        "can_record": can_record and session.status != SessionStatus.CANCELLED,
        "can_write_programme": can(actor, WRITE, session),
        "choices": Attendance.choices,
        "scores": SCORES,
        "statuses": SessionStatus,
    }
    return render(request, "activities/session_detail.html", context)


@require_POST
@login_required
def attendance_record(request, pk: int):
    """One tap: the person's attendance (and, for a present person, the satisfaction); htmx gets the row back."""
    actor = actor_of(request)
    session = programme_selectors.access_session(actor, pk)
    error = None
    values = {"attendance": request.POST.get("attendance", "")}
    if "satisfaction" in request.POST:
        values["satisfaction"] = request.POST["satisfaction"]
    if "comment" in request.POST:
        values["comment"] = request.POST["comment"]
    try:
        usager_id = int(request.POST.get("usager", ""))
    except ValueError:
        usager_id = 0
    try:
        registration = participation_services.attendance_record(actor, session=session, usager_id=usager_id, **values)
    except (ValidationError, RightRefused) as exc:
        error = _message(exc)
        registration = None
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect("activity-session-detail", pk=session.pk)
    if registration is None:
        rows = participation_selectors.attendance_sheet(actor, session=session)
        registration = next((row for row in rows if row.usager_id == usager_id), None)
        if registration is None:
            return render(request, "activities/_error.html", {"error": error})
    context = {
        "session": session,
        "row": registration,
        "can_record": True,
        "choices": Attendance.choices,
        "scores": SCORES,
        "error": error,
    }
    # 200 even on a refusal: htmx swaps only successful answers, and the row must show the message.
    return render(request, "activities/_attendance_row.html", context)


@require_POST
@login_required
def registration_create(request, pk: int):
    actor = actor_of(request)
    session = programme_selectors.access_session(actor, pk)
    try:
        usager = selectors.access_usager(actor, request.POST.get("usager", ""))
        registration = participation_services.registration_create(actor, session=session, usager=usager)
    except NotFound:
        messages.error(request, "Personne introuvable.")
    except (ValidationError, RightRefused) as error:
        messages.error(request, _message(error))
    else:
        messages.success(request, f"{registration.usager} est inscrit(e) à la séance.")
    return redirect("activity-session-detail", pk=session.pk)


@require_POST
@login_required
def registration_cancel(request, pk: int):
    actor = actor_of(request)
    registration = participation_selectors.access_registration(actor, pk, action=WRITE)
    try:
        participation_services.registration_cancel(actor, registration=registration)
    except (ValidationError, RightRefused) as error:
        messages.error(request, _message(error))
    else:
        messages.success(request, "Inscription retirée.")
    return redirect("activity-session-detail", pk=registration.session_id)


@require_POST
@login_required
def session_status(request, pk: int):
    actor = actor_of(request)
    session = programme_selectors.access_session(actor, pk, action=WRITE)
    try:
        programme_services.session_set_status(actor, session=session, status=request.POST.get("status", ""))
    except (ValidationError, RightRefused) as error:
        messages.error(request, _message(error))
    else:
        messages.success(request, f"Séance : {session.get_status_display().lower()}.")
    return redirect("activity-session-detail", pk=session.pk)


@login_required
def usager_activities(request, pk: int):
    """The dossier's activity page: every session the person was registered to, with attendance and satisfaction."""
    actor = actor_of(request)
    usager = selectors.access_usager(actor, pk)
    rows = participation_selectors.usager_participation_page(actor, usager=usager)
    return render(request, "activities/usager.html", {"usager": usager, "rows": rows})
