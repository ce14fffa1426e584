"""The medication's reserved acts are matrix classes: their defaults give the same answers as the former
métier lists (prescribers, pharmacists, "si besoin" givers, allergy overriders), and an OG that edits
its matrix changes them."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied

from dui.actor import Actor
from dui.catalogue import VALIDATE, WRITE
from dui.models import Habilitation, Metier, SubstanceClass
from dui.permissions import can
from dui.services import medical
from soins.models import InterventionKind, PrescriptionLine
from soins.services import doses as dose_services
from soins.services import drug_checks
from soins.services import medication as medication_services
from tests.factories import professional
from tests.soins.factories_medication import as_needed_fields, doctor, nurse, pharmacist, prescribe

# The métier lists the services used to hold, before the matrix classes replaced them.
FORMER_PRESCRIBERS = {Metier.MEDECIN, Metier.MEDECIN_COORDONNATEUR}
FORMER_PHARMACISTS = {Metier.PHARMACIEN}
FORMER_AS_NEEDED_GIVERS = {Metier.IDE, Metier.CADRE_SANTE, Metier.MEDECIN, Metier.MEDECIN_COORDONNATEUR}
FORMER_OVERRIDERS = {Metier.MEDECIN, Metier.MEDECIN_COORDONNATEUR}


def set_right(essms, metier: str, code: str, **rights) -> None:
    """Edit one cell of the OG's matrix (can_read / can_write / can_validate)."""
    updated = Habilitation.objects.filter(og_id=essms.og_id, metier=metier, document_class__code=code).update(**rights)
    assert updated == 1


def fresh(user) -> Actor:
    """The user as a new request sees it (the matrix row is read again)."""
    user.__dict__.pop("_rights_cache", None)
    return Actor(user=user)


@pytest.mark.parametrize(
    ("code", "action", "former"),
    [
        (medication_services.PRESCRIPTION_ACT, WRITE, FORMER_PRESCRIBERS),
        (medication_services.PRESCRIPTION_ACT, VALIDATE, FORMER_PRESCRIBERS),
        (medication_services.PHARMACY_ACT, WRITE, FORMER_PHARMACISTS),
        (medication_services.AS_NEEDED_ACT, WRITE, FORMER_AS_NEEDED_GIVERS),
        (drug_checks.OVERRIDE_ACT, WRITE, FORMER_OVERRIDERS),
    ],
)
def test_the_default_matrix_gives_the_former_lists(essms, code, action, former):
    for metier in Metier.values:
        actor = Actor(user=professional(essms, metier))
        assert can(actor, action, code) == (metier in former), (metier, code, action)


# --- Prescribing, validating, stopping (PRESCRIBERS)


def test_a_doctor_without_the_prescription_right_may_no_longer_prescribe(essms, usager):
    medecin = doctor(essms)
    line = prescribe(medecin, usager)
    set_right(essms, Metier.MEDECIN, medication_services.PRESCRIPTION_ACT, can_write=False)
    with pytest.raises(PermissionDenied, match="Seul un médecin peut prescrire"):
        prescribe(fresh(medecin), usager, drug="Doliprane")
    with pytest.raises(PermissionDenied, match="Seul un médecin peut arrêter"):
        medication_services.prescription_stop(fresh(medecin), line, reason="Erreur")
    assert PrescriptionLine.objects.count() == 1


def test_a_doctor_without_the_validation_right_may_no_longer_validate(essms, usager):
    medecin = doctor(essms)
    line = prescribe(medecin, usager)
    set_right(essms, Metier.MEDECIN, medication_services.PRESCRIPTION_ACT, can_validate=False)
    with pytest.raises(PermissionDenied, match="Seul un médecin peut valider"):
        medication_services.prescription_validate(fresh(medecin), line)
    line.refresh_from_db()
    assert line.validated_at is None


def test_an_og_may_give_the_prescription_act_to_another_metier(essms):
    ide = nurse(essms)
    assert not can(fresh(ide), WRITE, medication_services.PRESCRIPTION_ACT)
    set_right(essms, Metier.IDE, medication_services.PRESCRIPTION_ACT, can_read=True, can_write=True)
    assert can(fresh(ide), WRITE, medication_services.PRESCRIPTION_ACT)


# --- Pharmacist interventions (PHARMACISTS)


def test_a_pharmacist_without_the_right_may_no_longer_intervene(essms, usager):
    line = prescribe(doctor(essms), usager)
    luc = pharmacist(essms)
    set_right(essms, Metier.PHARMACIEN, medication_services.PHARMACY_ACT, can_write=False)
    with pytest.raises(PermissionDenied, match="Seul un pharmacien"):
        medication_services.intervention_create(fresh(luc), line, kind=InterventionKind.COMMENTAIRE, text="Vu")
    assert not line.interventions.exists()


