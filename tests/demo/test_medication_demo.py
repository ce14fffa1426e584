"""Demo prescriptions: realistic validated lines, their administrations, idempotent."""

from demo.seed import medication as medication_demo
from dui.models import Metier
from soins.models import CareOccurrence, PharmacistIntervention, PrescriptionLine
from tests.factories import UsagerFactory, professional


def test_seed_is_realistic_and_idempotent(essms):
    users = {
        "ehpad.medecin_coordonnateur": professional(essms, Metier.MEDECIN_COORDONNATEUR),
        "ehpad.pharmacien": professional(essms, Metier.PHARMACIEN),
        "ehpad.ide": professional(essms, Metier.IDE),
    }
    for _ in range(3):
        UsagerFactory(essms=essms)
    created = medication_demo.seed(essms, users)
    assert PrescriptionLine.objects.count() == 9
    assert {
        drug.split()[0] for drug in PrescriptionLine.objects.filter(aide_a_la_prise=True).values_list("drug", flat=True)
    } == {
        "PARACÉTAMOL",
        "FUROSÉMIDE",
    }
    tramadol = PrescriptionLine.objects.get(drug__startswith="TRAMADOL")
    assert tramadol.times == ["20:00"] and not tramadol.aide_a_la_prise
    assert not PrescriptionLine.objects.filter(validated_at__isnull=True).exists()
    assert PrescriptionLine.objects.filter(kind="medicament", drug_ref__isnull=True).count() == 0
    assert PrescriptionLine.objects.filter(as_needed=True).count() == 2
    assert PrescriptionLine.objects.filter(kind="contention").count() == 1
    assert PharmacistIntervention.objects.get().substitute == "Furosémide Biogaran 40 mg"
    assert CareOccurrence.objects.filter(prescription__isnull=False).exists()
    assert created == 9 + 1 + 0  # the administrations were made on validation
    assert medication_demo.seed(essms, users) == 0
    assert PrescriptionLine.objects.count() == 9


def test_seed_without_a_doctor_writes_nothing(essms):
    UsagerFactory(essms=essms)
    assert medication_demo.seed(essms, {"ide": professional(essms, Metier.IDE)}) == 0
    assert not PrescriptionLine.objects.exists()


def test_demo_allergies_cover_severe_moderate_and_none_known(essms):
    from demo.seed import medical as demo_medical
    from dui.selectors.medical import allergy_status

    users = {"ehpad.medecin": professional(essms, Metier.MEDECIN)}
    people = [UsagerFactory(essms=essms) for _ in range(3)]
    assert demo_medical.seed(essms, users) == 3
    status, allergies, _ = allergy_status(people[0])
    assert status == "allergies" and allergies[0].severity == "severe" and allergies[0].reaction == "angio-œdème"
    assert allergy_status(people[1])[1][0].severity == "moderee"
    assert allergy_status(people[2])[0] == "aucune_connue"
    assert demo_medical.seed(essms, users) == 0
