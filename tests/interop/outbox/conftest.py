import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dui.actor import Actor
from dui.ins import IdentityStatus
from dui.models import DmpChannel, Metier
from dui.pdf_minimal import simple_pdf
from dui.services.dmp import dmp_consent_record
from dui.services.documents import document_upload
from tests.factories import UsagerFactory, professional

MATRICULE = "279035121518989"
PDF = simple_pdf(["Document de liaison d'urgence"])


@pytest.fixture
def doctor(essms):
    user = professional(essms, Metier.MEDECIN_COORDONNATEUR, rpps="10001234567", first_name="Paul", last_name="Roux")
    return user


@pytest.fixture
def secretaire(essms):
    return professional(essms, Metier.SECRETAIRE_MEDICALE)


@pytest.fixture
def qualified(essms):
    return UsagerFactory(
        essms=essms,
        birth_name="LEFÈVRE",
        first_names="Éloïse Marie",
        birth_date=datetime.date(1938, 5, 12),
        sex="F",
        ins_matricule=MATRICULE,
        ins_oid="1.2.250.1.213.1.4.8",
        identity_status=IdentityStatus.QUALIFIEE,
    )


@pytest.fixture
def informed(qualified, secretaire):
    dmp_consent_record(
        Actor(secretaire), usager=qualified, informed_on=datetime.date(2026, 1, 5), informed_how=DmpChannel.ORAL
    )
    return qualified


def upload_document(actor_user, usager, class_code="dlu", content=PDF, title="DLU"):
    return document_upload(
        Actor(actor_user),
        usager=usager,
        document_class_code=class_code,
        title=title,
        document_date=datetime.date(2026, 3, 1),
        file=SimpleUploadedFile("dlu.pdf", content, content_type="application/pdf"),
    )


@pytest.fixture
def dlu_document(informed, doctor):
    return upload_document(doctor, informed)
