"""Bad input found by an outside probe: each a clean French 400 (or form error) that writes nothing."""

import html
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from dui.ins import name_key
from dui.limits import NARRATIVE_MAX_LENGTH
from dui.models import Document, Metier, Usager
from dui.pdf_minimal import simple_pdf
from interop.scopes import read_only_scopes
from interop.services import api_token_create
from tests.factories import UsagerFactory, professional
from transmissions.models import Transmission, Visibility
from transmissions.services.transmissions import transmission_create

USAGERS = "/api/v1/usagers/"
BODY = {
    "birth_name": "Dupont",
    "first_names": "Marie",
    "birth_date": "1950-03-01",
    "sex": "F",
    "birth_place_code": "75056",
    "identity_status": "PROV",
}
REFUSED_NAMES = {
    "bidi": "DU\u202ePONT",
    "zero_width": "DU\u200bPONT\u200d",
    "emoji": "DUPONT\U0001f600",
    "control": "DU\x07PONT",
    "digit": "DUP0NT",
}


@pytest.fixture
def api(client, essms):
    _, raw = api_token_create(essms_finess=essms.finess, name="Sonde", scopes=[*read_only_scopes(), "usagers.write"])
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
    return client


def test_deeply_nested_json_is_a_400(api, essms):
    body = "[" * 100000 + "]" * 100000
    response = api.post(USAGERS, body, content_type="application/json")
    assert response.status_code == 400
    assert "imbrication" in response.json()["detail"]
    assert not Usager.objects.exists()


def test_nested_json_inside_an_object_is_a_400(api, essms):
    body = '{"birth_name": ' + '{"a": ' * 5000 + "1" + "}" * 5000 + "}"
    assert api.post(USAGERS, body, content_type="application/json").status_code == 400
    assert not Usager.objects.exists()


def test_brackets_inside_strings_do_not_count_as_depth(api, essms):
    response = api.post(USAGERS, {**BODY, "used_name": ""}, content_type="application/json")
    assert response.status_code == 201, response.content
    body = '{"birth_name": "[[[[' + "[" * 100 + '"}'
    response = api.post(USAGERS, body, content_type="application/json")
    assert response.status_code == 400
    assert "birth_name" in response.json()  # a field error, the body itself was read


