"""The missing-data checklist shown before generating a DLU: what is empty, or older than its
validity, each item with the page of the dossier where it is fixed."""

import datetime
from dataclasses import asdict, dataclass

from django.urls import reverse
from django.utils import timezone

from interop.dlu.builder import DLU_DOM, DluContent, treatments_reviewed_at

TREATMENTS_VALIDITY = datetime.timedelta(days=183)  # treatments reviewed at least every 6 months
YEARLY = datetime.timedelta(days=365)  # DLU-Dom: updated yearly; AGGIR re-evaluated yearly


@dataclass(frozen=True)
class MissingItem:
    code: str
    label: str
    url: str

    def as_dict(self) -> dict:
        return asdict(self)


def missing_items(usager, content: DluContent) -> list[MissingItem]:
    data = content.data
    section = data["section"]
    pk = usager.pk
    medical = reverse("usager-medical", args=[pk])
    entourage = reverse("usager-entourage", args=[pk])
    section_url = reverse("dlu-section", args=[pk])
    identity = reverse("usager-detail", args=[pk])
    items: list[MissingItem] = []

    def add(code, label, url):
        items.append(MissingItem(code, label, url))

    if not data["identity"]["ins"]:
        add("ins", "Identité non qualifiée : le matricule INS ne sera pas imprimé.", identity)
    if not data["entourage"]["medecins"]:
        add("medecin_traitant", "Médecin traitant non renseigné.", entourage)
    if not data["entourage"]["prevenir"]:
        add("personne_a_prevenir", "Aucune personne à prévenir.", entourage)
    if not data["essms"]["phone"]:
        add(
            "contact_24h",
            "Téléphone joignable 24 h/24 de l'établissement non renseigné (paramétrage ESSMS).",
            "/admin/dui/essms/",
        )
    if not section:
        add("dossier_dlu", "Informations d'urgence (DLU) jamais renseignées.", section_url)
    else:
        if not section["preferred_hospital"]:
            add("etablissement_preference", "Établissement de santé de préférence non renseigné.", section_url)
        if not section["mobility"]:
            add("mobilite", "Mobilité non renseignée.", section_url)
        if not section["vaccinations"]:
            add("vaccinations", "Vaccinations non renseignées.", section_url)
        if data["flags"]["advance_directives"] and not section["advance_directives_location"]:
            add("directives_lieu", "Directives anticipées rédigées : indiquez où se trouve le document.", section_url)
        if data["flags"]["isolation_bmr"] and not section["bmr_detail"]:
            add("bmr", "Isolement BMR signalé : précisez le germe et le site.", section_url)
        if data["layout"] == DLU_DOM and not section["housing"]:
            add("logement", "Synthèse environnementale : logement non renseigné.", section_url)
        updated = content.sources.get("dossier_dlu")
        if updated and datetime.date.fromisoformat(updated) < timezone.localdate() - YEARLY:
            add("dossier_dlu_ancien", "Informations d'urgence non revues depuis plus d'un an.", section_url)
    if not data["allergies"] and not data["no_known_allergy"]:
        add(
            "allergies",
            "Allergies non renseignées (ni allergie, ni « aucune allergie connue »).",
            f"{medical}#allergies",
        )
    if not data["treatments"]:
        add("traitements", "Aucun traitement en cours enregistré.", reverse("medication-prescriptions", args=[pk]))
    else:
        reviewed = treatments_reviewed_at(usager)
        if reviewed is not None and reviewed < timezone.now() - TREATMENTS_VALIDITY:
            add(
                "traitements_anciens",
                "Traitements non revus depuis plus de 6 mois.",
                reverse("medication-prescriptions", args=[pk]),
            )
    gir = data["gir"]
    if gir is None:
        add("aggir", "Aucune évaluation AGGIR.", f"{medical}#aggir")
    elif datetime.date.fromisoformat(gir["date"]) < timezone.localdate() - YEARLY:
        add("aggir_ancien", "Dernière évaluation AGGIR de plus d'un an.", f"{medical}#aggir")
    return items
