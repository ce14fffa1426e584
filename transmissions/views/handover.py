"""Handover (relève de poste) per unit and shift, and the synthèse of one person over N days.

Thin views: the selectors read (scoped, fixed number of queries), the views audit the
transmissions shown in one bulk insert and render.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from dui import audit, selectors
from dui.catalogue import READ
from dui.permissions import active_membership, require
from transmissions.models import Transmission
from transmissions.selectors import handover as handover_selectors
from transmissions.selectors import synthese as synthese_selectors

# The transmission feed (filtered with ?usager=<id>); the links are left out if it is not installed.
FEED_URL_NAMES = ("transmission-feed",)


def _require_reader(request) -> None:
    require(request.user, READ, Transmission.document_class_code)


def feed_base_url() -> str | None:
    for name in FEED_URL_NAMES:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return None


def _log_reads(request, objects, detail: str) -> None:
    audit.log_reads(
        request.user, objects, channel=audit.channel_of(request), detail=detail, ip=audit.client_ip(request)
    )


def _handover_url(unit, shift) -> str:
    query = urlencode({"unite": unit.pk, "poste": shift.poste, "date": shift.date.isoformat()})
    return f"{reverse('handover')}?{query}"


@login_required
def handover(request):
    _require_reader(request)
    now = timezone.now()
    raw_unit = request.GET.get("unite", "").strip()
    unit = (
        selectors.access_unit(request.user, pk=raw_unit) if raw_unit else handover_selectors.default_unit(request.user)
    )
    try:
        shift = handover_selectors.parse_shift(request.GET.get("poste"), request.GET.get("date"), now=now)
    except handover_selectors.ShiftError as error:
        messages.warning(request, f"{error.message} Poste en cours affiché.")
        shift = handover_selectors.shift_at(now)
    units = list(selectors.units_for_user(request.user).filter(is_active=True).order_by("name"))
    if unit is not None and unit not in units:
        units.append(unit)
    context = {"unit": unit, "units": units, "shift": shift, "postes": handover_selectors.Poste.choices}
    if unit is not None:
        data = handover_selectors.handover_for_unit(user=request.user, unit=unit, shift=shift, now=now)
        current = handover_selectors.shift_at(now)
        _log_reads(request, data.shown_transmissions(), f"relève {shift.label.lower()} du {shift.date:%d/%m/%Y}")
        context |= {
            "handover": data,
            "feed_url": feed_base_url(),
            "previous_url": _handover_url(unit, shift.previous()),
            "next_url": _handover_url(unit, shift.next()) if shift.next().start <= now else "",
            "current_url": _handover_url(unit, current) if shift != current else "",
            "printed_at": timezone.localtime(now),
            "essms": active_membership(request.user).essms,
        }
    return render(request, "transmissions/handover/handover.html", context)


@login_required
def synthese(request, usager_pk: int):
    usager = selectors.access_usager(request.user, pk=usager_pk)
    _require_reader(request)
    try:
        days = synthese_selectors.parse_days(request.GET.get("jours"))
    except synthese_selectors.SyntheseError as error:
        context = {"usager": usager, "error": error.message, "days_choices": DAYS_CHOICES, "days": None}
        return render(request, "transmissions/synthese/synthese.html", context, status=400)
    data = synthese_selectors.synthese_for_usager(user=request.user, usager=usager, days=days)
    _log_reads(request, [usager, *data.shown_transmissions()], f"synthèse des transmissions sur {days} jours")
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
