"""The demo shows complete DLUs: every person present has the section filled, the first ones a DLU."""

import pytest

from demo.seed import seed_demo
from demo.seed.dlu import GENERATED
from dui.models import DossierDlu, Sejour, SejourStatus
from interop.dlu.models import DluGeneration

pytestmark = pytest.mark.django_db


def test_every_person_present_has_a_section_and_a_dlu():
    _, establishments = seed_demo()
    ehpad = establishments["ehpad"]
    present = set(Sejour.objects.filter(essms=ehpad, status=SejourStatus.ACTIVE).values_list("usager_id", flat=True))
    assert present
    assert present <= set(DossierDlu.objects.filter(essms=ehpad).values_list("usager_id", flat=True))
    generated = set(DluGeneration.objects.filter(essms=ehpad).values_list("usager_id", flat=True))
    assert generated <= present and len(generated) == min(len(present), GENERATED)
    ehpad.refresh_from_db()
    assert ehpad.emergency_phone
    generations = DluGeneration.objects.count()
    seed_demo()
    assert DluGeneration.objects.count() == generations
