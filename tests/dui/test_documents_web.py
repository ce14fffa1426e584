"""Documents screens: list by tier, upload in a few clicks, versions, download through the decision function."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from dui.models import AccessLog, Document, DocumentVersion, Metier
from dui.services.documents import document_add_version, document_upload
from tests.dui.test_documents import EXE, JPEG, PDF, PNG, stored_files, upload
from tests.factories import UsagerFactory, professional
from tests.logged import logged_events


@pytest.fixture
def secretaire(essms):
    return professional(essms, Metier.SECRETAIRE_MEDICALE)


@pytest.fixture
def aide_soignant(essms):
    return professional(essms, Metier.AIDE_SOIGNANT)


def make(user, usager, code="cr_hospitalisation", title="CR hospitalisation CHU", content=PDF, days_ago=3):
    return document_upload(
        user,
        usager=usager,
        document_class_code=code,
        title=title,
        document_date=timezone.localdate() - datetime.timedelta(days=days_ago),
        source="CHU de Lyon",
        file=upload(content),
    )


def form_data(**overrides):
    data = {
        "document_class": "cr_hospitalisation",
        "title": "CR de sortie",
        "document_date": timezone.localdate().isoformat(),
        "source": "Dr Martin",
        "file": upload(PDF, "cr.pdf"),
    }
    data.update(overrides)
    return data


def test_list_groups_readable_documents_by_tier_newest_first(client, secretaire, usager):
    make(secretaire, usager, title="CR ancien", days_ago=30)
    recent = make(secretaire, usager, title="CR récent", days_ago=1)
    document_add_version(secretaire, document=recent, file=upload(PNG))
    make(secretaire, usager, code="contrat_sejour", title="Contrat de séjour signé")
    client.force_login(secretaire)

    response = client.get(reverse("usager-documents", args=[usager.pk]))

    assert response.status_code == 200
    groups = dict(response.context["groups"])
    assert [d.title for d in groups["Médical"]] == ["CR récent", "CR ancien"]
    assert [d.title for d in groups["Administratif"]] == ["Contrat de séjour signé"]
    assert groups["Médical"][0].version_count == 2
    assert len(logged_events(action="read", object_type="dui.document")) == 3


def test_aide_soignant_does_not_see_medical_documents(client, secretaire, aide_soignant, usager):
    make(secretaire, usager, title="CR hospitalisation")
    make(secretaire, usager, code="contrat_sejour", title="Contrat de séjour")
    client.force_login(aide_soignant)

    response = client.get(reverse("usager-documents", args=[usager.pk]))

    assert response.status_code == 200
    assert b"Contrat de s\xc3\xa9jour" in response.content
    assert b"CR hospitalisation" not in response.content
    assert response.context["upload_form"] is not None  # AS writes care and life classes
    choices = dict(response.context["upload_form"].fields["document_class"].choices)
    assert "Médical" not in choices
    assert "Soins" in choices


def test_filter_by_class(client, secretaire, usager):
    make(secretaire, usager, title="CR hospitalisation")
    make(secretaire, usager, code="contrat_sejour", title="Contrat de séjour")
    client.force_login(secretaire)
    response = client.get(reverse("usager-documents", args=[usager.pk]), {"classe": "contrat_sejour"})
    assert [d.title for _, docs in response.context["groups"] for d in docs] == ["Contrat de séjour"]


def test_upload_form_offers_only_writable_classes_grouped_by_tier(client, secretaire, usager):
    client.force_login(secretaire)
    response = client.get(reverse("usager-documents", args=[usager.pk]))
    form = response.context["upload_form"]
    groups = dict(form.fields["document_class"].choices[1:])
    assert "Compte rendu d'hospitalisation" in dict(groups["Médical"]).values()
    # The secrétaire reads care documents but writes only the appointments among them.
    assert [code for code, _ in groups["Soins"]] == ["rendez_vous"]
    assert form["document_date"].value() == timezone.localdate()
    content = response.content.decode()
    assert 'accept=".pdf,.jpg,.jpeg,.png"' in content
    assert 'capture="environment"' in content
    assert '<optgroup label="Médical">' in content


def test_list_query_count_does_not_grow_with_documents(client, secretaire, usager, django_assert_max_num_queries):
    client.force_login(secretaire)
    for index in range(3):
        make(secretaire, usager, title=f"CR {index}", content=PDF + str(index).encode())
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("usager-documents", args=[usager.pk]))
    for index in range(3, 15):
        make(secretaire, usager, title=f"CR {index}", content=PDF + str(index).encode())
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("usager-documents", args=[usager.pk]))
    assert response.context["document_total"] == 15


def test_secretaire_uploads_in_one_post(client, settings, secretaire, usager):
    client.force_login(secretaire)
    response = client.post(reverse("document-upload", args=[usager.pk]), form_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("usager-documents", args=[usager.pk])
    document = Document.objects.get()
    assert (document.title, document.source, document.document_class_code) == (
        "CR de sortie",
        "Dr Martin",
        "cr_hospitalisation",
    )
    assert len(stored_files(settings)) == 1
    follow = client.get(response["Location"])
    assert "Document « CR de sortie » ajouté au dossier." in follow.content.decode()


def test_photo_from_the_tablet_camera_is_accepted(client, secretaire, usager):
    client.force_login(secretaire)
    data = form_data(photo=upload(JPEG, "image.jpg", "image/jpeg"))
    del data["file"]
    response = client.post(reverse("document-upload", args=[usager.pk]), data)
    assert response.status_code == 302
    assert DocumentVersion.objects.get().mime_type == "image/jpeg"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"file": upload(EXE, "cr.pdf")}, "Type de fichier non accepté : seuls les PDF, JPEG et PNG sont acceptés."),
        ({"document_date": "2999-01-01"}, "La date du document ne peut pas être dans le futur."),
        ({"document_class": "pansements"}, "Choisissez une classe de document que votre métier peut alimenter."),
        ({"document_class": "inexistante"}, "Choisissez une classe de document que votre métier peut alimenter."),
        ({"title": ""}, "Le titre du document est obligatoire."),
        ({"file": ""}, "Choisissez un fichier ou prenez une photo du document."),
    ],
)
def test_bad_upload_shows_a_french_message_and_writes_nothing(client, settings, secretaire, usager, overrides, message):
    client.force_login(secretaire)
    data = form_data(**overrides)
    if data["file"] == "":
        del data["file"]
    response = client.post(reverse("document-upload", args=[usager.pk]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Document.objects.exists()
    assert stored_files(settings) == []


def test_oversized_upload_shows_the_limit(client, settings, secretaire, usager):
    settings.DOCUMENT_MAX_BYTES = 1024 * 1024
    client.force_login(secretaire)
    response = client.post(
        reverse("document-upload", args=[usager.pk]), form_data(file=upload(PDF + b"0" * (1024 * 1024)))
    )
    assert response.status_code == 400
    assert "la taille maximale est de 1 Mo" in response.content.decode()
    assert stored_files(settings) == []


def test_archived_dossier_has_no_upload(client, settings, secretaire, essms):
    archived = UsagerFactory(essms=essms, archived_at=timezone.now())
    client.force_login(secretaire)
    assert client.get(reverse("usager-documents", args=[archived.pk])).context["upload_form"] is None
    response = client.post(reverse("document-upload", args=[archived.pk]), form_data())
    assert response.status_code == 302
    assert not Document.objects.exists()
    assert stored_files(settings) == []


def test_metier_without_any_writable_class_cannot_open_the_upload_page(client, essms, usager):
    client.force_login(professional(essms, Metier.ASH))
    assert client.get(reverse("document-upload", args=[usager.pk])).status_code == 403


def test_download_streams_inline_with_its_type_and_is_audited(client, secretaire, usager):
    document = make(secretaire, usager)
    client.force_login(secretaire)
    before = AccessLog.objects.count()

    response = client.get(reverse("document-download", args=[usager.pk, document.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    log = AccessLog.objects.order_by("-id").first()
    assert AccessLog.objects.count() == before + 1
    assert (log.action, log.object_id, log.usager_id, log.detail) == (
        "read",
        str(document.pk),
        usager.pk,
        "version 1 consultée",
    )


def test_download_as_attachment_and_older_versions(client, secretaire, usager):
    document = make(secretaire, usager)
    document_add_version(secretaire, document=document, file=upload(PNG, "v2.png"))
    client.force_login(secretaire)
    url = reverse("document-download", args=[usager.pk, document.pk])

    current = client.get(url, {"telecharger": "1"})
    assert current["Content-Type"] == "image/png"
    assert current["Content-Disposition"].startswith("attachment")
    first = client.get(url, {"version": "1"})
    assert b"".join(first.streaming_content) == PDF
    assert client.get(url, {"version": "9"}).status_code == 404
    assert client.get(url, {"version": "abc"}).status_code == 404


def test_aide_soignant_cannot_download_a_cr_hospitalisation(client, secretaire, aide_soignant, usager):
    cr = make(secretaire, usager)
    contrat = make(secretaire, usager, code="contrat_sejour", title="Contrat de séjour", content=PNG)
    client.force_login(aide_soignant)
    before = AccessLog.objects.count()

    assert client.get(reverse("document-download", args=[usager.pk, cr.pk])).status_code == 404
    assert client.get(reverse("document-detail", args=[usager.pk, cr.pk])).status_code == 404
    assert AccessLog.objects.count() == before

    allowed = client.get(reverse("document-download", args=[usager.pk, contrat.pk]))
    assert allowed.status_code == 200
    assert b"".join(allowed.streaming_content) == PNG


def test_document_must_belong_to_the_dossier_of_the_url(client, secretaire, usager, essms):
    other = UsagerFactory(essms=essms)
    document = make(secretaire, other)
    client.force_login(secretaire)
    assert client.get(reverse("document-download", args=[usager.pk, document.pk])).status_code == 404
    assert client.get(reverse("document-detail", args=[usager.pk, document.pk])).status_code == 404


def test_other_essms_gets_404(client, secretaire, usager, sibling_essms):
    document = make(secretaire, usager)
    client.force_login(professional(sibling_essms, Metier.SECRETAIRE_MEDICALE))
    assert client.get(reverse("document-download", args=[usager.pk, document.pk])).status_code == 404
    assert client.get(reverse("usager-documents", args=[usager.pk])).status_code == 404


def test_detail_lists_versions_and_adds_one(client, settings, secretaire, usager):
    document = make(secretaire, usager)
    client.force_login(secretaire)
    detail = client.get(reverse("document-detail", args=[usager.pk, document.pk]))
    assert detail.status_code == 200
    assert [v.number for v in detail.context["versions"]] == [1]
    assert detail.context["version_form"] is not None

    response = client.post(
        reverse("document-add-version", args=[usager.pk, document.pk]), {"file": upload(JPEG, "v2.jpg")}
    )
    assert response.status_code == 302
    assert list(document.versions.values_list("number", flat=True)) == [2, 1]
    assert len(stored_files(settings)) == 2


def test_identical_version_shows_the_message(client, settings, secretaire, usager):
    document = make(secretaire, usager)
    client.force_login(secretaire)
    response = client.post(reverse("document-add-version", args=[usager.pk, document.pk]), {"file": upload(PDF)})
    assert response.status_code == 400
    assert "identique à la version actuelle" in response.content.decode()
    assert document.versions.count() == 1
    assert len(stored_files(settings)) == 1


def test_reader_without_write_right_sees_no_version_form(client, secretaire, aide_soignant, usager):
    contrat = make(secretaire, usager, code="contrat_sejour", title="Contrat de séjour")
    client.force_login(aide_soignant)
    detail = client.get(reverse("document-detail", args=[usager.pk, contrat.pk]))
    assert detail.context["version_form"] is None
    response = client.post(reverse("document-add-version", args=[usager.pk, contrat.pk]), {"file": upload(PNG)})
    assert response.status_code == 400
    assert contrat.versions.count() == 1
