"""Prescribing against the referential: allergy stops (override by a médecin with a reason only),
daily maxima across lines in force, unknown drug ids, free-text lines marked unverifiable."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dui.actor import Actor
from dui.models import AccessLog, Drug, Metier, Substance, SubstanceClass
from dui.services import medical
from soins.models import PrescriptionLine
from soins.services import doses as dose_services
from soins.services import medication as medication_services
from tests.factories import UsagerFactory, professional
from tests.soins.factories_medication import as_needed_fields, doctor, line_fields


@pytest.fixture
def medecin(essms):
    return doctor(essms)


def drug(name_start: str) -> Drug:
    return Drug.objects.filter(name__startswith=name_start).order_by("name").first()


def amoxicilline_fields(**overrides):
    return line_fields(drug="", drug_ref=drug("AMOXICILLINE 1 g").pk, units_per_dose=1, dose="1 g") | overrides


@pytest.fixture
def allergic(essms, usager, medecin):
    medical.allergy_add(
        medecin,
        usager=usager,
        substance_class=SubstanceClass.objects.get(code="penicillines"),
        severity="severe",
        reaction="angio-œdème",
    )
    return usager


def test_the_starter_referential_is_loaded_on_migrate(db):
    assert drug("AMOXICILLINE 1 g").components.get().substance.name == "amoxicilline"
    assert Substance.objects.get(name="paracétamol").max_daily_mg_frail == 3000
    assert SubstanceClass.objects.get(code="penicillines").substances.filter(name="amoxicilline").exists()


def test_an_allergenic_prescription_without_reason_is_stopped_and_nothing_written(medecin, allergic):
    with pytest.raises(ValidationError) as error:
        medication_services.prescription_create(medecin, allergic, **amoxicilline_fields())
    text = error.value.message_dict["allergy_override_reason"][0]
    assert "Pénicillines" in text and "sévère" in text and "angio-œdème" in text and "motif" in text
    assert not PrescriptionLine.objects.exists()
    assert not AccessLog.objects.filter(object_type="soins.prescriptionline").exists()


def test_a_doctor_overrides_with_a_reason_kept_and_audited(medecin, allergic):
    line = medication_services.prescription_create(
        medecin, allergic, **amoxicilline_fields(allergy_override_reason="Test de réintroduction sous surveillance")
    )
    assert line.allergy_override_reason.startswith("Test de réintroduction")
    assert line.allergy_override_by == medecin and line.allergy_override_at is not None
    assert AccessLog.objects.filter(detail__startswith="prescrit malgré l'allergie").count() == 1


def test_a_substance_allergy_matches_a_combination(medecin, usager):
    medical.allergy_add(medecin, usager=usager, substance_ref=Substance.objects.get(name="codéine"), severity="moderee")
    fields = line_fields(drug_ref=drug("PARACÉTAMOL/CODÉINE").pk, units_per_dose=1)
    with pytest.raises(ValidationError, match="codéine"):
        medication_services.prescription_create(medecin, usager, **fields)
    # An unrelated drug goes through.
    assert medication_services.prescription_create(medecin, usager, **amoxicilline_fields()).pk


@pytest.mark.parametrize("metier", [Metier.IDE, Metier.PHARMACIEN])
def test_an_override_by_a_non_doctor_is_refused(essms, allergic, metier):
    with pytest.raises(PermissionDenied):
        medication_services.prescription_create(
            professional(essms, metier), allergic, **amoxicilline_fields(allergy_override_reason="je passe outre")
        )
    assert not PrescriptionLine.objects.exists()


def test_the_override_check_itself_names_the_doctor(essms, allergic):
    from soins.services import drug_checks

    nurse = professional(essms, Metier.IDE)
    line = PrescriptionLine(usager=allergic, drug_ref=drug("AMOXICILLINE 1 g"))
    with pytest.raises(PermissionDenied, match="Seul un médecin peut prescrire malgré une allergie"):
        drug_checks.check_allergies(Actor.for_task(nurse), line, "motif")


def test_an_unknown_drug_id_is_refused(medecin, usager):
    for bad in (999999, "abc"):
        with pytest.raises(ValidationError) as error:
            medication_services.prescription_create(medecin, usager, **line_fields(drug_ref=bad, units_per_dose=1))
        assert "inconnu du référentiel" in error.value.message_dict["drug_ref"][0]
    assert not PrescriptionLine.objects.exists()


def test_a_referential_line_needs_units_per_dose(medecin, usager):
    with pytest.raises(ValidationError, match="unités par prise"):
        medication_services.prescription_create(medecin, usager, **amoxicilline_fields(units_per_dose=None))
    assert not PrescriptionLine.objects.exists()


def test_the_daily_maximum_counts_every_line_in_force_including_as_needed(medecin, usager):
    # Born in 1938: the frail/elderly maximum of paracétamol applies (3 g).
    paracetamol = drug("PARACÉTAMOL 1 g").pk
    medication_services.prescription_create(
        medecin, usager, **line_fields(drug_ref=paracetamol, units_per_dose=1, times=["08:00", "20:00"])
    )
    with pytest.raises(ValidationError) as error:
        medication_services.prescription_create(
            medecin,
            usager,
            **as_needed_fields(drug_ref=drug("PARACÉTAMOL 500 mg").pk, units_per_dose=2, max_per_day=2),
        )
    text = error.value.message_dict["units_per_dose"][0]
    assert "paracétamol" in text and "4 g par jour" in text and "3 g au plus" in text
    assert PrescriptionLine.objects.count() == 1
    # One "si besoin" of 1 g a day fits (2 g + 1 g = 3 g).
    medication_services.prescription_create(
        medecin, usager, **as_needed_fields(drug_ref=drug("PARACÉTAMOL 1 g").pk, units_per_dose=1, max_per_day=1)
    )


def test_an_adult_has_the_adult_maximum(essms, medecin):
    import datetime

    adult = UsagerFactory(essms=essms, birth_date=datetime.date(1990, 1, 1))
    fields = line_fields(drug_ref=drug("PARACÉTAMOL 1 g").pk, units_per_dose=1, times=["06:00", "12:00", "18:00"])
    assert medication_services.prescription_create(medecin, adult, **fields).pk  # 3 g < 4 g
    with pytest.raises(ValidationError, match="4 g au plus"):
        medication_services.prescription_create(
            medecin,
            adult,
            **line_fields(drug_ref=drug("PARACÉTAMOL 500 mg").pk, units_per_dose=2, times=["07:00", "22:00"]),
        )


def test_a_stopped_line_no_longer_counts(medecin, usager):
    paracetamol = drug("PARACÉTAMOL 1 g").pk
    first = medication_services.prescription_create(
        medecin, usager, **line_fields(drug_ref=paracetamol, units_per_dose=1, times=["08:00", "12:00", "20:00"])
    )
    medication_services.prescription_stop(medecin, first, reason="relais")
    assert medication_services.prescription_create(
        medecin, usager, **line_fields(drug_ref=paracetamol, units_per_dose=1, times=["08:00", "12:00", "20:00"])
    ).pk


def test_a_modification_exceeding_the_maximum_stops_nothing(medecin, usager):
    paracetamol = drug("PARACÉTAMOL 1 g").pk
    line = medication_services.prescription_create(
        medecin, usager, **line_fields(drug_ref=paracetamol, units_per_dose=1)
    )
    with pytest.raises(ValidationError):
        medication_services.prescription_modify(
            medecin, line, reason="plus", **line_fields(drug_ref=paracetamol, units_per_dose=2)
        )
    line.refresh_from_db()
    assert line.stopped_at is None and PrescriptionLine.objects.count() == 1


def test_a_free_text_line_is_marked_unverifiable(medecin, allergic):
    line = medication_services.prescription_create(medecin, allergic, **line_fields(drug="Augmentin maison"))
    assert line.unverifiable
    assert dose_services.administration_label(line).endswith("[hors référentiel : non vérifiable]")
    referential = medication_services.prescription_create(
        medecin, allergic, **line_fields(drug_ref=drug("PARACÉTAMOL 1 g").pk, units_per_dose=1)
    )
    assert not referential.unverifiable and referential.drug.startswith("PARACÉTAMOL 1 g")


def test_the_worklist_dose_carries_the_allergy_marker(medecin, allergic):
    from soins.models import CareOccurrence

    line = medication_services.prescription_create(
        medecin, allergic, **amoxicilline_fields(allergy_override_reason="Réintroduction")
    )
    medication_services.prescription_validate(medecin, line)
    labels = set(CareOccurrence.objects.filter(prescription=line).values_list("label", flat=True))
    assert labels and all(label.endswith("[⚠ allergie : Pénicillines (bêta-lactamines) (sévère)]") for label in labels)


def test_an_allergy_recorded_after_prescribing_stops_the_validation(medecin, usager):
    line = medication_services.prescription_create(medecin, usager, **amoxicilline_fields())
    medical.allergy_add(
        medecin,
        usager=usager,
        substance_ref=Substance.objects.get(name="amoxicilline"),
        severity="moderee",
    )
    with pytest.raises(ValidationError, match="Validation impossible"):
        medication_services.prescription_validate(medecin, line)
    line.refresh_from_db()
    assert line.validated_at is None


def test_an_allergy_recorded_after_the_doses_marks_those_still_to_give_and_its_end_clears_them(medecin, usager):
    """The doses generated before the allergy was known carry its marker at once; a given dose keeps its label."""
    from soins.models import CareOccurrence, OccurrenceStatus

    line = medication_services.prescription_create(medecin, usager, **amoxicilline_fields())
    medication_services.prescription_validate(medecin, line)
    doses = CareOccurrence.objects.filter(prescription=line).order_by("due_at")
    given = doses.first()
    CareOccurrence.objects.filter(pk=given.pk).update(status=OccurrenceStatus.DONE)
    allergy = medical.allergy_add(
        medecin,
        usager=usager,
        substance_ref=Substance.objects.get(name="amoxicilline"),
        severity="severe",
    )
    pending = doses.filter(status=OccurrenceStatus.PENDING)
    assert pending.exists()
    assert all("⚠ allergie : amoxicilline (sévère)" in label for label in pending.values_list("label", flat=True))
    given.refresh_from_db()
    assert "allergie" not in given.label
    medical.allergy_end(medecin, allergy=allergy)
    assert not any("allergie" in label for label in pending.values_list("label", flat=True))


def test_closing_the_allergy_on_the_medical_page_clears_the_marker_of_the_doses_to_give(client, medecin, allergic):
    from django.urls import reverse

    from dui.models import Allergy
    from soins.models import CareOccurrence

    line = medication_services.prescription_create(
        medecin, allergic, **amoxicilline_fields(allergy_override_reason="Réintroduction")
    )
    medication_services.prescription_validate(medecin, line)
    doses = CareOccurrence.objects.filter(prescription=line)
    assert all("allergie" in label for label in doses.values_list("label", flat=True))
    allergy = Allergy.objects.get(usager=allergic)
    client.force_login(medecin)
    client.post(reverse("medical-end", args=[allergic.pk, "allergies", allergy.pk]))
    assert not any("allergie" in label for label in doses.values_list("label", flat=True))
