"""Cibles follow the kind of establishment: children's cibles only in children's establishments, on
the writing page, in the feed filters, through the service and the API; the OG edits each cible's
kinds; the data migration sets the kinds of existing rows."""

import datetime
import html
import importlib

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from dui.essms_kinds import CHILDREN, sorted_kinds
from dui.models import AccessLog, EssmsKind, Metier
from tests.factories import UsagerFactory, professional
from transmissions.models import Cible, Theme
from transmissions.selectors import cibles_offered_for_user
from transmissions.services.cibles import cible_create, cible_set_kinds, cibles_fill_defaults
from transmissions.services.transmissions import transmission_create

CREATE = reverse("transmission-create")
FEED = reverse("transmission-feed")
LIST = reverse("cible-list")
KINDS = reverse("cible-kinds")


@pytest.fixture
def catalogue(og):
    cibles_fill_defaults(og=og)
    return {cible.label: cible for cible in Cible.objects.filter(og=og)}


def text(response) -> str:
    return html.unescape(response.content.decode())


def offered_labels(user) -> set[str]:
    return set(cibles_offered_for_user(user).values_list("label", flat=True))


def test_defaults_give_childrens_cibles_to_childrens_establishments(catalogue):
    assert catalogue["Scolarité"].essms_kinds == sorted_kinds(CHILDREN)
    assert catalogue["Apprentissages et autonomie"].essms_kinds == sorted_kinds(CHILDREN)
    assert catalogue["Douleur"].essms_kinds == list(EssmsKind.values)


def test_ehpad_user_sees_no_childrens_cibles_ime_user_does(client, catalogue, essms, sibling_essms):
    nurse = professional(essms, Metier.IDE)
    assert "Scolarité" not in offered_labels(nurse) and "Douleur" in offered_labels(nurse)
    client.force_login(nurse)
    for url in (CREATE, FEED):
        page = text(client.get(url))
        assert "Douleur" in page and "Scolarité" not in page and "Apprentissages" not in page
    educ = professional(sibling_essms, Metier.EDUCATEUR)
    assert {"Scolarité", "Apprentissages et autonomie"} <= offered_labels(educ)
    client.force_login(educ)
    assert "Scolarité" in text(client.get(CREATE))


def test_service_refuses_a_childrens_cible_in_an_ehpad(catalogue, essms, usager):
    nurse = professional(essms, Metier.IDE)
    with pytest.raises(ValidationError) as excinfo:
        transmission_create(
            nurse, usager=usager, cible=catalogue["Scolarité"], narrative="x", observed_at=timezone.now()
        )
    assert excinfo.value.message_dict["cible"] == [
        "La cible « Scolarité » n'est pas proposée dans les établissements de type EHPAD "
        "(catalogue de votre organisme)."
    ]


def test_api_refuses_a_childrens_cible_in_an_ehpad(client, catalogue, essms, usager):
    client.force_login(professional(essms, Metier.IDE))
    observed = (timezone.now() - datetime.timedelta(minutes=5)).isoformat()
    body = {"usager": usager.pk, "cible": catalogue["Scolarité"].pk, "narrative": "x", "observed_at": observed}
    response = client.post("/api/v1/transmissions/", body, content_type="application/json")
    assert response.status_code == 400
    assert "n'est pas proposée" in str(response.json())
    body["cible"] = catalogue["Douleur"].pk
    assert client.post("/api/v1/transmissions/", body, content_type="application/json").status_code == 201


def test_ime_may_write_on_scolarite(catalogue, sibling_essms):
    educ = professional(sibling_essms, Metier.EDUCATEUR)
    child = UsagerFactory(essms=sibling_essms)
    written = transmission_create(
        educ, usager=child, cible=catalogue["Scolarité"], narrative="Bonne matinée en classe.",
        observed_at=timezone.now(),
    )  # fmt: skip
    assert written.cible.label == "Scolarité"


