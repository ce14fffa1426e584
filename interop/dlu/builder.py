"""The content of a DLU, built from the dossier (never retyped): identity, entourage, medical
sections, prescription lines in force, the "Informations d'urgence" section and the banner flags.

The result is plain data (JSON-serialisable): its fingerprint tells whether a regeneration would
change anything, and the PDF template renders it. Reads are scoped to the dossier's ESSMS; the
caller (the generation service) has checked the right to write the DLU and logs the read.
"""

import datetime
import hashlib
import json
from dataclasses import dataclass, field

from django.db.models import Max, Q
from django.utils import timezone

from dui.ins import IdentityStatus
from dui.models import (
    AggirEvaluation,
    Allergy,
    AllergyStatement,
    Antecedent,
    Contact,
    ContactRole,
    DossierDlu,
    EssmsKind,
    Treatment,
    Usager,
)
from dui.models.dlu import Deficit, MobilityRisk, Prosthesis, PsychicState, TakeAlong
from soins.models import Evaluation, PrescriptionKind, PrescriptionLine

HOME_CARE_KINDS = frozenset({EssmsKind.SSIAD, EssmsKind.SAAD, EssmsKind.SSAD})
HAS_2015 = "has2015"
DLU_DOM = "dludom2021"
LAYOUT_LABELS = {HAS_2015: "DLU HAS 2015 (EHPAD)", DLU_DOM: "DLU-Dom 2021 (domicile)"}


def layout_for(essms) -> str:
    """DLU-Dom for the home-care services, the HAS 2015 DLU everywhere else (EHPAD first)."""
    return DLU_DOM if essms.kind in HOME_CARE_KINDS else HAS_2015


def _labels(codes, choices) -> list[str]:
    labels = dict(choices)
    return [labels[code] for code in codes or () if code in labels]


def _person(contact: Contact) -> dict:
    return {
        "name": " ".join(p for p in (contact.first_name, contact.last_name.upper()) if p),
        "relationship": contact.relationship,
        "phone": contact.phone,
        "protection": contact.get_protection_measure_display() if contact.protection_measure else "",
    }


def _iso(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date().isoformat()
    return value.isoformat()


@dataclass
class DluContent:
    data: dict
    sources: dict = field(default_factory=dict)

    @property
    def fingerprint(self) -> str:
        payload = json.dumps(self.data, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(payload.encode()).hexdigest()


def _entourage(usager: Usager) -> tuple[dict, datetime.datetime | None]:
    contacts = list(
        Contact.objects.filter(essms_id=usager.essms_id, usager_id=usager.pk, ended_at__isnull=True).order_by(
            "last_name", "first_name", "pk"
        )
    )
    by_role = lambda role: [_person(c) for c in contacts if c.role == role]  # noqa: E731
    entourage = {
        "representants": by_role(ContactRole.REPRESENTANT_LEGAL),
        "confiance": by_role(ContactRole.PERSONNE_CONFIANCE),
        "prevenir": [_person(c) for c in contacts if c.is_emergency_contact],
        "medecins": [{**_person(c), "rpps": c.rpps} for c in contacts if c.role == ContactRole.MEDECIN_TRAITANT],
        "aidants": by_role(ContactRole.AIDANT),
    }
    return entourage, max((c.created_at for c in contacts), default=None)


def _treatments(usager: Usager) -> tuple[list[dict], datetime.datetime | None]:
    today = timezone.localdate()
    lines = PrescriptionLine.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today),
        essms_id=usager.essms_id,
        usager_id=usager.pk,
        kind=PrescriptionKind.MEDICAMENT,
        stopped_at__isnull=True,
        starts_on__lte=today,
    ).order_by("as_needed", "drug", "pk")
    rows, latest = [], None
    for line in lines:
        when = f"si {line.as_needed_condition}" if line.as_needed else ", ".join(line.times or ())
        route = line.get_route_display().lower() if line.route else ""
        rows.append({"label": line.drug, "detail": " — ".join(p for p in (line.dose, route, when) if p)})
        latest = max(filter(None, (latest, line.created_at)), default=None)
    for treatment in Treatment.objects.filter(essms_id=usager.essms_id, usager_id=usager.pk, ended_at__isnull=True):
        rows.append({"label": treatment.line, "detail": ""})
        latest = max(filter(None, (latest, treatment.created_at)), default=None)
    return rows, latest


def _last_grid(usager: Usager, grid: str) -> Evaluation | None:
    return (
        Evaluation.objects.filter(essms_id=usager.essms_id, usager_id=usager.pk, grid=grid)
        .order_by("-evaluated_at", "-pk")
        .first()
    )


