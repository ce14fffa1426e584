"""Recording structured events: each writes its transmission too; bad input writes nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from dui.models import AccessLog, Metier
from tests.factories import UsagerFactory, professional
from tests.kinds import offer_everywhere
from tests.transmissions.test_events_support import fall, incident, local, seizure
from transmissions.models import Cible, Event, EventKind, Theme, Transmission, Visibility
from transmissions.selectors import transmissions_for_user
from transmissions.selectors.events import events_for_user
from transmissions.services.events import format_duration
from transmissions.services.transmissions import transmission_correct


@pytest.fixture(autouse=True)
def _seizures_offered_in_the_ehpad(og):
    """These tests record seizures in the fixtures' EHPAD: its OG offers the seizure form there too
    (by default only children's and disabled adults' establishments do: tests/dui/test_essms_kinds.py)."""
    offer_everywhere(og, "event", "epilepsie")


@pytest.fixture
def aide_soignant(essms):
    return professional(essms, Metier.AIDE_SOIGNANT)


@pytest.fixture
def nurse(essms):
    return professional(essms, Metier.IDE)


def nothing_written():
    return not Transmission.objects.exists() and not Event.objects.exists()


def test_seizure_is_recorded_with_its_transmission(aide_soignant, usager, og):
    cible = Cible.objects.create(og=og, label="Crise d’épilepsie", theme=Theme.SOINS)  # typographic apostrophe
    event = seizure(
        aide_soignant,
        usager,
        at=local(2025, 3, 10, 14, 5),
        seconds=150,
        circumstances="Au réveil, après une nuit agitée",
        treatment_given="Midazolam buccal 10 mg",
    )
    t = event.transmission
    assert (event.kind, event.duration_seconds, event.seizure_type) == (EventKind.EPILEPSIE, 150, "tonico-clonique")
    assert (t.usager, t.cible, t.theme, t.visibility, t.observed_at) == (
        usager,
        cible,
        Theme.SOINS,
        Visibility.CARE_STAFF,
        event.occurred_at,
    )
    assert t.narrative == (
        "Crise d'épilepsie (tonico-clonique) de 2 min 30 s à 14 h 05 ; circonstances : Au réveil, après une nuit "
        "agitée ; traitement : Midazolam buccal 10 mg."
    )
    assert "midazolam" in t.search_text
    assert AccessLog.objects.filter(action="create", object_type="transmissions.event", object_id=str(event.pk))
    assert AccessLog.objects.filter(action="create", object_type="transmissions.transmission", object_id=str(t.pk))
    # The feed (the one read road of transmissions) shows it.
    assert list(transmissions_for_user(aide_soignant).filter(usager=usager)) == [t]
    assert list(events_for_user(aide_soignant)) == [event]


def test_fall_without_catalogue_entry_uses_a_free_cible(nurse, usager):
    event = fall(nurse, usager, at=local(2025, 3, 10, 7, 30), consequences="Hématome au front", severity="moyenne")
    t = event.transmission
    assert (t.cible, t.free_cible, t.theme) == (None, "Chute", Theme.MOBILITE)
    assert t.narrative == (
        "Chute à 7 h 30 ; lieu : Salle de bain ; conséquences : Hématome au front ; gravité : moyenne."
    )
    assert (event.place, event.severity) == ("Salle de bain", "moyenne")
    assert transmissions_for_user(nurse).filter(pk=t.pk).exists()


@pytest.mark.parametrize(
    ("kind", "label", "cible_label", "theme"),
    [
        (EventKind.INCIDENT, "Incident", "Incident", Theme.AUTRE),
        (EventKind.COMPORTEMENT, "Trouble du comportement", "Comportement", Theme.COMPORTEMENT),
    ],
)
def test_incident_and_behaviour(nurse, usager, og, kind, label, cible_label, theme):
    Cible.objects.create(og=og, label=cible_label, theme=theme)
    event = incident(nurse, usager, kind=kind, at=local(2025, 1, 2, 18, 0), circumstances="Cris dans le couloir.")
    t = event.transmission
    assert (event.kind, t.cible.label, t.theme) == (kind, cible_label, theme)
    assert t.narrative == f"{label} à 18 h 00 ; circonstances : Cris dans le couloir."
    assert transmissions_for_user(nurse).filter(pk=t.pk).exists()


def test_cible_of_another_og_or_inactive_is_not_used(nurse, usager, og):
    Cible.objects.create(og=og, label="Chute", theme=Theme.MOBILITE, is_active=False)
    event = fall(nurse, usager)
    assert (event.transmission.cible, event.transmission.free_cible) == (None, "Chute")


def test_duration_of_exactly_24_hours_is_accepted(nurse, usager):
    assert seizure(nurse, usager, seconds=24 * 3600).duration_seconds == 86400


@pytest.mark.parametrize(
    ("record", "kwargs", "message"),
    [
        (seizure, {"seconds": 0}, "supérieure à zéro"),
        (seizure, {"seconds": -3}, "supérieure à zéro"),
        (seizure, {"seconds": 24 * 3600 + 1}, "24 heures"),
        (seizure, {"seconds": None}, "durée"),
        (seizure, {"seizure_type": "  "}, "type de crise"),
        (seizure, {"seizure_type": "x" * 81}, "80 caractères"),
        (seizure, {"at": "future"}, "futur"),
        (fall, {"place": ""}, "lieu de la chute"),
        (fall, {"at": "future"}, "futur"),
        (fall, {"at": local(1938, 5, 11, 10, 0)}, "naissance"),
        (seizure, {"at": local(1899, 12, 31, 10, 0)}, "invalides"),
        (fall, {"severity": "extrême"}, "Gravité inconnue"),
        (incident, {"circumstances": " "}, "circonstances"),
        (incident, {"kind": "chute"}, "incident ou comportement"),
        (incident, {"at": "future"}, "futur"),
        (seizure, {"visibility": Visibility.MEDICAL}, "visibilité"),
        (fall, {"visibility": "secret"}, "visibilité"),
    ],
)
def test_bad_input_writes_nothing(aide_soignant, usager, record, kwargs, message):
    if kwargs.get("at") == "future":
        kwargs["at"] = timezone.now() + datetime.timedelta(minutes=30)
    with pytest.raises(ValidationError, match=message):
        record(aide_soignant, usager, **kwargs)
    assert nothing_written()
    assert not AccessLog.objects.filter(action="create").exists()


def test_a_few_minutes_ahead_is_tolerated(nurse, usager):
    fall(nurse, usager, at=timezone.now() + datetime.timedelta(minutes=3))


def test_unknown_or_archived_person_writes_nothing(nurse, essms, foreign_essms, sibling_essms):
    with pytest.raises(ValidationError, match="Personne inconnue"):
        seizure(nurse, UsagerFactory(essms=foreign_essms))
    with pytest.raises(ValidationError, match="Personne inconnue"):
        fall(nurse, UsagerFactory(essms=sibling_essms))
    with pytest.raises(ValidationError, match="archivé"):
        incident(nurse, UsagerFactory(essms=essms, archived_at=timezone.now()))
    assert nothing_written()


@pytest.mark.parametrize("metier", [Metier.ASH, Metier.ANIMATEUR, Metier.TECHNIQUE, Metier.DIRECTION])
def test_metiers_without_the_write_right_are_refused(essms, usager, metier):
    with pytest.raises(PermissionDenied, match="événements"):
        seizure(professional(essms, metier), usager)
    assert nothing_written()


def test_failure_after_the_transmission_rolls_everything_back(nurse, usager, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("disque plein")

    monkeypatch.setattr(Event.objects, "create", broken)
    with pytest.raises(RuntimeError):
        fall(nurse, usager)
    assert nothing_written()
    assert not AccessLog.objects.exists()


def test_reading_follows_the_matrix_and_the_visibility(essms, usager, nurse):
    care = seizure(nurse, usager)
    medical = fall(nurse, usager, visibility=Visibility.MEDICAL)
    everyone = incident(nurse, usager, visibility=Visibility.ALL_STAFF)
    # The ASH belongs to the care team and reads the class: not the medical level.
    assert set(events_for_user(professional(essms, Metier.ASH))) == {care, everyone}
    assert set(events_for_user(nurse)) == {care, medical, everyone}
    # An animateur does not read the class 'evenements' by default, whatever the level.
    assert not events_for_user(professional(essms, Metier.ANIMATEUR)).exists()


def test_a_corrected_visibility_applies_to_the_event(essms, usager, nurse):
    event = fall(nurse, usager, visibility=Visibility.ALL_STAFF)
    ash = professional(essms, Metier.ASH)
    assert events_for_user(ash).filter(pk=event.pk).exists()
    transmission_correct(nurse, transmission=event.transmission, visibility=Visibility.MEDICAL)
    assert not events_for_user(ash).filter(pk=event.pk).exists()
    assert events_for_user(nurse).filter(pk=event.pk).exists()


def test_other_essms_events_are_out_of_reach(essms, sibling_essms, usager, nurse):
    event = seizure(nurse, usager)
    assert not events_for_user(professional(sibling_essms, Metier.IDE)).filter(pk=event.pk).exists()


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(None, ""), (45, "45 s"), (60, "1 min"), (150, "2 min 30 s"), (3600, "1 h"), (3905, "1 h 05 min 5 s")],
)
def test_format_duration(seconds, text):
    assert format_duration(seconds) == text
