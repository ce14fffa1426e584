"""The kind-based catalogue: Creton, children's classes, AGGIR and the seizure form follow the kind of
establishment (EHPAD of the fixtures, IME as sibling); the OG edits it; bad input writes nothing."""

import datetime
import html

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from dui.essms_kinds import CHILDREN, ELDERLY, EVENT, GRID, SECTION, default_kinds
from dui.models import AccessLog, Antecedent, CatalogueKinds, EssmsKind, Metier
from dui.permissions import can
from dui.selectors.catalogue_kinds import event_kind_offered, has_epilepsy
from dui.services.catalogue_kinds import catalogue_kinds_set
from tests.factories import EssmsFactory, OrganismeGestionnaireFactory, UsagerFactory, professional

PAGE = reverse("catalogue-kinds")
SAVE = reverse("catalogue-kinds-save")
SEIZURE_BUTTON = "Déclarer une crise d'épilepsie"


@pytest.fixture
def child(sibling_essms):
    return UsagerFactory(essms=sibling_essms, birth_name="PETIT", birth_date=datetime.date(2003, 4, 1))


def text(response) -> str:
    return html.unescape(response.content.decode())


def nav_labels(client) -> str:
    return text(client.get(reverse("home")))


# --- Data ---------------------------------------------------------------------------------------


def test_defaults_are_data_grouped_by_kind():
    assert default_kinds(SECTION, "amendement_creton") == CHILDREN
    assert default_kinds(GRID, "aggir") == ELDERLY
    assert EssmsKind.EHPAD not in default_kinds(EVENT, "epilepsie")
    assert {EssmsKind.IME, EssmsKind.MAS} <= default_kinds(EVENT, "epilepsie")
    assert default_kinds("cible", "scolarite") == CHILDREN  # labels compared without accents or case
    assert default_kinds("cible", "Douleur") == frozenset(EssmsKind.values)
    assert default_kinds(EVENT, "chute") == frozenset(EssmsKind.values)


# --- Creton -------------------------------------------------------------------------------------


def test_ehpad_has_no_creton_nav_page_or_block(client, essms, usager):
    user = professional(essms, Metier.ASSISTANT_SOCIAL)
    client.force_login(user)
    assert "Alertes Creton" not in nav_labels(client)
    assert client.get(reverse("creton-alerts")).status_code == 404
    assert not can(user, "read", "amendement_creton")
    page = text(client.get(reverse("usager-sejours", args=[usager.pk])))
    assert "Amendement Creton" not in page
    assert client.get("/api/v1/creton-decisions/").json()["results"] == []


def test_ime_has_creton_nav_page_and_block(client, sibling_essms, child):
    client.force_login(professional(sibling_essms, Metier.ASSISTANT_SOCIAL))
    assert "Alertes Creton" in nav_labels(client)
    assert client.get(reverse("creton-alerts")).status_code == 200
    assert "Amendement Creton" in text(client.get(reverse("usager-sejours", args=[child.pk])))


def test_an_og_may_offer_creton_in_its_ehpad(client, essms):
    cadre = professional(essms, Metier.CADRE_SANTE)
    catalogue_kinds_set(cadre, domain=SECTION, code="amendement_creton", kinds=[*CHILDREN, "ehpad"])
    social = professional(essms, Metier.ASSISTANT_SOCIAL)
    client.force_login(social)
    assert "Alertes Creton" in nav_labels(client)
    assert client.get(reverse("creton-alerts")).status_code == 200


# --- Seizure form ---------------------------------------------------------------------------------


def test_no_seizure_button_on_an_ehpad_resident_without_epilepsy(client, essms, usager):
    nurse = professional(essms, Metier.IDE)
    client.force_login(nurse)
    page = text(client.get(reverse("usager-detail", args=[usager.pk])))
    assert SEIZURE_BUTTON not in page and "Déclarer une chute" in page
    events = text(client.get(reverse("event-list"), {"usager": usager.pk}))
    assert reverse("event-create", args=["epilepsie"]) not in events
    assert reverse("event-create", args=["chute"]) in events
    response = client.get(reverse("event-create", args=["epilepsie"]), {"usager": usager.pk}, follow=True)
    assert "n'est pas proposé dans cet établissement" in text(response)
    assert response.redirect_chain


def test_seizure_button_for_an_ehpad_resident_whose_dossier_says_epilepsy(client, essms, usager):
    nurse = professional(essms, Metier.IDE)
    Antecedent.objects.create(essms=essms, usager=usager, created_by=nurse, label="Épilepsie temporale")
    assert has_epilepsy(usager)
    client.force_login(nurse)
    assert SEIZURE_BUTTON in text(client.get(reverse("usager-detail", args=[usager.pk])))
    assert client.get(reverse("event-create", args=["epilepsie"]), {"usager": usager.pk}).status_code == 200


