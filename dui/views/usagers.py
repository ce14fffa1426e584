"""Dossier list and the dossier page: reads go through the selectors and are audited."""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from dui.actor import actor_of
from dui.catalogue import READ
from dui.permissions import can
from dui.selectors import active_file as active_file_selectors
from dui.selectors import identity as identity_selectors
from dui.selectors.catalogue_kinds import event_kind_offered


@dataclass(frozen=True)
class Section:
    title: str
    url_name: str
    description: str
    document_class: str


# The sections of a dossier, each opened only when the matrix lets the user read its class.
SECTIONS: tuple[Section, ...] = (
    Section("DLU — urgence", "dlu-page", "Dossier de liaison d'urgence à imprimer, fiches de transfert.", "dlu"),
    Section("Séjours et présences", "usager-sejours", "Admission, unités, absences, sortie.", "sejours"),
    Section("Entourage", "usager-entourage", "Personne de confiance, représentant légal, famille.", "entourage"),
    Section("Médical", "usager-medical", "Antécédents, allergies, traitements, évaluations.", "allergies"),
    Section("Vie quotidienne", "usager-life", "Habitudes de vie, centres d'intérêt.", "habitudes_vie"),
    Section("Documents", "usager-documents", "Comptes rendus, ordonnances, pièces.", "identite"),
    Section("Planning", "usager-planning", "Rendez-vous et transports.", "rendez_vous"),
    Section("Activités", "activities-usager", "Séances, présences et satisfaction.", "activites"),
    Section("Synthèse", "synthese", "Événements, cibles ouvertes et dernières transmissions.", "transmissions"),
    Section("Projet personnalisé", "ppa-usager", "Attentes, besoins, objectifs, actions, accord.", "ppa"),
    Section("Évaluations", "usager-evaluations", "Douleur, constantes, poids, selles.", "constantes"),
    Section("Plan de soins", "care-plan", "Soins planifiés par jour et par poste.", "plan_soins"),
    Section("Médicaments", "medication-prescriptions", "Prescriptions et plan d'administration.", "prescriptions"),
)


@dataclass(frozen=True)
class Shortcut:
    """A link into another feature, filtered on this person (query string `?usager=`)."""

    label: str
    url_name: str
    document_class: str
    action: str = READ
    url_args: tuple = ()
    # An event kind of the kind-based catalogue (dui.essms_kinds): shown only where it is offered.
    event_kind: str | None = None


SHORTCUTS: tuple[Shortcut, ...] = (
    Shortcut("Écrire une transmission", "transmission-create", "transmissions", "write"),
    Shortcut("Transmissions", "transmission-feed", "transmissions"),
    Shortcut("Déclarer une chute", "event-create", "evenements", "write", ("chute",), "chute"),
    Shortcut("Déclarer une crise d'épilepsie", "event-create", "evenements", "write", ("epilepsie",), "epilepsie"),
    Shortcut("Événements", "event-list", "evenements"),
    Shortcut("Relevé des événements", "releve", "evenements"),
)


def url_or_none(name: str, usager) -> str | None:
    try:
        return reverse(name, args=[usager.pk])
    except NoReverseMatch:
        return None


def shortcuts_for(user, usager) -> list[dict]:
    shown = []
    for shortcut in SHORTCUTS:
        if not can(user, shortcut.action, shortcut.document_class):
            continue
        if shortcut.event_kind and not event_kind_offered(user, shortcut.event_kind, usager):
            continue
        try:
            url = reverse(shortcut.url_name, args=shortcut.url_args)
        except NoReverseMatch:
            continue
        shown.append({"label": shortcut.label, "url": f"{url}?usager={usager.pk}"})
    return shown


def sections_for(user, usager) -> list[dict]:
    shown = []
    for section in SECTIONS:
        if not can(user, READ, section.document_class):
            continue
        url = url_or_none(section.url_name, usager)
        if url is None:
            continue
        shown.append({"title": section.title, "url": url, "description": section.description})
    return shown


@login_required
def usager_list(request):
    actor = actor_of(request)
    query = request.GET.get("q", "").strip()
    page = identity_selectors.usager_list_page(
        actor, query=query, page_number=request.GET.get("page"), prepare=active_file_selectors.with_current_placement
    )
    cards = active_file_selectors.cards(request.user, page.object_list)
    return render(request, "dui/usagers/list.html", {"page": page, "query": query, "cards": cards})


@login_required
def usager_detail(request, pk: int):
    actor = actor_of(request)
    usager = identity_selectors.usager_page(actor, pk)
    context = {
        "usager": usager,
        "sections": sections_for(actor, usager),
        "shortcuts": [] if usager.is_archived else shortcuts_for(request.user, usager),
        "show_palliative": actor.can(READ, "soins_palliatifs"),
        "show_directives": actor.can(READ, "directives_anticipees"),
        "can_edit_identity": actor.can("write", usager) and not usager.is_archived,
        "export_url": url_or_none("usager-export", usager) if actor.can("validate", usager) else None,
        "can_merge": actor.can("validate", "identitovigilance") and not usager.is_archived,
    }
    return render(request, "dui/usagers/detail.html", context)
