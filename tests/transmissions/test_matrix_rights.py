"""The former hard-coded métier lists of the app are classes of the OG's matrix: the default matrix
gives the same answers as the lists did, and editing the OG's matrix changes them."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from dui.audit_labels import object_labels
from dui.models import AccessAction, AccessLog, Habilitation, Metier
from tests.factories import UsagerFactory, professional
from transmissions.models import MessageKind, RequestCategory, RequestStatus, Visibility
from transmissions.selectors import transmissions_for_user
from transmissions.selectors.maintenance import is_maintenance_manager, maintenance_requests_for_user
from transmissions.services.maintenance import maintenance_request_create, maintenance_request_set_status
from transmissions.services.messages import may_send_note_de_service, message_open, message_send
from transmissions.services.receipts import transmission_mark_read
from transmissions.services.transmissions import transmission_create
from transmissions.visibility import levels_readable_by, levels_writable_by, may_use_level

# The lists the app hard-coded before the matrix classes (the defaults must reproduce them).
OLD_NOTE_SENDERS = {
    Metier.DIRECTION,
    Metier.CADRE_SANTE,
    Metier.QUALITE,
    Metier.ADMINISTRATEUR,
    Metier.ASSISTANT_DIRECTION,
}
OLD_MAINTENANCE_MANAGERS = {Metier.TECHNIQUE, Metier.DIRECTION, Metier.CADRE_SANTE, Metier.ADMINISTRATEUR}
OLD_MEDICAL_TEAM = {Metier.MEDECIN, Metier.MEDECIN_COORDONNATEUR, Metier.IDE, Metier.CADRE_SANTE, Metier.PHARMACIEN}
OLD_CARE_TEAM = OLD_MEDICAL_TEAM | {
    Metier.AIDE_SOIGNANT,
    Metier.ASH,
    Metier.EDUCATEUR,
    Metier.PSYCHOLOGUE,
    Metier.ERGOTHERAPEUTE,
    Metier.APA,
    Metier.DIETETICIEN,
}
ALL_METIERS = [metier for metier in Metier.values if metier != Metier.PARTENAIRE]


def set_rights(og, metier: str, code: str, *, read: bool, write: bool) -> None:
    updated = Habilitation.objects.filter(og=og, metier=metier, document_class__code=code).update(
        can_read=read, can_write=write
    )
    assert updated == 1


def old_levels(metier: str) -> list[str]:
    levels = [Visibility.ALL_STAFF]
    if metier in OLD_CARE_TEAM:
        levels.append(Visibility.CARE_STAFF)
    if metier in OLD_MEDICAL_TEAM:
        levels.append(Visibility.MEDICAL)
    return levels


# --- Notes de service ---------------------------------------------------------------------------


@pytest.mark.parametrize("metier", ALL_METIERS)
def test_default_matrix_lets_the_former_note_senders_send_notes(essms, metier):
    assert may_send_note_de_service(professional(essms, metier)) is (metier in OLD_NOTE_SENDERS)


def test_editing_the_matrix_changes_who_sends_notes_de_service(og, essms):
    recipient = professional(essms, Metier.AIDE_SOIGNANT)
    set_rights(og, Metier.IDE, "notes_de_service", read=True, write=True)
    set_rights(og, Metier.DIRECTION, "notes_de_service", read=True, write=False)
    nurse, director = professional(essms, Metier.IDE), professional(essms, Metier.DIRECTION)
    note = message_send(nurse, subject="Note", body="Texte", kind=MessageKind.NOTE_DE_SERVICE, users=[recipient.pk])
    assert note.kind == MessageKind.NOTE_DE_SERVICE
    with pytest.raises(ValidationError) as refused:
        message_send(director, subject="Note", body="Texte", kind=MessageKind.NOTE_DE_SERVICE, users=[recipient.pk])
    assert "note de service" in refused.value.message_dict["kind"][0]


# --- Technical requests -------------------------------------------------------------------------


@pytest.mark.parametrize("metier", ALL_METIERS)
def test_default_matrix_keeps_the_former_maintenance_managers(essms, metier):
    assert is_maintenance_manager(professional(essms, metier)) is (metier in OLD_MAINTENANCE_MANAGERS)


def test_editing_the_matrix_changes_who_manages_technical_requests(og, essms):
    requester = professional(essms, Metier.IDE)
    request = maintenance_request_create(requester, place="Chambre 3", category=RequestCategory.AUTRE, description="x")
    set_rights(og, Metier.AIDE_SOIGNANT, "gestion_demandes_techniques", read=True, write=True)
    set_rights(og, Metier.TECHNIQUE, "gestion_demandes_techniques", read=False, write=False)
    aide, technicien = professional(essms, Metier.AIDE_SOIGNANT), professional(essms, Metier.TECHNIQUE)
    assert list(maintenance_requests_for_user(aide)) == [request]
    assert list(maintenance_requests_for_user(technicien)) == []
    with pytest.raises(PermissionDenied):
        maintenance_request_set_status(technicien, maintenance_request=request, status=RequestStatus.PRISE_EN_CHARGE)
    moved = maintenance_request_set_status(aide, maintenance_request=request, status=RequestStatus.PRISE_EN_CHARGE)
    assert moved.status == RequestStatus.PRISE_EN_CHARGE


# --- Visibility levels --------------------------------------------------------------------------


@pytest.mark.parametrize("metier", ALL_METIERS)
def test_default_matrix_gives_the_former_visibility_levels(essms, metier):
    user = professional(essms, metier)
    assert levels_readable_by(user) == old_levels(metier)
    assert levels_writable_by(user) == old_levels(metier)


def test_editing_the_matrix_opens_the_medical_level_to_a_metier(og, essms):
    usager = UsagerFactory(essms=essms)
    nurse = professional(essms, Metier.IDE)
    medical = transmission_create(
        nurse, usager=usager, narrative="Réservé", observed_at=timezone.now(), visibility=Visibility.MEDICAL
    )
    before = professional(essms, Metier.AIDE_SOIGNANT)
    assert medical not in transmissions_for_user(before)
    assert not may_use_level(before, Visibility.MEDICAL)

    set_rights(og, Metier.AIDE_SOIGNANT, "transmissions_medicales", read=True, write=False)
    reader = professional(essms, Metier.AIDE_SOIGNANT)
    assert medical in transmissions_for_user(reader)  # the feed's SQL filter follows the matrix
    assert Visibility.MEDICAL in levels_readable_by(reader)
    with pytest.raises(ValidationError) as refused:  # reading the level is not choosing it
        transmission_create(
            reader, usager=usager, narrative="x", observed_at=timezone.now(), visibility=Visibility.MEDICAL
        )
    assert "visibilité" in refused.value.message_dict["visibility"][0]

    set_rights(og, Metier.AIDE_SOIGNANT, "transmissions_medicales", read=True, write=True)
    writer = professional(essms, Metier.AIDE_SOIGNANT)
    written = transmission_create(
        writer, usager=usager, narrative="x", observed_at=timezone.now(), visibility=Visibility.MEDICAL
    )
    assert written.visibility == Visibility.MEDICAL


def test_editing_the_matrix_closes_the_care_level_to_a_metier(og, essms):
    usager = UsagerFactory(essms=essms)
    care = transmission_create(
        professional(essms, Metier.IDE),
        usager=usager,
        narrative="Soins",
        observed_at=timezone.now(),
        visibility=Visibility.CARE_STAFF,
    )
    assert care in transmissions_for_user(professional(essms, Metier.EDUCATEUR))
    set_rights(og, Metier.EDUCATEUR, "transmissions_equipe_soignante", read=False, write=False)
    educateur = professional(essms, Metier.EDUCATEUR)
    assert care not in transmissions_for_user(educateur)
    assert levels_writable_by(educateur) == [Visibility.ALL_STAFF]


# --- Writes are audited -------------------------------------------------------------------------


def test_opening_a_message_is_logged_once(essms):
    director, nurse = professional(essms, Metier.DIRECTION), professional(essms, Metier.IDE)
    message = message_send(director, subject="Info", body="Texte", users=[nurse.pk])
    assert message_open(nurse, message=message) is True
    assert message_open(nurse, message=message) is False
    rows = AccessLog.objects.filter(object_id=str(message.pk), action=AccessAction.UPDATE, user=nurse)
    assert [row.detail for row in rows] == ["ouvert"]


def test_a_new_read_receipt_is_logged_once(essms):
    usager = UsagerFactory(essms=essms)
    nurse, aide = professional(essms, Metier.IDE), professional(essms, Metier.AIDE_SOIGNANT)
    transmission = transmission_create(nurse, usager=usager, narrative="Note", observed_at=timezone.now())
    transmission_mark_read(aide, transmission=transmission)
    transmission_mark_read(aide, transmission=transmission)
    rows = AccessLog.objects.filter(object_type="transmissions.readreceipt", action=AccessAction.CREATE)
    assert [(row.user_id, row.usager_id, row.document_class, row.detail) for row in rows] == [
        (aide.pk, usager.pk, "transmissions", "marquée comme lue")
    ]
    labels = object_labels(list(rows), {})
    assert next(iter(labels.values())).startswith("Lu : transmission")
    assert not AccessLog.objects.filter(action=AccessAction.UPDATE, object_id=str(transmission.pk)).exists()