def test_an_ended_antecedent_does_not_call_for_the_seizure_form(essms, usager):
    nurse = professional(essms, Metier.IDE)
    Antecedent.objects.create(
        essms=essms, usager=usager, created_by=nurse, label="Épilepsie", ended_at=datetime.datetime.now(datetime.UTC)
    )
    assert not has_epilepsy(usager)
    assert not event_kind_offered(nurse, "epilepsie", usager)


def test_seizure_button_on_every_child_of_an_ime(client, sibling_essms, child):
    client.force_login(professional(sibling_essms, Metier.IDE))
    assert SEIZURE_BUTTON in text(client.get(reverse("usager-detail", args=[child.pk])))


# --- AGGIR and children's classes -------------------------------------------------------------------


def test_aggir_only_in_elderly_establishments(client, essms, sibling_essms, usager, child):
    client.force_login(professional(essms, Metier.IDE))
    assert "aggir" in [grid["code"] for grid in client.get("/api/v1/evaluation-grids/").json()]
    client.force_login(professional(sibling_essms, Metier.IDE))
    assert "aggir" not in [grid["code"] for grid in client.get("/api/v1/evaluation-grids/").json()]
    page = text(client.get(reverse("usager-evaluations", args=[child.pk])))
    assert "AGGIR" not in page
    assert not can(professional(sibling_essms, Metier.IDE), "read", "aggir")


def test_children_classes_only_in_childrens_establishments(essms, sibling_essms):
    assert not can(professional(essms, Metier.ENSEIGNANT), "read", "projet_scolarisation")
    assert can(professional(sibling_essms, Metier.ENSEIGNANT), "read", "projet_scolarisation")


# --- The OG edits its catalogue -------------------------------------------------------------------


def test_page_for_managers_only(client, essms):
    client.force_login(professional(essms, Metier.AIDE_SOIGNANT))
    assert client.get(PAGE).status_code == 404
    assert client.post(SAVE, {"domain": EVENT, "code": "epilepsie", "kinds": ["ehpad"]}).status_code == 404
    assert not CatalogueKinds.objects.exists()
    client.force_login(professional(essms, Metier.CADRE_SANTE))
    body = text(client.get(PAGE))
    assert "Crise d'épilepsie" in body and "Évaluation AGGIR" in body and "Suivi Amendement Creton" in body


def test_offering_the_seizure_form_in_the_ehpad_then_back_to_defaults(client, essms, og, usager):
    client.force_login(professional(essms, Metier.DIRECTION))
    kinds = [*sorted(default_kinds(EVENT, "epilepsie")), "ehpad"]
    response = client.post(SAVE, {"domain": EVENT, "code": "epilepsie", "kinds": kinds}, follow=True)
    assert "Catalogue enregistré" in text(response)
    row = CatalogueKinds.objects.get(og=og, domain=EVENT, code="epilepsie")
    assert "ehpad" in row.kinds
    assert AccessLog.objects.filter(action="update", detail__contains="Crise d'épilepsie").exists()
    client.force_login(professional(essms, Metier.IDE))
    assert SEIZURE_BUTTON in text(client.get(reverse("usager-detail", args=[usager.pk])))
    client.force_login(professional(essms, Metier.DIRECTION))
    defaults = sorted(default_kinds(EVENT, "epilepsie"))
    client.post(SAVE, {"domain": EVENT, "code": "epilepsie", "kinds": defaults})
    assert not CatalogueKinds.objects.exists()


def test_disabling_a_grid_everywhere(essms, usager):
    cadre = professional(essms, Metier.CADRE_SANTE)
    assert catalogue_kinds_set(cadre, domain=GRID, code="aggir", kinds=[]) == []
    nurse = professional(essms, Metier.IDE)
    from soins.selectors.evaluations import offered_grids
    from soins.services.evaluations import evaluation_record

    assert "aggir" not in [grid.code for grid in offered_grids(nurse)]
    with pytest.raises(ValidationError) as excinfo:
        evaluation_record(nurse, usager=usager, grid="aggir", answers={})
    assert "n'est pas proposée dans cet établissement" in excinfo.value.message_dict["grid"][0]


@pytest.mark.parametrize(
    ("domain", "code", "kinds", "message"),
    [
        ("cible", "Scolarité", ["ehpad"], "Catalogue inconnu"),
        ("planete", "x", ["ehpad"], "Catalogue inconnu"),
        (EVENT, "licorne", ["ehpad"], "Élément inconnu"),
        (EVENT, "epilepsie", ["ehpad", "hopital"], "Type d'établissement inconnu : hopital"),
        (EVENT, "epilepsie", "ehpad", "Liste de types d'établissement invalide"),
        (EVENT, "epilepsie", sorted(default_kinds(EVENT, "epilepsie")), "déjà proposé"),
    ],
)
def test_bad_input_gets_a_french_error_and_writes_nothing(essms, domain, code, kinds, message):
    cadre = professional(essms, Metier.CADRE_SANTE)
    with pytest.raises(ValidationError) as excinfo:
        catalogue_kinds_set(cadre, domain=domain, code=code, kinds=kinds)
    assert message in " ".join(excinfo.value.messages)
    assert not CatalogueKinds.objects.exists()


