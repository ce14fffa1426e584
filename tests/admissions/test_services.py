"""Services of the admission requests: workflow, opinion, duplicates, conversion to a pré-admission.

Every refusal is a French message and writes nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from admissions.models import (
    AdmissionContact,
    AdmissionOpinion,
    AdmissionRequest,
    AdmissionSettings,
    AdmissionStatusChange,
    Status,
)
from admissions.services import conversion
from admissions.services import requests as services
from dui.errors import NotFound, RightRefused
from dui.models import Contact, Document, Metier, Sejour, Usager
from dui.services.identity import DuplicateSuspectedError
from tests.admissions.factories import make_request, pdf_file, request_data
from tests.factories import UsagerFactory, professional


@pytest.fixture
def secretaire(essms):
    return professional(essms, Metier.SECRETAIRE_MEDICALE)


@pytest.fixture
def medecin(essms):
    return professional(essms, Metier.MEDECIN_COORDONNATEUR)


def _walk(actor, request, *statuses, **extra):
    for status in statuses:
        request = services.request_transition(actor, request=request, to_status=status, **extra)
    return request


def _accepted(secretaire, medecin, **overrides):
    request = services.request_create(
        secretaire,
        data=request_data(**overrides),
        contacts=[{"last_name": "Lemaire", "first_name": "Paul", "relationship": "fils", "phone": "0600000001"}],
    )
    request = _walk(secretaire, request, Status.EN_ETUDE, Status.AVIS_MEDICAL)
    services.opinion_record(medecin, request=request, verdict="favorable", text="Autonomie compatible.")
    return _walk(secretaire, request, Status.ACCEPTEE)


def test_create_records_the_first_step_at_reception(secretaire, essms):
    request = services.request_create(secretaire, data=request_data(), contacts=[{"last_name": "Lemaire"}])
    assert (request.essms_id, request.status, request.birth_name) == (essms.pk, Status.RECUE, "LEMAIRE")
    step = request.status_changes.get()
    assert (step.from_status, step.to_status, step.at) == ("", Status.RECUE, request.received_at)
    assert request.contacts.count() == 1


def test_create_bad_input_refused_in_french(secretaire):
    with pytest.raises(ValidationError) as error:
        services.request_create(
            secretaire, data=request_data(source="fax", birth_name="", sex="X", accommodation="", priority=9)
        )
    assert set(error.value.message_dict) == {"source", "birth_name", "sex", "accommodation", "priority"}
    assert "obligatoire" in error.value.message_dict["birth_name"][0]
    assert not AdmissionRequest.objects.exists()


def test_duplicate_open_request_for_the_same_person_refused(secretaire):
    services.request_create(secretaire, data=request_data())
    with pytest.raises(ValidationError) as error:
        services.request_create(
            secretaire,
            data=request_data(external_ref="", source="directe", first_names="JOSETTE", birth_name="lemaire"),
        )
    assert "déjà ouverte pour cette personne" in error.value.messages[0]
    assert AdmissionRequest.objects.count() == 1


def test_same_person_again_after_a_refusal_is_a_new_request(secretaire):
    first = services.request_create(secretaire, data=request_data())
    _walk(secretaire, first, Status.REFUSEE, reason="Pas de place adaptée")
    second = services.request_create(secretaire, data=request_data(external_ref="VT-2002"))
    assert second.pk != first.pk


def test_same_external_reference_refused(secretaire):
    services.request_create(secretaire, data=request_data())
    with pytest.raises(ValidationError) as error:
        services.request_create(secretaire, data=request_data(birth_name="Autre", first_names="Personne"))
    assert error.value.message_dict == {"external_ref": [services.EXTERNAL_REF_TAKEN]}


def test_every_allowed_transition_is_recorded(secretaire, medecin):
    request = _accepted(secretaire, medecin)
    request = services.request_transition(
        secretaire, request=request, to_status=Status.ENTREE_PLANIFIEE, planned_entry_on=timezone.localdate()
    )
    steps = list(request.status_changes.values_list("from_status", "to_status"))
    assert steps == [
        ("", "recue"),
        ("recue", "en_etude"),
        ("en_etude", "avis_medical"),
        ("avis_medical", "acceptee"),
        ("acceptee", "entree_planifiee"),
    ]
    assert request.planned_entry_on == timezone.localdate()
    assert AdmissionStatusChange.objects.filter(request=request).last().by == secretaire


def test_visit_then_opinion_then_cancel(secretaire):
    request = services.request_create(secretaire, data=request_data())
    request = _walk(secretaire, request, Status.EN_ETUDE, Status.VISITE, Status.AVIS_MEDICAL, Status.ANNULEE)
    assert request.status == Status.ANNULEE


@pytest.mark.parametrize(
    ("path", "forbidden"),
    [
        ((), Status.ACCEPTEE),
        ((), Status.ENTREE_PLANIFIEE),
        ((Status.REFUSEE,), Status.EN_ETUDE),
        ((Status.ANNULEE,), Status.RECUE),
        ((Status.EN_ETUDE,), Status.RECUE),
    ],
)
def test_forbidden_transitions_refused(secretaire, path, forbidden):
    request = services.request_create(secretaire, data=request_data())
    request = _walk(secretaire, request, *path, reason="Motif")
    before = request.status_changes.count()
    with pytest.raises(ValidationError) as error:
        services.request_transition(secretaire, request=request, to_status=forbidden)
    assert "ne peut pas passer" in error.value.message_dict["to_status"][0]
    request.refresh_from_db()
    assert request.status_changes.count() == before


def test_refusal_without_reason_refused(secretaire):
    request = _walk(secretaire, services.request_create(secretaire, data=request_data()), Status.EN_ETUDE)
    with pytest.raises(ValidationError) as error:
        services.request_transition(secretaire, request=request, to_status=Status.REFUSEE, reason="  ")
    assert error.value.message_dict == {"reason": [services.REASON_MISSING]}
    request.refresh_from_db()
    assert request.status == Status.EN_ETUDE
    refused = services.request_transition(secretaire, request=request, to_status=Status.REFUSEE, reason="GIR 1")
    assert (refused.status, refused.refusal_reason) == (Status.REFUSEE, "GIR 1")


def test_acceptance_without_opinion_refused_when_required(secretaire, essms):
    assert services.settings_for(essms.pk).opinion_required  # the default
    request = _walk(secretaire, services.request_create(secretaire, data=request_data()), Status.EN_ETUDE)
    with pytest.raises(ValidationError) as error:
        services.request_transition(secretaire, request=request, to_status=Status.ACCEPTEE)
    assert error.value.message_dict == {"to_status": [services.OPINION_MISSING]}
    request.refresh_from_db()
    assert request.status == Status.EN_ETUDE
    assert request.status_changes.count() == 2


def test_acceptance_without_opinion_allowed_when_not_required(secretaire, essms):
    AdmissionSettings.objects.create(essms=essms, opinion_required=False)
    request = _walk(secretaire, services.request_create(secretaire, data=request_data()), Status.EN_ETUDE)
    assert services.request_transition(secretaire, request=request, to_status=Status.ACCEPTEE).status == "acceptee"


def test_planned_entry_needs_a_date(secretaire, medecin):
    request = _accepted(secretaire, medecin)
    with pytest.raises(ValidationError) as error:
        services.request_transition(secretaire, request=request, to_status=Status.ENTREE_PLANIFIEE)
    assert error.value.message_dict == {"planned_entry_on": [services.PLANNED_DATE_MISSING]}


def test_only_the_medecin_coordonnateur_gives_the_opinion(secretaire, medecin, essms):
    request = services.request_create(secretaire, data=request_data())
    with pytest.raises(PermissionDenied):
        services.opinion_record(secretaire, request=request, verdict="favorable", text="Oui")
    with pytest.raises(ValidationError) as error:
        services.opinion_record(medecin, request=request, verdict="peut-etre", text="")
    assert set(error.value.message_dict) == {"verdict", "text"}
    assert not AdmissionOpinion.objects.exists()
    services.opinion_record(medecin, request=request, verdict="reserve", text="À revoir après la visite.")
    assert AdmissionOpinion.objects.get().author == medecin


def test_ide_reads_but_does_not_write(essms, secretaire):
    request = services.request_create(secretaire, data=request_data())
    with pytest.raises(RightRefused):
        services.request_transition(professional(essms, Metier.IDE), request=request, to_status=Status.EN_ETUDE)
    with pytest.raises(RightRefused):
        services.request_create(professional(essms, Metier.AIDE_SOIGNANT), data=request_data(external_ref="x"))


def test_another_essms_request_is_not_found(secretaire, sibling_essms):
    request = services.request_create(secretaire, data=request_data())
    with pytest.raises(NotFound):
        services.request_transition(
            professional(sibling_essms, Metier.SECRETAIRE_MEDICALE), request=request, to_status=Status.EN_ETUDE
        )


def test_document_parts_checked_like_dossier_uploads(secretaire):
    request = services.request_create(secretaire, data=request_data())
    with pytest.raises(ValidationError) as error:
        services.document_add(
            secretaire,
            request=request,
            part="medical",
            title="Volet",
            file=pdf_file().__class__(b"MZ...", name="x.exe"),
        )
    assert "Type de fichier non accepté" in error.value.messages[0]
    document = services.document_add(
        secretaire, request=request, part="medical", title="Volet médical", file=pdf_file()
    )
    assert (document.mime_type, document.document_class_code) == ("application/pdf", "certificat_medical")


def test_conversion_carries_identity_contacts_documents_and_opinion(secretaire, medecin, essms):
    request = _accepted(secretaire, medecin)
    services.document_add(secretaire, request=request, part="medical", title="Volet médical VT", file=pdf_file())
    services.document_add(secretaire, request=request, part="administratif", title="Volet admin", file=pdf_file())
    usager = conversion.request_convert(secretaire, request=request)
    assert (usager.essms_id, usager.birth_name, usager.first_names, usager.sex) == (
        essms.pk, "LEMAIRE", "Josette Marie", "F",
    )  # fmt: skip
    assert usager.birth_date == datetime.date(1938, 4, 12)
    sejour = Sejour.objects.get(usager=usager)
    assert (sejour.status, sejour.first_contact_on) == ("pre_admission", timezone.localdate(request.received_at))
    contact = Contact.objects.get(usager=usager)
    assert (contact.last_name, contact.first_name, contact.relationship) == ("Lemaire", "Paul", "fils")
    classes = sorted(Document.objects.filter(usager=usager).values_list("document_class__code", flat=True))
    assert classes == ["avis_admission", "certificat_medical", "pre_admission"]
    request.refresh_from_db()
    assert request.usager == usager


def test_conversion_twice_refused(secretaire, medecin):
    request = _accepted(secretaire, medecin)
    conversion.request_convert(secretaire, request=request)
    with pytest.raises(ValidationError) as error:
        conversion.request_convert(secretaire, request=request, create_anyway=True)
    assert "déjà été transformée" in error.value.messages[0]
    assert Usager.objects.count() == 1


def test_conversion_of_a_request_not_accepted_refused(secretaire):
    request = services.request_create(secretaire, data=request_data())
    with pytest.raises(ValidationError) as error:
        conversion.request_convert(secretaire, request=request)
    assert error.value.messages == [conversion.NOT_CONVERTIBLE]
    assert not Usager.objects.exists()


def test_likely_duplicate_dossier_stops_until_the_user_chooses(secretaire, medecin, essms):
    existing = UsagerFactory(
        essms=essms, birth_name="LEMAIRE", first_names="Josette", birth_date=datetime.date(1938, 4, 12), sex="F"
    )
    request = _accepted(secretaire, medecin)
    with pytest.raises(DuplicateSuspectedError) as error:
        conversion.request_convert(secretaire, request=request)
    assert error.value.duplicates == [existing]
    assert "Doublon possible" in error.value.messages[0]
    assert (Usager.objects.count(), Sejour.objects.count(), Contact.objects.count()) == (1, 0, 0)
    request.refresh_from_db()
    assert request.usager is None
    attached = conversion.request_convert(secretaire, request=request, attach_to=existing)
    assert attached == existing
    assert Sejour.objects.get().usager == existing
    assert Usager.objects.count() == 1


def test_create_anyway_makes_a_second_dossier(secretaire, medecin, essms):
    UsagerFactory(
        essms=essms, birth_name="LEMAIRE", first_names="Josette", birth_date=datetime.date(1938, 4, 12), sex="F"
    )
    request = _accepted(secretaire, medecin)
    usager = conversion.request_convert(secretaire, request=request, create_anyway=True)
    assert Usager.objects.count() == 2
    assert usager.pk == AdmissionRequest.objects.get().usager_id


def test_attach_to_a_dossier_not_proposed_refused(secretaire, medecin, essms):
    other = UsagerFactory(essms=essms)
    request = _accepted(secretaire, medecin)
    with pytest.raises(ValidationError) as error:
        conversion.request_convert(secretaire, request=request, attach_to=other)
    assert error.value.messages == [conversion.WRONG_DOSSIER]
    assert not Sejour.objects.exists()


def test_contacts_kept_on_the_request(secretaire):
    request = services.request_create(secretaire, data=request_data())
    with pytest.raises(ValidationError):
        services.contact_add(secretaire, request=request, data={"last_name": ""})
    services.contact_add(secretaire, request=request, data={"last_name": "Durand", "relationship": "nièce"})
    assert AdmissionContact.objects.get().relationship == "nièce"


def test_make_request_helper_matches_the_service(secretaire, essms):
    assert make_request(essms, by=secretaire).status_changes.count() == 1
