"""Pages of the admissions: waiting list, a request, each form, the conversion with its duplicate choice."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from admissions.models import AdmissionOpinion, AdmissionRequest, AdmissionSettings, Status
from dui.models import Metier, Sejour, Usager
from tests.admissions.factories import make_request, pdf_file
from tests.factories import UsagerFactory, professional
from tests.logged import logged_events


@pytest.fixture
def secretaire(essms):
    return professional(essms, Metier.SECRETAIRE_MEDICALE)


def test_waiting_list_orders_open_requests_by_priority_then_date(client, essms, secretaire):
    now = datetime.datetime(2026, 1, 10, 9, tzinfo=datetime.UTC)
    late_urgent = make_request(essms, by=secretaire, birth_name="URGENT", external_ref="a", priority=1, received_at=now)
    early_normal = make_request(essms, by=secretaire, birth_name="NORMAL", external_ref="b", priority=3,
                                received_at=now - datetime.timedelta(days=30))  # fmt: skip
    make_request(essms, by=secretaire, birth_name="REFUSE", external_ref="c", priority=1, status=Status.REFUSEE)
    client.force_login(secretaire)
    response = client.get(reverse("admission-list"))
    body = response.content.decode()
    assert body.index("URGENT") < body.index("NORMAL") < body.index("REFUSE")
    assert "n° 1" in body and "n° 2" in body and "n° 3" not in body
    filtered = client.get(reverse("admission-list"), {"priorite": "3"}).content.decode()
    assert "NORMAL" in filtered and "URGENT" not in filtered
    assert logged_events(object_type="admissions.admissionrequest", object_id=str(late_urgent.pk))
    assert early_normal.pk


def test_create_page_bad_input_french_and_nothing_written(client, secretaire):
    client.force_login(secretaire)
    response = client.post(reverse("admission-create"), {"source": "directe", "birth_name": "Durand"})
    assert response.status_code == 400
    assert "Ce champ est obligatoire." in response.content.decode()
    assert not AdmissionRequest.objects.exists()
    response = client.post(
        reverse("admission-create"),
        {"source": "directe", "birth_name": "Durand", "first_names": "Jean", "birth_date": "1940-01-02", "sex": "M",
         "accommodation": "permanent", "received_at": "2026-01-05", "priority": "3", "contact_last_name": "Durand",
         "contact_relationship": "fille"},
    )  # fmt: skip
    created = AdmissionRequest.objects.get()
    assert response.url == reverse("admission-detail", args=[created.pk])
    assert created.contacts.get().relationship == "fille"


def test_detail_shows_timeline_and_refusal_needs_a_reason(client, essms, secretaire):
    admission = make_request(essms, by=secretaire, status=Status.EN_ETUDE)
    client.force_login(secretaire)
    page = client.get(reverse("admission-detail", args=[admission.pk])).content.decode()
    assert "Chronologie" in page and "Faire avancer la demande" in page
    response = client.post(reverse("admission-transition", args=[admission.pk]), {"to_status": "refusee"})
    assert response.status_code == 400
    assert "Le motif du refus est obligatoire." in response.content.decode()
    admission.refresh_from_db()
    assert admission.status == Status.EN_ETUDE


def test_acceptance_without_opinion_shows_the_rule(client, essms, secretaire):
    admission = make_request(essms, by=secretaire, status=Status.EN_ETUDE)
    client.force_login(secretaire)
    response = client.post(reverse("admission-transition", args=[admission.pk]), {"to_status": "acceptee"})
    assert response.status_code == 400
    assert "avis du médecin coordonnateur est obligatoire" in response.content.decode()


def test_medical_part_and_opinion_follow_the_matrix(client, essms, secretaire):
    admission = make_request(essms, by=secretaire, status=Status.EN_ETUDE)
    client.force_login(secretaire)
    client.post(
        reverse("admission-document-add", args=[admission.pk]),
        {"part": "medical", "title": "Volet médical VT", "file": pdf_file()},
    )
    document = admission.documents.get()
    AdmissionOpinion.objects.create(
        essms=essms, request=admission, verdict="favorable", text="SECRET-MEDICAL", given_on=timezone.localdate(),
        author=professional(essms, Metier.MEDECIN_COORDONNATEUR),
    )  # fmt: skip
    client.force_login(professional(essms, Metier.IDE))  # medical classes: yes; the opinion: no
    page = client.get(reverse("admission-detail", args=[admission.pk])).content.decode()
    assert "Volet médical VT" in page and "SECRET-MEDICAL" not in page
    client.force_login(professional(essms, Metier.DIRECTION))  # the opinion: yes; medical classes: no
    page = client.get(reverse("admission-detail", args=[admission.pk])).content.decode()
    assert "Volet médical VT" not in page and "SECRET-MEDICAL" in page
    assert "réservé aux professionnels habilités" in page
    assert client.get(reverse("admission-document", args=[admission.pk, document.pk])).status_code == 404
    client.force_login(secretaire)
    assert client.get(reverse("admission-document", args=[admission.pk, document.pk])).status_code == 200


def test_opinion_page_for_the_medecin(client, essms, secretaire):
    admission = make_request(essms, by=secretaire, status=Status.AVIS_MEDICAL)
    client.force_login(professional(essms, Metier.MEDECIN_COORDONNATEUR))
    response = client.post(
        reverse("admission-opinion", args=[admission.pk]),
        {"verdict": "favorable", "text": "Compatible", "given_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    assert admission.opinions.get().verdict == "favorable"


def test_convert_page_asks_for_a_choice_on_a_likely_duplicate(client, essms, secretaire):
    admission = make_request(essms, by=secretaire, status=Status.ACCEPTEE)
    existing = UsagerFactory(
        essms=essms, birth_name="LEMAIRE", first_names="Josette", birth_date=datetime.date(1938, 4, 12), sex="F"
    )
    client.force_login(secretaire)
    url = reverse("admission-convert", args=[admission.pk])
    assert "Rattacher à ce dossier" in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 400
    assert not Sejour.objects.exists()
    response = client.post(url, {"choix": f"dossier-{existing.pk}"})
    assert response.url == reverse("usager-detail", args=[existing.pk])
    admission.refresh_from_db()
    assert admission.usager == existing
    again = client.post(url, {"choix": "nouveau"})
    assert "déjà été transformée" in again.content.decode()
    assert Usager.objects.count() == 1


def test_settings_page_turns_the_opinion_rule_off(client, essms):
    client.force_login(professional(essms, Metier.DIRECTION))
    response = client.post(reverse("admission-settings"), {"opinion_required": ""})
    assert response.status_code == 302
    assert AdmissionSettings.objects.get(essms=essms).opinion_required is False


def test_aide_soignant_has_no_admissions(client, essms):
    client.force_login(professional(essms, Metier.AIDE_SOIGNANT))
    assert client.get(reverse("admission-list")).status_code == 403
