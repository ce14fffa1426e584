"""Appointment services: rights of the matrix, bad input refused with nothing written, audit rows."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from dui.models import AccessLog, Appointment, Metier, Transport
from dui.services.planning import appointment_cancel, appointment_create, appointment_update
from tests.dui.test_planning_support import TODAY, appointment, at
from tests.factories import UsagerFactory, professional


@pytest.fixture
def secretary(essms):
    return professional(essms, Metier.SECRETAIRE_MEDICALE)


def create(user, usager, **overrides):
    values = {
        "starts_at": at(TODAY, 10),
        "ends_at": at(TODAY, 11),
        "title": "Consultation de cardiologie",
        "place": "CH de Lyon Sud",
        "transport": Transport.AMBULANCE,
        "transport_booked": True,
        "accompanied_by": "Aide-soignante",
    }
    values.update(overrides)
    return appointment_create(user, usager=usager, **values)


def test_secretary_creates_an_appointment_and_it_is_audited(secretary, usager):
    created = create(secretary, usager, notes="  À jeun  ")
    row = Appointment.objects.get()
    assert row == created
    assert (row.essms_id, row.usager_id, row.created_by) == (usager.essms_id, usager.pk, secretary)
    assert (row.title, row.place, row.notes, row.transport_booked) == (
        "Consultation de cardiologie",
        "CH de Lyon Sud",
        "À jeun",
        True,
    )
    log = AccessLog.objects.get()
    assert (log.action, log.object_type, log.usager_id, log.document_class) == (
        "create",
        "dui.appointment",
        usager.pk,
        "rendez_vous",
    )


def test_no_transport_cannot_be_booked(secretary, usager):
    row = create(secretary, usager, transport=Transport.AUCUN, transport_booked=True)
    assert row.transport_booked is False


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"starts_at": None}, "starts_at", "La date et l'heure de début sont obligatoires."),
        ({"ends_at": at(TODAY, 9)}, "ends_at", "La fin du rendez-vous doit être après son début."),
        ({"ends_at": at(TODAY, 10)}, "ends_at", "La fin du rendez-vous doit être après son début."),
        ({"title": "   "}, "title", "L'objet du rendez-vous est obligatoire."),
        ({"transport": "helicoptere"}, "transport", "Mode de transport inconnu."),
        ({"place": "x" * 201}, "place", None),
    ],
)
def test_bad_input_is_refused_and_nothing_written(secretary, usager, overrides, field, message):
    with pytest.raises(ValidationError) as excinfo:
        create(secretary, usager, **overrides)
    assert field in excinfo.value.message_dict
    if message:
        assert excinfo.value.message_dict[field] == [message]
    assert not Appointment.objects.exists()
    assert not AccessLog.objects.exists()


def test_archived_dossier_is_read_only(secretary, essms):
    archived = UsagerFactory(essms=essms, archived_at=timezone.now())
    with pytest.raises(ValidationError) as excinfo:
        create(secretary, archived)
    assert excinfo.value.messages == ["Ce dossier est archivé : il est en lecture seule."]
    assert not Appointment.objects.exists()


@pytest.mark.parametrize("metier", [Metier.ASH, Metier.ACCUEIL, Metier.ANIMATEUR, Metier.TECHNIQUE])
def test_metier_without_write_right_is_refused(essms, usager, metier):
    with pytest.raises(PermissionDenied):
        create(professional(essms, metier), usager)
    assert not Appointment.objects.exists()
    assert not AccessLog.objects.exists()


def test_dossier_of_another_essms_is_refused(secretary, sibling_essms):
    other = UsagerFactory(essms=sibling_essms)
    with pytest.raises(PermissionDenied):
        create(secretary, other)
    assert not Appointment.objects.exists()


def test_update_changes_fields_and_audits_their_names(secretary, usager):
    row = appointment(usager, by=secretary, starts_at=at(TODAY, 10))
    appointment_update(secretary, appointment=row, transport_booked=True, accompanied_by="Sa fille", place=row.place)
    row.refresh_from_db()
    assert (row.transport_booked, row.accompanied_by) == (True, "Sa fille")
    log = AccessLog.objects.get()
    assert log.action == "update"
    assert log.detail == "rendez-vous modifié : transport_booked, accompanied_by"


def test_update_with_end_before_start_changes_nothing(secretary, usager):
    row = appointment(usager, by=secretary, starts_at=at(TODAY, 10), ends_at=at(TODAY, 11))
    with pytest.raises(ValidationError):
        appointment_update(secretary, appointment=row, ends_at=at(TODAY, 8), title="Autre")
    row.refresh_from_db()
    assert (row.ends_at, row.title) == (at(TODAY, 11), "Consultation de cardiologie")
    assert not AccessLog.objects.exists()


def test_update_refuses_unknown_fields(secretary, usager):
    row = appointment(usager, by=secretary, starts_at=at(TODAY, 10))
    with pytest.raises(ValidationError):
        appointment_update(secretary, appointment=row, usager_id=999)
    with pytest.raises(ValidationError):
        appointment_update(secretary, appointment=row, cancelled_at=timezone.now())
    row.refresh_from_db()
    assert row.cancelled_at is None


def test_update_refused_by_the_matrix(essms, secretary, usager):
    row = appointment(usager, by=secretary, starts_at=at(TODAY, 10))
    with pytest.raises(PermissionDenied):
        appointment_update(professional(essms, Metier.ASH), appointment=row, title="Autre")
    row.refresh_from_db()
    assert row.title == "Consultation de cardiologie"


def test_update_of_archived_dossier_is_refused(secretary, usager):
    row = appointment(usager, by=secretary, starts_at=at(TODAY, 10))
    usager.archived_at = timezone.now()
    usager.save(update_fields=["archived_at"])
    with pytest.raises(ValidationError) as excinfo:
        appointment_update(secretary, appointment=row, title="Autre")
    assert excinfo.value.messages == ["Ce dossier est archivé : il est en lecture seule."]


def test_cancel_then_no_more_changes(secretary, usager):
    row = appointment(usager, by=secretary, starts_at=at(TODAY, 10))
    appointment_cancel(secretary, appointment=row)
    row.refresh_from_db()
    assert row.cancelled_at is not None
    assert AccessLog.objects.get().detail == "rendez-vous annulé"
    with pytest.raises(ValidationError, match="déjà annulé"):
        appointment_cancel(secretary, appointment=row)
    with pytest.raises(ValidationError, match="annulé"):
        appointment_update(secretary, appointment=row, title="Autre")
    assert AccessLog.objects.count() == 1


def test_cancel_refused_to_ash(essms, secretary, usager):
    row = appointment(usager, by=secretary, starts_at=at(TODAY, 10))
    with pytest.raises(PermissionDenied):
        appointment_cancel(professional(essms, Metier.ASH), appointment=row)
    row.refresh_from_db()
    assert row.cancelled_at is None


def test_naive_datetimes_are_read_as_local_time(secretary, usager):
    row = create(secretary, usager, starts_at=datetime.datetime(2026, 3, 16, 10), ends_at=None)  # noqa: DTZ001
    assert timezone.localtime(row.starts_at).hour == 10
