"""The demo plan de soins: realistic rows, a restraint only under its prescription, idempotent."""

import pytest

from demo.seed import care as demo
from dui.models import Metier
from soins.models import CareOccurrence, CarePlanItem
from tests.factories import professional
from tests.soins import factories_care as f

pytestmark = pytest.mark.django_db


def test_seed_is_idempotent(essms, unit):
    cadre = professional(essms, Metier.CADRE_SANTE, username="cadre.demo")
    people = [f.placed_person(essms, unit, cadre, room=str(n)) for n in range(4)]
    line = f.prescription(people[2])
    users = {"cadre.demo": cadre}
    created = demo.seed(essms, users)
    assert created > 20
    assert CarePlanItem.objects.filter(usager=people[0]).count() >= 6
    restraint = CarePlanItem.objects.get(action__category="contention")
    assert restraint.usager == people[2] and restraint.prescription == line and restraint.ends_on == line.ends_on
    assert CareOccurrence.objects.exists()
    counts = (CarePlanItem.objects.count(), CareOccurrence.objects.count())
    assert demo.seed(essms, users) == 0
    assert (CarePlanItem.objects.count(), CareOccurrence.objects.count()) == counts


def test_seed_without_a_planner_does_nothing(essms, unit):
    aide = professional(essms, Metier.AIDE_SOIGNANT)
    f.placed_person(essms, unit, aide)
    assert demo.seed(essms, {"as": aide}) == 0
    assert not CarePlanItem.objects.exists()