def test_bad_input_on_the_page_shows_the_message(client, essms):
    client.force_login(professional(essms, Metier.CADRE_SANTE))
    response = client.post(SAVE, {"domain": EVENT, "code": "licorne", "kinds": ["ehpad"]}, follow=True)
    assert "Élément inconnu" in text(response)
    assert not CatalogueKinds.objects.exists()


def test_refused_to_other_metiers_and_other_ogs_untouched(essms, foreign_essms):
    with pytest.raises(PermissionDenied):
        catalogue_kinds_set(professional(essms, Metier.IDE), domain=EVENT, code="epilepsie", kinds=["ehpad"])
    catalogue_kinds_set(professional(foreign_essms, Metier.DIRECTION), domain=EVENT, code="epilepsie", kinds=["ehpad"])
    assert CatalogueKinds.objects.get().og_id == foreign_essms.og_id
    other = OrganismeGestionnaireFactory()
    mas = EssmsFactory(og=other, kind=EssmsKind.MAS)
    assert event_kind_offered(professional(mas, Metier.IDE), "epilepsie")
    assert not event_kind_offered(professional(essms, Metier.IDE), "epilepsie")


def test_event_api_refuses_a_seizure_on_an_ehpad_resident_without_epilepsy(client, essms, usager, sibling_essms):
    from django.utils import timezone

    from transmissions.models import Event, Transmission

    client.force_login(professional(essms, Metier.IDE))
    occurred = (timezone.now() - datetime.timedelta(minutes=10)).isoformat()
    body = {"usager": usager.pk, "occurred_at": occurred, "kind": "epilepsie", "duration_seconds": 95}
    body["seizure_type"] = "absence"
    response = client.post("/api/v1/events/", body, content_type="application/json")
    assert response.status_code == 400
    assert "n'est pas proposé dans cet établissement (EHPAD)" in str(response.json())
    assert not Event.objects.exists() and not Transmission.objects.exists()
    child = UsagerFactory(essms=sibling_essms)
    client.force_login(professional(sibling_essms, Metier.IDE))
    body["usager"] = child.pk
    assert client.post("/api/v1/events/", body, content_type="application/json").status_code == 201


# --- Who manages the catalogue: the class « parametrage_catalogues » of the matrix -------------------


def _former_managers(user) -> bool:
    """The rule before the matrix class: direction, cadres de santé, or who writes the matrix."""
    return user.membership.metier in {Metier.DIRECTION, Metier.CADRE_SANTE} or can(user, "write", "habilitations")


def test_default_matrix_gives_the_former_catalogue_managers(essms):
    from dui.services.catalogue_kinds import can_manage_catalogue

    for metier in Metier.values:
        user = professional(essms, metier)
        assert can_manage_catalogue(user) == _former_managers(user), metier
    assert {m for m in Metier.values if can_manage_catalogue(professional(essms, m))} == {
        Metier.DIRECTION,
        Metier.CADRE_SANTE,
        Metier.ADMINISTRATEUR,
    }


def test_editing_the_og_matrix_changes_who_manages_the_catalogue(client, essms, og):
    from dui.models import Habilitation
    from dui.services.catalogue_kinds import can_manage_catalogue

    rows = Habilitation.objects.filter(og=og, document_class__code="parametrage_catalogues")
    rows.filter(metier=Metier.IDE).update(can_read=True, can_write=True)
    rows.filter(metier=Metier.CADRE_SANTE).update(can_write=False)
    nurse, cadre = professional(essms, Metier.IDE), professional(essms, Metier.CADRE_SANTE)
    assert can_manage_catalogue(nurse) and not can_manage_catalogue(cadre)
    catalogue_kinds_set(nurse, domain=EVENT, code="epilepsie", kinds=["ehpad"])
    with pytest.raises(PermissionDenied, match="modifient le catalogue"):
        catalogue_kinds_set(cadre, domain=EVENT, code="epilepsie", kinds=[])
    client.force_login(cadre)
    assert client.get(PAGE).status_code == 404
    client.force_login(nurse)
    assert client.get(PAGE).status_code == 200


def test_an_actor_reads_the_catalogue_once_per_request(essms, django_assert_num_queries):
    from dui.actor import Actor
    from dui.selectors.catalogue_kinds import applies

    actor = Actor(user=professional(essms, Metier.IDE))
    with django_assert_num_queries(1):
        assert not applies(actor, SECTION, "amendement_creton")
        assert not applies(actor, SECTION, "amendement_creton")
    assert applies(actor.user, GRID, "aggir")  # the same cache, on the user