def test_invalid_json_is_a_french_400(api, essms):
    response = api.post(USAGERS, '{"birth_name": NaN}', content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"] == "Corps JSON invalide."


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_appointments_extreme_dates_are_a_400(api, day):
    response = api.get("/api/v1/appointments/", {"date": day})
    assert response.status_code == 400
    assert response.json()["date"] == ["Date hors limites : entre 1900-01-01 et 2999-12-31."]


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_day_planning_extreme_dates_fall_back_to_today(client, essms, day):
    client.force_login(professional(essms, Metier.IDE))
    response = client.get(reverse("planning-day"), {"jour": day})
    assert response.status_code == 200
    assert "Date hors limites" in html.unescape(response.content.decode())


@pytest.mark.parametrize("param", ["debut", "fin"])
@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_access_log_extreme_dates_are_form_errors(client, essms, param, day):
    client.force_login(professional(essms, Metier.DIRECTION))
    response = client.get(reverse("audit-log"), {param: day})
    assert response.status_code == 200
    assert "Date hors limites" in html.unescape(response.content.decode())


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_events_since_extreme_dates_are_no_500(api, day):
    assert api.get("/api/v1/events/", {"since": f"{day}T00:00"}).status_code in {200, 400}


def test_api_answers_are_not_cached(api):
    response = api.get(USAGERS)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert api.get("/api/v1/appointments/", {"date": "0001-01-01"})["Cache-Control"] == "private, no-store"


def test_web_pages_keep_their_own_cache_rules(client, essms):
    client.force_login(professional(essms))
    assert client.get(reverse("home")).get("Cache-Control") != "private, no-store"


@pytest.mark.parametrize("kind", sorted(REFUSED_NAMES))
@pytest.mark.parametrize("field", ["birth_name", "first_names", "used_name", "used_first_name"])
def test_api_refuses_names_outside_the_rniv_charset(api, essms, kind, field):
    response = api.post(USAGERS, {**BODY, field: REFUSED_NAMES[kind]}, content_type="application/json")
    assert response.status_code == 400
    assert "RNIV" in response.json()[field][0]
    assert not Usager.objects.exists()


def test_zero_width_twin_of_an_existing_name_is_refused_not_created(api, essms):
    UsagerFactory(essms=essms, birth_name="DUPONT", first_names="Marie", birth_date="1950-03-01", sex="F")
    body = {**BODY, "birth_name": "DU\u200bPONT\u200d", "first_names": "Marie"}
    response = api.post(USAGERS, body, content_type="application/json")
    assert response.status_code == 400
    assert "Caractère invisible" in response.json()["birth_name"][0]
    assert Usager.objects.count() == 1


@pytest.mark.parametrize("kind", sorted(REFUSED_NAMES))
def test_web_form_refuses_names_outside_the_rniv_charset(client, essms, kind):
    client.force_login(professional(essms, Metier.SECRETAIRE_MEDICALE))
    form = {**BODY, "birth_name": REFUSED_NAMES[kind], "identity_attribute": ""}
    response = client.post(reverse("usager-create"), form)
    assert response.status_code == 200
    assert "jeu de caractères" in html.unescape(response.content.decode()) or "RNIV" in html.unescape(
        response.content.decode()
    )
    assert not Usager.objects.exists()


@pytest.mark.parametrize("name", ["Lefèvre", "D'Artagnan", "Jean-Pierre", "Œdipe", "O’Neil", "Müller"])
def test_names_with_accents_hyphens_and_apostrophes_are_accepted(api, essms, name):
    response = api.post(USAGERS, {**BODY, "birth_name": name}, content_type="application/json")
    assert response.status_code == 201, response.content


# --- Free text has a maximum length ----------------------------------------------------------


LONG = "x" * (NARRATIVE_MAX_LENGTH + 1)


def _transmission_body(usager, **overrides):
    body = {"usager": usager.pk, "observed_at": timezone.now().isoformat(), "narrative": "Bien dormi."}
    return body | overrides


@pytest.mark.parametrize("field", ["narrative", "donnees", "actions", "resultats"])
def test_api_refuses_an_over_long_transmission(client, essms, usager, field):
    client.force_login(professional(essms, Metier.IDE))
    body = _transmission_body(usager, free_cible="Sommeil", **{field: LONG})
    response = client.post("/api/v1/transmissions/", body, content_type="application/json")
    assert response.status_code == 400
    assert "10000 caractères au plus" in response.json()[field][0]
    assert not Transmission.objects.exists()


def test_web_form_refuses_an_over_long_narrative(client, essms, usager):
    client.force_login(professional(essms, Metier.IDE))
    data = {
        "mode": "note",
        "usager": usager.pk,
        "narrative": LONG,
        "observed_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "visibility": Visibility.ALL_STAFF,
    }
    response = client.post(reverse("transmission-create"), data)
    assert "caractères au plus" in html.unescape(response.content.decode())
    assert not Transmission.objects.exists()


def test_service_refuses_an_over_long_narrative(essms, usager):
    with pytest.raises(ValidationError) as error:
        transmission_create(
            professional(essms, Metier.IDE),
            usager=usager,
            narrative=LONG,
            observed_at=timezone.now(),
            visibility=Visibility.ALL_STAFF,
        )
    assert "Note : 10\u202f000 caractères au plus." in error.value.message_dict["narrative"]
    assert not Transmission.objects.exists()


def test_schema_documents_the_maximum_lengths(client, db):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    create = schema["components"]["schemas"]["TransmissionCreateInput"]["properties"]
    assert create["narrative"]["maxLength"] == NARRATIVE_MAX_LENGTH
    assert create["donnees"]["maxLength"] == NARRATIVE_MAX_LENGTH


# --- A "PDF" must open as a PDF ----------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [b"%PDF-", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", simple_pdf(["Compte rendu"])[:200]],
    ids=["five_bytes", "no_page", "truncated"],
)
def test_fake_pdf_is_refused_by_the_api(client, settings, essms, usager, content):
    client.force_login(professional(essms, Metier.SECRETAIRE_MEDICALE))
    body = {
        "usager": usager.pk,
        "document_class": "cr_hospitalisation",
        "title": "CR",
        "document_date": timezone.localdate().isoformat(),
        "source": "CHU",
        "file": SimpleUploadedFile("cr.pdf", content, content_type="application/pdf"),
    }
    response = client.post(reverse("api:document-list"), body)
    assert response.status_code == 400
    assert "PDF est illisible" in str(response.json())
    assert not Document.objects.exists()
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_fake_pdf_is_refused_by_the_web_form(client, essms, usager):
    client.force_login(professional(essms, Metier.SECRETAIRE_MEDICALE))
    data = {
        "document_class": "cr_hospitalisation",
        "title": "CR",
        "document_date": timezone.localdate().isoformat(),
        "source": "CHU",
        "file": SimpleUploadedFile("cr.pdf", b"%PDF-", content_type="application/pdf"),
    }
    response = client.post(reverse("document-upload", args=[usager.pk]), data)
    assert response.status_code == 400
    assert "PDF est illisible" in html.unescape(response.content.decode())
    assert not Document.objects.exists()


