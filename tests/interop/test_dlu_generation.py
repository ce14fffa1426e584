"""DLU generation: a new version of the Document of class "dlu" each time, its checklist, its sources,
the INS printed only when qualified, the signal in the transaction; every refusal writes nothing."""

import io

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from dui.errors import NotFound, RightRefused
from dui.ins import IdentityStatus
from dui.models import AccessLog, Document, DocumentVersion, EssmsKind, Metier, Sejour, SejourStatus
from dui.services.dlu import dlu_section_save
from interop.dlu.builder import DLU_DOM, HAS_2015, build_dlu
from interop.dlu.models import DluGeneration
from interop.dlu.services import ARCHIVED, PRE_ADMISSION, dlu_generate
from interop.dlu.signals import dlu_generated
from tests.factories import EssmsFactory, UsagerFactory, professional
from tests.interop.dlu_helpers import QUALIFIED_INS, admitted, fill_dossier


def pdf_text(generation) -> str:
    generation.version.file.open("rb")
    try:
        reader = PdfReader(io.BytesIO(generation.version.file.read()))
        return " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    finally:
        generation.version.file.close()


@pytest.fixture
def ide(essms):
    return professional(essms, Metier.IDE, first_name="Nina", last_name="Nuit")


@pytest.fixture
def resident(usager, ide):
    return admitted(usager, ide)


def test_generation_stores_versions_with_hash_author_and_checklist(resident, ide):
    fill_dossier(resident, ide)
    first = dlu_generate(ide, usager=resident)
    second = dlu_generate(ide, usager=resident)
    document = Document.objects.get(usager=resident, document_class__code="dlu")
    assert [v.number for v in document.versions.order_by("number")] == [1, 2]
    assert (first.version.number, second.version.number) == (1, 2)
    assert second.version.uploaded_by == ide
    assert len(second.version.sha256) == 64 and second.version.mime_type == "application/pdf"
    assert first.layout == HAS_2015
    assert second.sources["traitements"] and second.sources["dossier_dlu"]
    assert second.missing == []
    assert AccessLog.objects.filter(object_type="interop.dlugeneration", action="create").count() == 2


def test_pdf_holds_the_dossier_and_the_qualified_ins(resident, ide):
    fill_dossier(resident, ide)
    text = pdf_text(dlu_generate(ide, usager=resident))
    for expected in ("CH de Lisieux", "Médicament 0", "Antécédent 2", "MARTIN", "01 02 03 04 05", QUALIFIED_INS,
                     "SOINS PALLIATIFS", "Classeur infirmier", "GIR 2"):  # fmt: skip
        assert expected in text, expected
    assert len(PdfReader(io.BytesIO(open(DocumentVersion.objects.get().file.path, "rb").read())).pages) <= 2


def test_unqualified_identity_hides_the_matricule_and_is_listed_missing(resident, ide):
    fill_dossier(resident, ide)
    resident.identity_status = IdentityStatus.VALIDEE
    resident.save()
    generation = dlu_generate(ide, usager=resident)
    assert QUALIFIED_INS not in pdf_text(generation)
    assert [item["code"] for item in generation.missing] == ["ins"]


def test_empty_dossier_lists_what_to_fix_with_links(resident, ide):
    generation = dlu_generate(ide, usager=resident)
    codes = {item["code"] for item in generation.missing}
    assert {"medecin_traitant", "personne_a_prevenir", "dossier_dlu", "allergies", "traitements", "aggir"} <= codes
    assert all(item["url"].startswith("/") for item in generation.missing)


def test_home_care_kind_uses_the_dlu_dom_layout(og):
    ssiad = EssmsFactory(og=og, kind=EssmsKind.SSIAD, name="SSIAD du Pays d'Auge")
    nurse = professional(ssiad, Metier.IDE)
    person = admitted(UsagerFactory(essms=ssiad), nurse)
    dlu_section_save(nurse, usager=person, preferred_hospital="CH de Lisieux")
    generation = dlu_generate(nurse, usager=person)
    assert generation.layout == DLU_DOM == build_dlu(person).data["layout"]
    assert "Synthèse environnementale" in pdf_text(generation)
    assert "logement" in {item["code"] for item in generation.missing}


def test_signal_is_sent_inside_the_transaction(resident, ide, django_capture_on_commit_callbacks):
    received = []

    def listener(sender, usager, document, version, actor, **kwargs):
        from django.db import connection

        received.append((usager.pk, document.pk, version.number, actor, connection.in_atomic_block))

    dlu_generated.connect(listener)
    try:
        generation = dlu_generate(ide, usager=resident)
    finally:
        dlu_generated.disconnect(listener)
    assert received == [(resident.pk, generation.version.document_id, 1, ide, True)]


def test_archived_dossier_is_refused(resident, ide):
    from django.utils import timezone

    resident.archived_at = timezone.now()
    resident.save()
    with pytest.raises(ValidationError) as error:
        dlu_generate(ide, usager=resident)
    assert error.value.messages == [ARCHIVED]
    assert not DocumentVersion.objects.exists() and not DluGeneration.objects.exists()


def test_pre_admission_dossier_is_refused(usager, ide):
    Sejour.objects.create(essms=usager.essms, usager=usager, status=SejourStatus.PRE_ADMISSION,
                          first_contact_on="2026-11-01", created_by=ide)  # fmt: skip
    with pytest.raises(ValidationError) as error:
        dlu_generate(ide, usager=usager)
    assert error.value.messages == [PRE_ADMISSION]
    assert not Document.objects.exists()


def test_a_metier_without_write_right_is_refused(resident, essms):
    aide = professional(essms, Metier.AIDE_SOIGNANT)
    with pytest.raises(RightRefused):
        dlu_generate(aide, usager=resident)
    assert not Document.objects.exists()


def test_another_essms_dossier_is_not_found(resident, foreign_essms):
    stranger = professional(foreign_essms, Metier.IDE)
    with pytest.raises(NotFound):
        dlu_generate(stranger, usager=resident)
    assert not Document.objects.exists()
