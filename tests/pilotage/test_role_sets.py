"""The role sets' working figures, hand-computed: therapists' bilans and persons followed, diet changes."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from dui.models import Metier
from pilotage.indicators import BY_CODE, evaluate
from pilotage.periods import Period
from pilotage.scope import Scope
from soins.models import Evaluation, HydrationTarget
from tests.factories import UnitFactory, UsagerFactory, professional
from tests.pilotage.history import D, make_stay
from transmissions.models import Transmission

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
MARCH = Period(D(2026, 3, 1), D(2026, 3, 31))


def at(day, hour=10):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=PARIS)


def figure(essms, code, unit=None):
    return evaluate(BY_CODE[code], Scope([essms.pk], MARCH, unit.pk if unit else None, today=D(2026, 12, 1)))


def bilan(author, usager, when):
    return Evaluation.objects.create(essms=usager.essms, usager=usager, created_by=author, grid="en",
                                     answers={"intensite": 2}, evaluated_at=when)  # fmt: skip


def note(author, metier, usager, when, theme="soins"):
    return Transmission.objects.create(
        essms=usager.essms, usager=usager, theme=theme, observed_at=when, written_at=when, author=author,
        author_metier=metier, visibility="all",
    )  # fmt: skip


@pytest.fixture
def world(essms):
    cadre = professional(essms, Metier.CADRE_SANTE)
    glycine, lilas = UnitFactory(essms=essms, name="Glycine"), UnitFactory(essms=essms, name="Lilas")
    ann, bob, cat = (UsagerFactory(essms=essms) for _ in range(3))
    for person, unit in ((ann, glycine), (bob, glycine), (cat, lilas)):
        make_stay(person, cadre, D(2026, 1, 2), placements=[(unit, D(2026, 1, 2), None, None)])
    return cadre, (glycine, lilas), (ann, bob, cat)


def test_bilans_and_persons_followed_by_therapists(essms, world):
    cadre, (glycine, lilas), (ann, bob, cat) = world
    ergo = professional(essms, Metier.ERGOTHERAPEUTE)
    psy = professional(essms, Metier.PSYCHOLOGUE)
    bilan(ergo, ann, at(D(2026, 3, 3)))
    bilan(ergo, ann, at(D(2026, 3, 24)))
    bilan(psy, cat, at(D(2026, 3, 31), 23))  # the last evening of March, local time
    bilan(psy, cat, at(D(2026, 4, 1), 0))  # April: not counted
    bilan(cadre, bob, at(D(2026, 3, 10)))  # not a therapist
    note(psy, Metier.PSYCHOLOGUE, bob, at(D(2026, 3, 12)))
    note(cadre, Metier.CADRE_SANTE, cat, at(D(2026, 3, 12)))

    bilans = figure(essms, "therapist_bilans")
    assert bilans.value == 3
    assert bilans.breakdown == {"Ergothérapeute": 2, "Psychologue": 1}
    followed = figure(essms, "therapist_persons_followed")
    assert followed.value == 3  # ann (ergo), cat (psy bilan), bob (psy note)
    assert followed.breakdown == {"Ergothérapeute": 1, "Psychologue": 2}
    assert figure(essms, "therapist_bilans", glycine).value == 2
    assert figure(essms, "therapist_persons_followed", lilas).value == 1


def test_diet_changes_are_food_transmissions_and_new_hydration_targets(essms, world):
    cadre, (glycine, _lilas), (ann, bob, cat) = world
    note(cadre, Metier.CADRE_SANTE, ann, at(D(2026, 3, 5)), theme="alimentation")
    note(cadre, Metier.CADRE_SANTE, ann, at(D(2026, 3, 6)), theme="soins")
    note(cadre, Metier.CADRE_SANTE, cat, at(D(2026, 2, 27)), theme="alimentation")  # February
    target = HydrationTarget.objects.create(essms=essms, usager=bob, created_by=cadre, daily_ml=1300)
    HydrationTarget.objects.filter(pk=target.pk).update(created_at=at(D(2026, 3, 20)))

    changes = figure(essms, "diet_changes")
    assert changes.value == 2
    assert changes.breakdown == {"Transmissions alimentation": 1, "Objectifs d'hydratation": 1}
    scope = Scope([essms.pk], MARCH, None, today=D(2026, 12, 1))
    assert BY_CODE["diet_changes"].persons(scope) == {ann.pk, bob.pk}
    assert figure(essms, "diet_changes", glycine).value == 2