def test_og_offers_scolarite_in_its_ehpad_from_the_catalogue_page(client, catalogue, essms):
    cadre = professional(essms, Metier.CADRE_SANTE)
    client.force_login(cadre)
    page = text(client.get(LIST))
    assert "Non proposée ici" in page and "Proposé dans : IME, IMPRO, SESSAD, CAMSP, MECS" in page
    scolarite = catalogue["Scolarité"]
    response = client.post(KINDS, {"cible": scolarite.pk, "kinds": [*sorted(CHILDREN), "ehpad"]}, follow=True)
    assert "types d'établissement enregistrés" in text(response)
    scolarite.refresh_from_db()
    assert "ehpad" in scolarite.essms_kinds
    assert AccessLog.objects.filter(action="update", detail__startswith="cible Scolarité proposée dans").exists()
    assert "Scolarité" in offered_labels(professional(essms, Metier.IDE))


def test_new_cible_offered_everywhere_unless_told(catalogue, essms):
    cadre = professional(essms, Metier.CADRE_SANTE)
    assert cible_create(cadre, label="Jardin", theme=Theme.VIE_SOCIALE).essms_kinds == list(EssmsKind.values)
    made = cible_create(cadre, label="Stage", theme=Theme.EDUCATIF, essms_kinds=["esat", "impro"])
    assert made.essms_kinds == ["impro", "esat"]


@pytest.mark.parametrize(
    ("kinds", "message"),
    [
        ([], "Cochez au moins un type d'établissement"),
        (["ehpad", "hopital"], "Type d'établissement inconnu : hopital"),
        ("ime", "Liste de types d'établissement invalide"),
        (sorted(CHILDREN), "déjà proposée dans ces établissements"),
    ],
)
def test_bad_kinds_get_a_french_error_and_write_nothing(catalogue, essms, kinds, message):
    scolarite = catalogue["Scolarité"]
    with pytest.raises(ValidationError) as excinfo:
        cible_set_kinds(professional(essms, Metier.CADRE_SANTE), cible=scolarite, essms_kinds=kinds)
    assert message in " ".join(excinfo.value.messages)
    scolarite.refresh_from_db()
    assert scolarite.essms_kinds == sorted_kinds(CHILDREN)


def test_bad_kinds_on_create_write_nothing(catalogue, essms):
    with pytest.raises(ValidationError) as excinfo:
        cible_create(professional(essms, Metier.CADRE_SANTE), label="Stage", theme=Theme.EDUCATIF, essms_kinds=[])
    assert "Cochez au moins" in excinfo.value.message_dict["essms_kinds"][0]
    assert not Cible.objects.filter(label="Stage").exists()


def test_page_shows_the_error_and_others_get_404(client, catalogue, essms, foreign_essms):
    scolarite = catalogue["Scolarité"]
    client.force_login(professional(essms, Metier.CADRE_SANTE))
    response = client.post(KINDS, {"cible": scolarite.pk}, follow=True)
    assert "Cochez au moins un type" in text(response)
    client.force_login(professional(essms, Metier.AIDE_SOIGNANT))
    assert client.post(KINDS, {"cible": scolarite.pk, "kinds": ["ehpad"]}).status_code == 404
    client.force_login(professional(foreign_essms, Metier.DIRECTION))
    assert client.post(KINDS, {"cible": scolarite.pk, "kinds": ["ehpad"]}).status_code == 404
    assert client.post(KINDS, {"cible": "abc", "kinds": ["ehpad"]}).status_code == 404
    scolarite.refresh_from_db()
    assert scolarite.essms_kinds == sorted_kinds(CHILDREN)
    with pytest.raises(PermissionDenied):
        cible_set_kinds(professional(essms, Metier.IDE), cible=scolarite, essms_kinds=["ehpad"])


def test_data_migration_sets_the_kinds_of_existing_rows(og):
    migration = importlib.import_module("transmissions.migrations.0004_cible_essms_kinds")
    every = list(EssmsKind.values)
    Cible.objects.create(og=og, label="SCOLARITE", theme=Theme.EDUCATIF, essms_kinds=every)
    Cible.objects.create(og=og, label="Apprentissages  et autonomie", theme=Theme.EDUCATIF, essms_kinds=every)
    Cible.objects.create(og=og, label="Douleur", theme=Theme.DOULEUR, essms_kinds=every)
    migration.set_kinds_of_existing_cibles(apps, None)
    kinds = dict(Cible.objects.values_list("label", "essms_kinds"))
    assert kinds["SCOLARITE"] == kinds["Apprentissages  et autonomie"] == sorted_kinds(CHILDREN)
    assert kinds["Douleur"] == every
