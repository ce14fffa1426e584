"""Handover (relève de poste) per unit and shift, and the synthèse of one person over N days.

Thin views: the selectors read (scoped, fixed number of queries) and log the transmissions
shown in one bulk insert; the views render.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from dui import selectors
from dui.actor import actor_of
from dui.catalogue import READ
from dui.permissions import active_membership
from transmissions.models import Transmission
from transmissions.selectors import handover as handover_selectors
from transmissions.selectors import synthese as synthese_selectors

# The transmission feed (filtered with ?usager=<id>); the links are left out if it is not installed.
FEED_URL_NAMES = ("transmission-feed",)


def _require_reader(request):
    actor = actor_of(request)
    actor.require(READ, Transmission.document_class_code)
    return actor


def feed_base_url() -> str | None:
    for name in FEED_URL_NAMES:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return None


def _handover_url(unit, shift) -> str:
    query = urlencode({"unite": unit.pk, "poste": shift.poste, "date": shift.date.isoformat()})
    return f"{reverse('handover')}?{query}"


@login_required
def handover(request):
    actor = _require_reader(request)
    now = timezone.now()
    raw_unit = request.GET.get("unite", "").strip()
    unit = selectors.access_unit(actor, pk=raw_unit) if raw_unit else handover_selectors.default_unit(actor)
    try:
        shift = handover_selectors.parse_shift(request.GET.get("poste"), request.GET.get("date"), now=now)
    except handover_selectors.ShiftError as error:
        messages.warning(request, f"{error.message} Poste en cours affiché.")
        shift = handover_selectors.shift_at(now)
    units = list(selectors.units_for_user(actor).filter(is_active=True).order_by("name"))
    if unit is not None and unit not in units:
        units.append(unit)
    context = {"unit": unit, "units": units, "shift": shift, "postes": handover_selectors.Poste.choices}
    if unit is not None:
        data = handover_selectors.handover_for_unit(actor, unit=unit, shift=shift, now=now, log=True)
        current = handover_selectors.shift_at(now)
        context |= {
            "handover": data,
            "feed_url": feed_base_url(),
            "previous_url": _handover_url(unit, shift.previous()),
            "next_url": _handover_url(unit, shift.next()) if shift.next().start <= now else "",
            "current_url": _handover_url(unit, current) if shift != current else "",
            "printed_at": timezone.localtime(now),
            "essms": active_membership(actor).essms,
        }
    return render(request, "transmissions/handover/handover.html", context)


@login_required
def synthese(request, usager_pk: int):
    usager = selectors.access_usager(actor_of(request).user, pk=usager_pk)
    actor = _require_reader(request)
    try:
        days = synthese_selectors.parse_days(request.GET.get("jours"))
    except synthese_selectors.SyntheseError as error:
        context = {"usager": usager, "error": error.message, "days_choices": DAYS_CHOICES, "days": None}
        return render(request, "transmissions/synthese/synthese.html", context, status=400)
    data = synthese_selectors.synthese_for_usager(actor, usager=usager, days=days, log=True)
    context = {
        "usager": usager,
        "synthese": data,
        "days": days,
        "days_choices": DAYS_CHOICES,
        "feed_url": feed_base_url(),
        "seizure_duration": synthese_selectors.duration_text(data.seizure_seconds),
        "seizure_duration_previous": synthese_selectors.duration_text(data.seizure_seconds_previous),
    }
    return render(request, "transmissions/synthese/synthese.html", context)


DAYS_CHOICES = (1, 3, 7, 14, 30, 90)
