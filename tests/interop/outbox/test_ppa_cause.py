"""A validated projet personnalisé leaves through the outbox: its PDF is stored in the dossier and
queued in the agreement's transaction; refusals queue nothing but keep the document."""

import datetime
from unittest import mock

import pytest
from django.utils import timezone

from dui.actor import Actor
from dui.ins import IdentityStatus
from dui.models import Contact, ContactRole, DmpChannel, Document, Metier
from dui.services.dmp import dmp_consent_record
from interop.connectors.stub import STUB_DMP, STUB_MSSANTE
from interop.outbox.models import Delivery, DeliveryCause, DeliveryState
from interop.outbox.ppa_cause import validated_ppa_store
from ppa.models import AgreementBy, AgreementHow, PpaStep, ProjetVersion
from ppa.services import project_versions
from ppa.signals import projet_validated
from tests.factories import professional
from tests.interop.outbox.conftest import MATRICULE
from tests.ppa.factories_projects import admitted, project_with_content

MEDECIN = "dr.blanc@medecin.mssante.fr"


@pytest.fixture(autouse=True)
def _fresh_stubs():
    STUB_DMP.received.clear()
    STUB_MSSANTE.received.clear()


@pytest.fixture
def cadre(essms):
    return professional(essms, Metier.CADRE_SANTE)


def person(essms, secretaire, *, qualified=True, opposed=False):
    identity = (
        {"ins_matricule": MATRICULE, "ins_oid": "1.2.250.1.213.1.4.8", "identity_status": IdentityStatus.QUALIFIEE}
        if qualified
        else {}
    )
    usager = admitted(
        essms, birth_name="LEFÈVRE", first_names="Éloïse Marie", birth_date=datetime.date(1938, 5, 12), sex="F",
        **identity,
    )  # fmt: skip
    dmp_consent_record(
        Actor(secretaire), usager=usager, informed_on=datetime.date(2026, 1, 5), informed_how=DmpChannel.ORAL,
        **({"opposed": True, "opposed_on": datetime.date(2026, 2, 1), "opposed_how": DmpChannel.WRITTEN}
           if opposed else {}),
    )  # fmt: skip
    Contact.objects.create(
        essms=essms, usager=usager, role=ContactRole.MEDECIN_TRAITANT, last_name="Blanc", email=MEDECIN
    )
    return usager


def agree(user, projet, how=AgreementHow.ORAL):
    return project_versions.agreement_record(
        Actor(user),
        version=projet.versions.get(),
        agreement_on=timezone.localdate() - datetime.timedelta(days=1),
        agreement_by=AgreementBy.PERSONNE,
        agreement_name="Éloïse Lefèvre",
        agreement_how=how,
    )


def ppa_documents():
    return Document.objects.filter(document_class__code="ppa")


def test_validation_stores_the_pdf_and_sends_it_to_dmp_and_medecin_traitant(
    essms, cadre, secretaire, django_capture_on_commit_callbacks
):
    projet = project_with_content(cadre, person(essms, secretaire))
    with django_capture_on_commit_callbacks(execute=True):
        version = agree(cadre, projet)
    document = ppa_documents().get()
    stored = document.versions.get()
    assert stored.mime_type == "application/pdf"
    assert document.document_date == version.agreement_on
    assert document.title == "Projet personnalisé – version 1"
    rows = Delivery.objects.order_by("connector")
    assert [(r.connector, r.recipient, r.cause, r.version_id) for r in rows] == [
        ("dmp", "", DeliveryCause.PPA, stored.pk),
        ("mssante", MEDECIN, DeliveryCause.PPA, stored.pk),
    ]
    assert {r.state for r in rows} == {DeliveryState.DELIVERED}
    assert len(STUB_DMP.received) == 1 and len(STUB_MSSANTE.received) == 1


def test_opposed_person_gets_the_document_but_no_dmp_sending(essms, cadre, secretaire):
    projet = project_with_content(cadre, person(essms, secretaire, opposed=True))
    agree(cadre, projet)
    assert ppa_documents().count() == 1
    assert list(Delivery.objects.values_list("connector", flat=True)) == ["mssante"]


def test_unqualified_identity_keeps_the_document_and_queues_nothing_to_the_dmp(essms, cadre, secretaire):
    projet = project_with_content(cadre, person(essms, secretaire, qualified=False))
    agree(cadre, projet)
    assert ppa_documents().count() == 1
    assert not Delivery.objects.filter(connector="dmp").exists()


def test_a_disagreement_stores_and_sends_nothing(essms, cadre, secretaire):
    projet = project_with_content(cadre, person(essms, secretaire))
    agree(cadre, projet, how=AgreementHow.REFUS)
    assert not ppa_documents().exists() and not Delivery.objects.exists()


def test_signal_sent_twice_stores_one_document_and_queues_once(essms, cadre, secretaire):
    projet = project_with_content(cadre, person(essms, secretaire))
    version = agree(cadre, projet)
    projet_validated.send(sender=ProjetVersion, projet=projet, version=version, actor=Actor(cadre))
    validated_ppa_store(Actor(cadre), projet=projet, version=version)
    assert ppa_documents().count() == 1
    assert Delivery.objects.count() == 2


def test_outbox_failure_rolls_back_the_validation(essms, cadre, secretaire):
    projet = project_with_content(cadre, person(essms, secretaire))
    with (
        mock.patch("interop.outbox.ppa_cause.queue_for_cause", side_effect=RuntimeError("outbox down")),
        pytest.raises(RuntimeError),
    ):
        agree(cadre, projet)
    version = projet.versions.get()
    version.refresh_from_db()
    projet.refresh_from_db()
    assert version.agreement_on is None and projet.step != PpaStep.MISE_EN_OEUVRE
    assert not ppa_documents().exists() and not Delivery.objects.exists()
