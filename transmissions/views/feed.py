"""Transmissions screens: the feed (filters, search), "since my last shift", one transmission with
its versions, writing in one screen, correcting, adding a result, read receipts.

Reads go through transmissions.selectors.feed and are logged in bulk; writes through the services.
An object out of reach (other ESSMS, visibility level, matrix) is a 404.
"""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_GET, require_POST

from dui import selectors
from dui.actor import actor_of
from dui.catalogue import READ, WRITE
from dui.errors import NotFound
from dui.permissions import can
from dui.selectors.active_file import active_file
from dui.views.service_errors import show_service_error
from transmissions.forms import AddResultForm, FeedFilterForm, TransmissionCorrectForm, TransmissionForm
from transmissions.models import Transmission
from transmissions.presenters import present
from transmissions.selectors import cibles_offered_for_user, cibles_offered_list
from transmissions.selectors import feed as feed_selectors
from transmissions.selectors import people as people_selectors
from transmissions.services import receipts
from transmissions.services.transmissions import transmission_add_result, transmission_correct, transmission_create

# Service error keys → fields of the writing form.
FIELD_OF_ERROR = {"usager": "concerne", "unit": "concerne"}


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        return target
    return default


def _people(actor, *, with_placement: bool) -> list:
    """The active file for the person lists: only the columns a name needs (300 people stay cheap),
    with the unit and room when the list shows them (writing screen), not for the feed's filter."""
    people = active_file(actor, with_placement=with_placement)[0]
    return list(people.select_related(None).only(*people_selectors.PERSON_FIELDS))


def _typed_person(actor, form, values: dict) -> list:
    """Without JavaScript, the person field arrives as typed words and no id: the matching persons.

    One match is used as the filter (`values` updated); several are offered as links to choose from."""
    if not form.person_typed:
        return []
    candidates = people_selectors.person_matches(actor, form.person_typed)
    if len(candidates) == 1:
        form.person = candidates[0]
        values["usager_id"] = candidates[0].pk
    return candidates


def _without(query, *names: str) -> str:
    """The query string without these parameters (links that replace them), ending with "&" if not empty."""
    query = query.copy()
    for name in names:
        query.pop(name, None)
    encoded = query.urlencode()
    return f"{encoded}&" if encoded else ""


def _readable(actor) -> bool:
    return can(actor, READ, Transmission.document_class_code)


# --- Feed ---------------------------------------------------------------------------------------


@login_required
@require_GET
def transmission_feed(request):
    actor = actor_of(request)
    if not _readable(actor):
        return render(request, "transmissions/feed/forbidden.html")
    form = FeedFilterForm(
        request.GET or None,
        units=selectors.units_for_user(actor),
        cibles=cibles_offered_list(actor),
        find_person=partial(people_selectors.feed_person, actor),
    )
    if form.is_bound:
        form.is_valid()
    values = form.values()
    candidates = _typed_person(actor, form, values)
    filters = feed_selectors.FeedFilters(**values)
    if "usager" in form.errors or (form.person_typed and not candidates):
        # A person asked for but not found: nothing rather than everybody's transmissions.
        page = feed_selectors.FeedPage(rows=[], next_cursor=None, is_first=True)
    else:
        page = feed_selectors.feed_page(actor, filters, cursor=request.GET.get("apres"))
    rows = present(actor, page.rows)
    next_url = None
    if page.next_cursor:
        query = request.GET.copy()
        query["apres"] = page.next_cursor
        next_url = f"?{query.urlencode()}"
    first_query = request.GET.copy()
    first_query.pop("apres", None)
    context = {
        "form": form,
        "rows": rows,
        "next_url": next_url,
        "first_url": f"?{first_query.urlencode()}" if first_query else "?",
        "is_first": page.is_first,
        "filtered": any(value for value in values.values()) or bool(form.person_typed),
        "candidates": [(c.pk, people_selectors.person_label(c)) for c in candidates] if len(candidates) > 1 else [],
        "nobody_found": bool(form.person_typed) and not candidates,
        "choose_query": _without(request.GET, "apres", "usager", "personne"),
        "unread_count": feed_selectors.unread_count(actor),
        "can_write": can(actor, WRITE, Transmission.document_class_code),
        "here": request.get_full_path(),
    }
    return render(request, "transmissions/feed/feed.html", context)