def test_an_og_may_give_the_pharmacist_act_to_another_metier(essms):
    ide = nurse(essms)
    assert not can(fresh(ide), WRITE, medication_services.PHARMACY_ACT)
    set_right(essms, Metier.IDE, medication_services.PHARMACY_ACT, can_read=True, can_write=True)
    assert can(fresh(ide), WRITE, medication_services.PHARMACY_ACT)


# --- "Si besoin" doses (AS_NEEDED_GIVERS)


def test_a_nurse_without_the_right_may_no_longer_give_an_as_needed_dose(essms, usager):
    medecin = doctor(essms)
    prn = medication_services.prescription_create(medecin, usager, **as_needed_fields())
    medication_services.prescription_validate(medecin, prn)
    ide = nurse(essms)
    set_right(essms, Metier.IDE, medication_services.AS_NEEDED_ACT, can_write=False)
    with pytest.raises(PermissionDenied, match="Seul un\\(e\\) infirmier"):
        dose_services.as_needed_record(fresh(ide), prn, idempotency_key=uuid.uuid4())


def test_an_og_may_let_another_metier_give_as_needed_doses(essms, usager):
    medecin = doctor(essms)
    prn = medication_services.prescription_create(medecin, usager, **as_needed_fields())
    medication_services.prescription_validate(medecin, prn)
    aide = professional(essms, Metier.AIDE_SOIGNANT)
    assert not can(fresh(aide), WRITE, medication_services.AS_NEEDED_ACT)
    set_right(essms, Metier.AIDE_SOIGNANT, medication_services.AS_NEEDED_ACT, can_read=True, can_write=True)
    assert can(fresh(aide), WRITE, medication_services.AS_NEEDED_ACT)


# --- Prescribing despite an allergy (OVERRIDERS)


@pytest.fixture
def allergic(essms, usager):
    medical.allergy_add(
        doctor(essms),
        usager=usager,
        substance_class=SubstanceClass.objects.get(code="penicillines"),
        severity="severe",
        reaction="urticaire",
    )
    return usager


def amoxicilline(usager) -> PrescriptionLine:
    from dui.models import Drug

    return PrescriptionLine(usager=usager, drug_ref=Drug.objects.filter(name__startswith="AMOXICILLINE 1 g").first())


def test_a_doctor_without_the_override_right_may_no_longer_prescribe_despite_an_allergy(essms, allergic):
    medecin = doctor(essms)
    assert drug_checks.check_allergies(fresh(medecin), amoxicilline(allergic), "Réintroduction surveillée")
    set_right(essms, Metier.MEDECIN, drug_checks.OVERRIDE_ACT, can_write=False)
    with pytest.raises(PermissionDenied, match="Seul un médecin peut prescrire malgré une allergie"):
        drug_checks.check_allergies(fresh(medecin), amoxicilline(allergic), "Réintroduction surveillée")


def test_an_og_may_let_another_metier_override_an_allergy(essms, allergic):
    ide = nurse(essms)
    with pytest.raises(PermissionDenied):
        drug_checks.check_allergies(fresh(ide), amoxicilline(allergic), "motif")
    set_right(essms, Metier.IDE, drug_checks.OVERRIDE_ACT, can_read=True, can_write=True)
    assert drug_checks.check_allergies(fresh(ide), amoxicilline(allergic), "motif")


def test_the_chart_offers_the_as_needed_form_by_the_matrix(essms, usager, client):
    from django.urls import reverse

    medecin = doctor(essms)
    prn = medication_services.prescription_create(medecin, usager, **as_needed_fields())
    medication_services.prescription_validate(medecin, prn)
    form_action = reverse("medication-line-as-needed", args=[prn.pk])
    client.force_login(nurse(essms))
    url = reverse("medication-chart", args=[usager.pk])
    assert form_action in client.get(url).content.decode()
    set_right(essms, Metier.IDE, medication_services.AS_NEEDED_ACT, can_write=False)
    assert form_action not in client.get(url).content.decode()


def test_the_prescriptions_page_offers_the_acts_by_the_matrix(essms, usager, client):
    from django.urls import reverse

    medecin = doctor(essms)
    line = prescribe(medecin, usager)
    url = reverse("medication-prescriptions", args=[usager.pk])
    create = reverse("medication-line-create", args=[usager.pk])
    intervene = reverse("medication-line-intervention", args=[line.pk])
    client.force_login(medecin)
    assert create in client.get(url).content.decode()
    client.force_login(pharmacist(essms))
    assert intervene in client.get(url).content.decode()
    set_right(essms, Metier.MEDECIN, medication_services.PRESCRIPTION_ACT, can_write=False, can_validate=False)
    set_right(essms, Metier.PHARMACIEN, medication_services.PHARMACY_ACT, can_write=False)
    assert intervene not in client.get(url).content.decode()
    client.force_login(medecin)
    assert create not in client.get(url).content.decode()
