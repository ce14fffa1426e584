"""Documents API: scoped list and metadata, multipart upload through the service, audited content."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from dui.models import AccessLog, Document, Metier
from dui.services.documents import document_add_version, document_upload
from interop.services import api_token_create
from tests.dui.test_documents import EXE, PDF, PNG, stored_files, upload
from tests.factories import UsagerFactory, professional


@pytest.fixture
def secretaire(essms):
    return professional(essms, Metier.SECRETAIRE_MEDICALE)


def make(user, usager, code="cr_hospitalisation", title="CR hospitalisation", content=PDF):
    return document_upload(
        user,
        usager=usager,
        document_class_code=code,
        title=title,
        document_date=timezone.localdate() - datetime.timedelta(days=2),
        source="CHU",
        file=upload(content),
    )


def body(target, **overrides):
    data = {
        "usager": target.pk,
        "document_class": "cr_hospitalisation",
        "title": "CR de consultation",
        "document_date": timezone.localdate().isoformat(),
        "source": "Dr Martin",
        "file": upload(PDF, "cr.pdf"),
    }
    data.update(overrides)
    return data


def test_create_multipart_goes_through_the_service(client, settings, secretaire, usager):
    client.force_login(secretaire)
    response = client.post(reverse("api:document-list"), body(usager))
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["usager"], data["document_class"], data["title"], data["version_count"]) == (
        usager.pk,
        "cr_hospitalisation",
        "CR de consultation",
        1,
    )
    assert data["versions"][0]["mime_type"] == "application/pdf"
    assert len(stored_files(settings)) == 1
    assert AccessLog.objects.get(action="create", object_type="dui.document").channel == "api"


def test_create_with_a_partner_token(client, essms, usager):
    _, raw = api_token_create(essms_finess=essms.finess, name="GED", scopes="documents.read documents.write")
    response = client.post(
        reverse("api:document-list"),
        body(usager, document_class="contrat_sejour"),
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 201, response.content
    assert AccessLog.objects.get(action="create", object_type="dui.document").channel == "api"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"file": upload(EXE, "cr.pdf")},
            "file",
            "Type de fichier non accepté : seuls les PDF, JPEG et PNG sont acceptés.",
        ),
        ({"document_date": "2999-01-01"}, "document_date", "La date du document ne peut pas être dans le futur."),
        ({"document_class": "inexistante"}, "document_class", "Classe de document inconnue."),
        ({"usager": 999999}, "usager", "Dossier introuvable."),
    ],
)
def test_bad_input_is_a_400_in_french(client, settings, secretaire, usager, overrides, field, message):
    client.force_login(secretaire)
    response = client.post(reverse("api:document-list"), body(usager, **overrides))
    assert response.status_code == 400
    assert response.json()[field] == [message]
    assert not Document.objects.exists()
    assert stored_files(settings) == []


def test_oversized_is_a_400(client, settings, secretaire, usager):
    settings.DOCUMENT_MAX_BYTES = 1024 * 1024
    client.force_login(secretaire)
    response = client.post(reverse("api:document-list"), body(usager, file=upload(PDF + b"0" * (1024 * 1024))))
    assert response.status_code == 400
    assert "la taille maximale est de 1 Mo" in response.json()["file"][0]
    assert stored_files(settings) == []


def test_archived_dossier_is_a_400(client, settings, secretaire, essms):
    archived = UsagerFactory(essms=essms, archived_at=timezone.now())
    client.force_login(secretaire)
    response = client.post(reverse("api:document-list"), body(archived))
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Ce dossier est archivé : il est en lecture seule."]}
    assert stored_files(settings) == []


def test_class_not_writable_is_refused(client, settings, essms, usager):
    client.force_login(professional(essms, Metier.AIDE_SOIGNANT))
    response = client.post(reverse("api:document-list"), body(usager))
    assert response.status_code == 403
    assert "Votre métier ne permet pas" in response.json()["detail"]
    assert not Document.objects.exists()
    assert stored_files(settings) == []


def test_dossier_of_another_essms_is_unknown(client, settings, secretaire, foreign_essms):
    client.force_login(secretaire)
    response = client.post(reverse("api:document-list"), body(UsagerFactory(essms=foreign_essms)))
    assert response.status_code == 400
    assert response.json() == {"usager": ["Dossier introuvable."]}


def test_list_is_scoped_filtered_and_audited(client, secretaire, usager, essms, sibling_essms):
    other = UsagerFactory(essms=essms)
    mine = make(secretaire, usager)
    make(secretaire, other, content=PNG)
    foreign_secretaire = professional(sibling_essms, Metier.SECRETAIRE_MEDICALE)
    make(foreign_secretaire, UsagerFactory(essms=sibling_essms))
    client.force_login(secretaire)
    before = AccessLog.objects.count()

    response = client.get(reverse("api:document-list"), {"usager": usager.pk})

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [mine.pk]
    assert AccessLog.objects.count() == before + 1
    assert len(client.get(reverse("api:document-list")).json()["results"]) == 2
    assert client.get(reverse("api:document-list"), {"usager": "x"}).status_code == 400


def test_aide_soignant_does_not_list_or_get_medical_documents(client, secretaire, usager, essms):
    cr = make(secretaire, usager)
    contrat = make(secretaire, usager, code="contrat_sejour", title="Contrat", content=PNG)
    client.force_login(professional(essms, Metier.AIDE_SOIGNANT))
    listed = client.get(reverse("api:document-list")).json()["results"]
    assert [row["id"] for row in listed] == [contrat.pk]
    assert client.get(reverse("api:document-detail", args=[cr.pk])).status_code == 404
    assert client.get(reverse("api:document-content", args=[cr.pk])).status_code == 404
    assert client.get(reverse("api:document-content", args=[contrat.pk])).status_code == 200


def test_retrieve_lists_versions(client, secretaire, usager):
    document = make(secretaire, usager)
    document_add_version(secretaire, document=document, file=upload(PNG))
    client.force_login(secretaire)
    data = client.get(reverse("api:document-detail", args=[document.pk])).json()
    assert data["version_count"] == 2
    assert [v["number"] for v in data["versions"]] == [2, 1]
    assert data["versions"][0]["mime_type"] == "image/png"
    assert data["versions"][0]["available"] is True


def test_content_streams_the_version_and_is_audited(client, secretaire, usager):
    document = make(secretaire, usager)
    document_add_version(secretaire, document=document, file=upload(PNG))
    client.force_login(secretaire)
    url = reverse("api:document-content", args=[document.pk])

    response = client.get(url, {"version": 1}, HTTP_ACCEPT="application/pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF
    assert AccessLog.objects.filter(action="read", detail="version 1 téléchargée").count() == 1
    missing = client.get(url, {"version": 7}, HTTP_ACCEPT="application/pdf")
    assert missing.status_code == 404
    assert missing["Content-Type"] == "application/json"
    assert "detail" in missing.json()


def test_documents_are_in_the_openapi_schema(client):
    schema = client.get(reverse("api-schema"), HTTP_ACCEPT="application/json").json()
    assert "/api/v1/documents/" in schema["paths"]
    assert "multipart/form-data" in schema["paths"]["/api/v1/documents/"]["post"]["requestBody"]["content"]
    assert "/api/v1/documents/{id}/content/" in schema["paths"]


def test_list_query_count_does_not_grow(client, secretaire, usager, django_assert_max_num_queries):
    for index in range(2):
        make(secretaire, usager, title=f"CR {index}", content=PDF + str(index).encode())
    client.force_login(secretaire)
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("api:document-list"))
    for index in range(2, 12):
        make(secretaire, usager, title=f"CR {index}", content=PDF + str(index).encode())
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("api:document-list"))
    assert len(response.json()["results"]) == 12