@login_required
@require_GET
def transmission_person_search(request):
    """The feed's person field, as the user types: at most 20 persons of the active file (htmx)."""
    actor = actor_of(request)
    query = request.GET.get("personne", "")
    people = people_selectors.person_matches(actor, query) if _readable(actor) else []
    options = [(person.pk, people_selectors.person_label(person)) for person in people]
    return render(request, "transmissions/feed/_person_options.html", {"options": options, "query": query})


@login_required
@require_GET
def transmission_unread(request):
    actor = actor_of(request)
    if not _readable(actor):
        return render(request, "transmissions/feed/forbidden.html")
    by_person = request.GET.get("ordre") == "personne"
    unread = feed_selectors.unread_list(actor, by_person=by_person, detail="transmissions non lues")
    rows = present(actor, unread, grouped=by_person)
    total = len(rows) if len(rows) < feed_selectors.UNREAD_LIMIT else feed_selectors.unread_count(actor)
    context = {
        "rows": rows,
        "total": total,
        "by_person": by_person,
        "window_days": feed_selectors.UNREAD_WINDOW.days,
        "limit": feed_selectors.UNREAD_LIMIT,
        "here": request.get_full_path(),
        "can_write": can(actor, WRITE, Transmission.document_class_code),
    }
    return render(request, "transmissions/feed/unread.html", context)


@login_required
@require_POST
def transmission_mark_read(request, pk: int):
    actor = actor_of(request)
    transmission = feed_selectors.access_transmission(actor, pk)
    receipts.transmission_mark_read(actor, transmission=transmission)
    messages.success(request, "Transmission marquée comme lue.")
    return redirect(_safe_next(request, reverse("transmission-unread")))


@login_required
@require_POST
def transmission_mark_all_read(request):
    ids = [value for value in request.POST.getlist("transmission") if value.isdigit() and len(value) < 19]
    count = receipts.transmissions_mark_read(actor_of(request), transmission_ids=ids)
    if count:
        plural = "s" if count > 1 else ""
        messages.success(request, f"{count} transmission{plural} marquée{plural} comme lue{plural}.")
    else:
        messages.warning(request, "Aucune transmission à marquer comme lue.")
    return redirect(_safe_next(request, reverse("transmission-unread")))


# --- One transmission ---------------------------------------------------------------------------


def _writable(actor, transmission: Transmission) -> bool:
    usager = transmission.usager
    return can(actor, WRITE, transmission) and (usager is None or usager.archived_at is None)


@login_required
def transmission_detail(request, pk: int):
    actor = actor_of(request)
    shown = feed_selectors.access_transmission(actor, pk)
    current = feed_selectors.current_version(actor, shown)
    versions = present(actor, feed_selectors.thread_versions(actor, shown, detail="transmission et versions"))
    if current is not None and not current.is_read:
        receipts.transmission_mark_read(actor, transmission=current)
    present(actor, [shown] if current is None else [current])
    context = {
        "shown": shown,
        "current": current,
        "versions": versions,
        "can_write": current is not None and _writable(actor, current),
        "archived": shown.usager is not None and shown.usager.archived_at is not None,
    }
    return render(request, "transmissions/feed/detail.html", context)


# --- Writing ------------------------------------------------------------------------------------


def _preselection(request):
    """(usager, unit) named in the query string: ?usager=<id> (404 out of reach) or ?unite=<id>."""
    actor = actor_of(request)
    usager = unit = None
    raw = request.GET.get("usager", "")
    if raw:
        if not raw.isdigit() or len(raw) > 18:
            raise NotFound
        usager = selectors.access_usager(actor.user, pk=int(raw))
    raw_unit = request.GET.get("unite", "")
    if raw_unit.isdigit() and len(raw_unit) < 19:
        unit = selectors.units_for_user(actor).filter(pk=int(raw_unit), is_active=True).first()
    return usager, unit