def _last_gir(usager: Usager) -> dict | None:
    aggir = (
        AggirEvaluation.objects.filter(essms_id=usager.essms_id, usager_id=usager.pk, ended_at__isnull=True)
        .order_by("-evaluated_on", "-pk")
        .first()
    )
    grid = _last_grid(usager, "aggir")
    candidates = []
    if aggir is not None:
        candidates.append((aggir.evaluated_on, aggir.gir))
    if grid is not None and (grid.results or {}).get("gir"):
        candidates.append((timezone.localtime(grid.evaluated_at).date(), grid.results["gir"]))
    if not candidates:
        return None
    day, gir = max(candidates, key=lambda c: c[0])
    return {"gir": gir, "date": day.isoformat()}


def _section(section: DossierDlu | None) -> dict:
    if section is None:
        return {}
    return {
        "preferred_hospital": section.preferred_hospital,
        "active_problems": section.active_problems,
        "psychic_states": _labels(section.psychic_states, PsychicState.choices),
        "psychic_comment": section.psychic_comment,
        "deficits": _labels(section.deficits, Deficit.choices),
        "mobility": section.get_mobility_display() if section.mobility else "",
        "mobility_risks": _labels(section.mobility_risks, MobilityRisk.choices),
        "pressure_ulcer_risk": section.pressure_ulcer_risk,
        "pressure_ulcer_present": section.pressure_ulcer_present,
        "bmr_detail": section.bmr_detail,
        "vaccinations": section.vaccinations,
        "advance_directives_location": section.advance_directives_location,
        "prostheses": _labels(section.prostheses, Prosthesis.choices),
        "blood_group": section.blood_group,
        "take_along": _labels(section.take_along, TakeAlong.choices),
        "housing": section.housing,
        "carers": section.carers,
        "pharmacist": section.pharmacist,
    }


def dlu_section_of(usager: Usager) -> DossierDlu | None:
    return DossierDlu.objects.filter(essms_id=usager.essms_id, usager_id=usager.pk).first()


def build_dlu(usager: Usager) -> DluContent:
    """Everything the DLU prints, and the date each source was last changed."""
    essms = usager.essms
    entourage, entourage_at = _entourage(usager)
    treatments, treatments_at = _treatments(usager)
    scope = {"essms_id": usager.essms_id, "usager_id": usager.pk, "ended_at__isnull": True}
    antecedents = list(Antecedent.objects.filter(**scope).order_by("-year", "label", "pk"))
    allergies = list(Allergy.objects.filter(**scope).order_by("substance", "pk"))
    no_allergy = AllergyStatement.objects.filter(**scope).order_by("-created_at").first()
    section = dlu_section_of(usager)
    qualified = usager.identity_status == IdentityStatus.QUALIFIEE and bool(usager.ins_matricule)
    data = {
        "layout": layout_for(essms),
        "essms": {"name": essms.name, "finess": essms.finess, "phone": essms.emergency_phone},
        "identity": {
            "birth_name": usager.birth_name,
            "first_names": usager.first_names,
            "used_name": usager.used_name,
            "used_first_name": usager.used_first_name,
            "birth_date": usager.birth_date.isoformat(),
            "sex": usager.get_sex_display(),
            "ins": usager.ins_matricule if qualified else "",
            "identity_status": usager.get_identity_status_display(),
        },
        "entourage": entourage,
        "antecedents": [
            {"label": a.label, "kind": a.get_kind_display(), "year": a.year, "comment": a.comment} for a in antecedents
        ],
        "allergies": [
            {"substance": a.substance, "reaction": a.reaction, "severity": a.get_severity_display()} for a in allergies
        ],
        "no_known_allergy": no_allergy is not None and not allergies,
        "treatments": treatments,
        "flags": {
            "palliative_care": usager.palliative_care,
            "advance_directives": usager.has_advance_directives,
            "fall_risk": usager.fall_risk,
            "swallowing_disorder": usager.swallowing_disorder,
            "isolation_bmr": usager.isolation_bmr,
        },
        "gir": _last_gir(usager),
        "section": _section(section),
    }
    medical_dates = [a.created_at for a in antecedents] + [a.created_at for a in allergies]
    if no_allergy is not None:
        medical_dates.append(no_allergy.created_at)
    sources = {
        "identite": _iso(usager.updated_at),
        "entourage": _iso(entourage_at),
        "medical": _iso(max(medical_dates, default=None)),
        "traitements": _iso(treatments_at),
        "aggir": data["gir"]["date"] if data["gir"] else None,
        "dossier_dlu": _iso(section.updated_at) if section else None,
    }
    return DluContent(data=data, sources=sources)


SOURCE_LABELS = {
    "identite": "Identité et indicateurs",
    "entourage": "Entourage",
    "medical": "Antécédents et allergies",
    "traitements": "Traitements",
    "aggir": "Dernier GIR",
    "dossier_dlu": "Informations d'urgence",
}


def treatments_reviewed_at(usager: Usager) -> datetime.datetime | None:
    """When the prescription lines in force were last written or validated (for the 6-month review)."""
    found = PrescriptionLine.objects.filter(
        essms_id=usager.essms_id, usager_id=usager.pk, stopped_at__isnull=True
    ).aggregate(created=Max("created_at"), validated=Max("validated_at"))
    return max(filter(None, found.values()), default=None)