def test_real_small_pdf_is_accepted(client, essms, usager):
    client.force_login(professional(essms, Metier.SECRETAIRE_MEDICALE))
    body = {
        "usager": usager.pk,
        "document_class": "cr_hospitalisation",
        "title": "CR",
        "document_date": timezone.localdate().isoformat(),
        "source": "CHU",
        "file": SimpleUploadedFile("cr.pdf", simple_pdf(["Compte rendu", "Hôpital"]), content_type="application/pdf"),
    }
    assert client.post(reverse("api:document-list"), body).status_code == 201
    assert Document.objects.count() == 1


# --- Refusals inside one's own ESSMS are explained ---------------------------------------------


def test_a_right_missing_in_ones_own_essms_shows_a_french_refusal(client, essms):
    client.force_login(professional(essms, Metier.IDE))
    response = client.get(reverse("audit-log"), HTTP_REFERER="http://testserver/usagers/file-active/")
    assert response.status_code == 403
    content = " ".join(html.unescape(response.content.decode()).split())
    assert "Accès refusé" in content
    assert "Votre métier, <strong>Infirmier(ère) (IDE)</strong>" in content
    assert "ne permet pas de consulter" in content
    assert "Journal des accès" in content
    assert "matrice d'habilitation" in content
    assert 'href="http://testserver/usagers/file-active/"' in content
    assert "Page introuvable" not in content


def test_a_refusal_never_links_back_to_another_site(client, essms):
    client.force_login(professional(essms, Metier.IDE))
    response = client.get(reverse("audit-log"), HTTP_REFERER="https://evil.example/")
    assert "evil.example" not in response.content.decode()


def test_another_essms_object_stays_a_plain_404(client, essms, sibling_essms):
    other = UsagerFactory(essms=sibling_essms)
    client.force_login(professional(essms, Metier.IDE))
    response = client.get(reverse("usager-detail", args=[other.pk]))
    assert response.status_code == 404
    assert "Accès refusé" not in html.unescape(response.content.decode())


# --- /api/v1/ has a root ---------------------------------------------------------------------------


def test_api_root_lists_the_routes(api):
    response = api.get("/api/v1/")
    assert response.status_code == 200
    body = response.json()
    assert body["documentation"].endswith("/api/docs/")
    assert body["routes"]["usagers"] == "http://testserver/api/v1/usagers/"
    assert body["routes"]["me"] == "http://testserver/api/v1/me/"
    assert "transmissions" in body["routes"]
    statuses = {name: api.get(url).status_code for name, url in body["routes"].items()}
    assert all(code < 500 for code in statuses.values()), statuses  # a few lists require a filter
    assert statuses["usagers"] == statuses["appointments"] == statuses["transmissions"] == 200
    assert response["Cache-Control"] == "private, no-store"


def test_api_root_needs_authentication(client, db):
    assert client.get("/api/v1/").status_code in {401, 403}


def test_api_root_is_in_the_schema(client, db):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    assert schema["paths"]["/api/v1/"]["get"]["operationId"] == "api_root"


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00", "9999-12-31T23:59:00", "0001-01-01T00:00:00+14:00"])
def test_transmission_with_an_extreme_observation_time_is_a_400(client, essms, usager, moment):
    client.force_login(professional(essms, Metier.IDE))
    body = _transmission_body(usager, observed_at=moment)
    response = client.post("/api/v1/transmissions/", body, content_type="application/json")
    assert response.status_code == 400
    assert not Transmission.objects.exists()


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00", "9999-12-31T23:59:00"])
def test_appointment_with_an_extreme_start_is_a_400(client, essms, usager, moment):
    client.force_login(professional(essms, Metier.SECRETAIRE_MEDICALE))
    body = {"usager": usager.pk, "title": "Consultation", "starts_at": moment}
    response = client.post("/api/v1/appointments/", body, content_type="application/json")
    assert response.status_code == 400


def test_duplicate_key_ignores_invisible_characters():
    assert name_key("DU\u200bPONT\u200d") == name_key("Dupont") == "DUPONT"