@login_required
def transmission_create_view(request):
    actor = actor_of(request)
    actor.require(WRITE, Transmission.document_class_code)
    usager, unit = _preselection(request)
    people = _people(actor, with_placement=True)
    if usager is not None and all(person.pk != usager.pk for person in people):
        people.insert(0, usager)
    units = list(selectors.units_for_user(actor).filter(is_active=True))
    initial = {}
    if usager is not None:
        initial["concerne"] = f"p{usager.pk}"
    elif unit is not None:
        initial["concerne"] = f"u{unit.pk}"
    cibles = list(cibles_offered_for_user(actor).filter(is_active=True))
    form_kwargs = {"actor": actor, "cibles": cibles, "people": people, "units": units, "initial": initial}
    if request.method == "POST":
        form = TransmissionForm(request.POST, **form_kwargs)
        if form.is_valid():
            try:
                transmission = transmission_create(actor, **form.content())
            except ValidationError as error:
                show_service_error(form, error, field_map=FIELD_OF_ERROR)
            except PermissionDenied:
                raise NotFound from None
            else:
                receipts.transmission_mark_read(actor, transmission=transmission)
                messages.success(request, "Transmission enregistrée.")
                default = reverse("transmission-feed")
                if transmission.usager_id:
                    default = f"{default}?{urlencode({'usager': transmission.usager_id})}"
                return redirect(_safe_next(request, default))
    else:
        form = TransmissionForm(**form_kwargs)
    context = {"form": form, "usager": usager, "next": _safe_next(request, "")}
    return render(request, "transmissions/feed/write.html", context)


def _current_for_writing(actor, pk: int) -> Transmission:
    transmission = feed_selectors.access_transmission(actor, pk)
    if not transmission.is_current or not _writable(actor, transmission):
        raise NotFound
    return transmission


@login_required
def transmission_correct_view(request, pk: int):
    actor = actor_of(request)
    shown = feed_selectors.access_transmission(actor, pk)
    if not shown.is_current:
        current = feed_selectors.current_version(actor, shown)
        if current is None:
            raise NotFound
        messages.warning(request, "Cette version a été remplacée : vous corrigez la version la plus récente.")
        return redirect("transmission-correct", pk=current.pk)
    transmission = _current_for_writing(actor, pk)
    cibles = list(cibles_offered_for_user(actor).filter(is_active=True))
    form_kwargs = {"actor": actor, "cibles": cibles, "transmission": transmission}
    if request.method == "POST":
        form = TransmissionCorrectForm(request.POST, **form_kwargs)
        if form.is_valid():
            try:
                new = transmission_correct(actor, transmission=transmission, **form.changes())
            except ValidationError as error:
                show_service_error(form, error, field_map=FIELD_OF_ERROR)
            except PermissionDenied:
                raise NotFound from None
            else:
                receipts.transmission_mark_read(actor, transmission=new)
                messages.success(request, f"Correction publiée (version {new.version}) ; l'historique reste visible.")
                return redirect("transmission-detail", pk=new.pk)
    else:
        form = TransmissionCorrectForm(**form_kwargs)
    feed_selectors.transmission_shown(actor, transmission, detail="correction")
    return render(request, "transmissions/feed/correct.html", {"form": form, "transmission": transmission})


@login_required
def transmission_add_result_view(request, pk: int):
    actor = actor_of(request)
    transmission = _current_for_writing(actor, pk)
    if not (transmission.cible_id or transmission.free_cible):
        messages.warning(request, "Une note n'a pas de résultats : corrigez-la pour la compléter.")
        return redirect("transmission-detail", pk=transmission.pk)
    if request.method == "POST":
        form = AddResultForm(request.POST)
        if form.is_valid():
            try:
                new = transmission_add_result(
                    actor, transmission=transmission, resultats=form.cleaned_data["resultats"]
                )
            except ValidationError as error:
                show_service_error(form, error, field_map=FIELD_OF_ERROR)
            except PermissionDenied:
                raise NotFound from None
            else:
                receipts.transmission_mark_read(actor, transmission=new)
                messages.success(request, f"Résultat ajouté (version {new.version}).")
                return redirect("transmission-detail", pk=new.pk)
    else:
        form = AddResultForm()
    present(actor, [transmission])
    feed_selectors.transmission_shown(actor, transmission, detail="ajout d'un résultat")
    return render(request, "transmissions/feed/add_result.html", {"form": form, "transmission": transmission})
