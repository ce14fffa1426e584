"""Technical requests: creation, status workflow with history, who sees what, yearly counts."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from dui.errors import NotFound
from dui.models import AccessLog, Metier
from tests.factories import UserFactory, professional
from transmissions.models import MaintenanceRequest, MaintenanceStatusChange, RequestCategory, RequestStatus
from transmissions.selectors.maintenance import (
    access_maintenance_request,
    maintenance_requests_for_user,
    maintenance_statistics,
)
from transmissions.services.maintenance import maintenance_request_create, maintenance_request_set_status

N, P, F, A = RequestStatus.NOUVELLE, RequestStatus.PRISE_EN_CHARGE, RequestStatus.FAITE, RequestStatus.ANNULEE


@pytest.fixture
def aide_soignant(essms):
    return professional(essms, Metier.AIDE_SOIGNANT, last_name="Aubert")


@pytest.fixture
def technicien(essms):
    return professional(essms, Metier.TECHNIQUE, last_name="Technicien")


def create(user, **kwargs):
    values = {"place": "Chambre 12", "category": RequestCategory.PLOMBERIE, "description": "Le lavabo fuit."}
    return maintenance_request_create(user, **(values | kwargs))


def writes():
    return MaintenanceRequest.objects.count(), MaintenanceStatusChange.objects.count()


# --- Services -----------------------------------------------------------------------------------


def test_create_records_history_and_audit(aide_soignant):
    request = create(aide_soignant)
    essms_id = aide_soignant.membership.essms_id
    assert (request.status, request.requester, request.essms_id) == (N, aide_soignant, essms_id)
    assert list(request.history.values_list("status", flat=True)) == [N]
    assert AccessLog.objects.filter(action="create", object_type="transmissions.maintenancerequest").exists()


@pytest.mark.parametrize(
    ("kwargs", "field", "text"),
    [
        ({"place": "  "}, "place", "Indiquez le lieu"),
        ({"place": "x" * 121}, "place", "120 caractères"),
        ({"category": "jardinage"}, "category", "Choisissez une catégorie"),
        ({"description": ""}, "description", "Décrivez le problème"),
    ],
)
def test_create_bad_input_writes_nothing(aide_soignant, kwargs, field, text):
    with pytest.raises(ValidationError) as caught:
        create(aide_soignant, **kwargs)
    assert text in caught.value.message_dict[field][0]
    assert writes() == (0, 0)


def test_workflow_to_done(aide_soignant, technicien):
    request = create(aide_soignant)
    maintenance_request_set_status(technicien, maintenance_request=request, status=P, comment="J'y vais")
    request = maintenance_request_set_status(technicien, maintenance_request=request, status=F)
    assert request.status == F
    history = list(request.history.values_list("status", "changed_by", "comment"))
    assert history == [(N, aide_soignant.pk, "Demande créée."), (P, technicien.pk, "J'y vais"), (F, technicien.pk, "")]


@pytest.mark.parametrize(
    ("path", "target"),
    [([], F), ([], N), ([P], N), ([P], P), ([P, F], A), ([P, F], P), ([A], P), ([A], N)],
)
def test_bad_transitions_are_refused_and_write_nothing(aide_soignant, technicien, path, target):
    request = create(aide_soignant)
    for status in path:
        request = maintenance_request_set_status(technicien, maintenance_request=request, status=status)
    before = writes()
    with pytest.raises(ValidationError) as caught:
        maintenance_request_set_status(technicien, maintenance_request=request, status=target)
    assert "Passage impossible du statut" in caught.value.message_dict["status"][0]
    assert writes() == before
    request.refresh_from_db()
    assert request.status == (path[-1] if path else N)


def test_unknown_status_and_long_comment_are_refused(aide_soignant, technicien):
    request = create(aide_soignant)
    with pytest.raises(ValidationError, match="Statut inconnu"):
        maintenance_request_set_status(technicien, maintenance_request=request, status="perdue")
    with pytest.raises(ValidationError, match="300 caractères"):
        maintenance_request_set_status(technicien, maintenance_request=request, status=P, comment="x" * 301)
    assert writes() == (1, 1)


@pytest.mark.parametrize("metier", [Metier.TECHNIQUE, Metier.DIRECTION, Metier.CADRE_SANTE, Metier.ADMINISTRATEUR])
def test_managers_change_the_status(essms, aide_soignant, metier):
    request = create(aide_soignant)
    manager = professional(essms, metier)
    assert maintenance_request_set_status(manager, maintenance_request=request, status=P).status == P


@pytest.mark.parametrize("metier", [Metier.AIDE_SOIGNANT, Metier.IDE, Metier.QUALITE, Metier.PARTENAIRE])
def test_status_change_by_a_non_technical_metier_is_refused(essms, aide_soignant, metier):
    request = create(aide_soignant)
    other = professional(essms, metier)
    with pytest.raises(PermissionDenied, match="Seuls les services techniques"):
        maintenance_request_set_status(other, maintenance_request=request, status=P)
    assert writes() == (1, 1)


def test_requester_cancels_own_new_request_only(aide_soignant, technicien):
    request = create(aide_soignant)
    with pytest.raises(PermissionDenied):
        maintenance_request_set_status(aide_soignant, maintenance_request=request, status=P)
    cancelled = maintenance_request_set_status(aide_soignant, maintenance_request=request, status=A)
    assert cancelled.status == A
    second = create(aide_soignant)
    maintenance_request_set_status(technicien, maintenance_request=second, status=P)
    with pytest.raises(PermissionDenied):
        maintenance_request_set_status(aide_soignant, maintenance_request=second, status=A)


def test_manager_of_another_essms_cannot_change_it(aide_soignant, sibling_essms):
    request = create(aide_soignant)
    with pytest.raises(PermissionDenied):
        maintenance_request_set_status(
            professional(sibling_essms, Metier.TECHNIQUE), maintenance_request=request, status=P
        )
    assert writes() == (1, 1)


# --- Selectors ----------------------------------------------------------------------------------


def test_requester_sees_own_managers_see_all(essms, aide_soignant, technicien, sibling_essms):
    mine = create(aide_soignant)
    colleague = professional(essms, Metier.IDE)
    theirs = create(colleague)
    elsewhere = create(professional(sibling_essms, Metier.IDE))
    assert set(maintenance_requests_for_user(aide_soignant)) == {mine}
    assert set(maintenance_requests_for_user(technicien)) == {mine, theirs}
    assert set(maintenance_requests_for_user(professional(essms, Metier.DIRECTION))) == {mine, theirs}
    with pytest.raises(NotFound):
        access_maintenance_request(aide_soignant, theirs.pk)
    with pytest.raises(NotFound):
        access_maintenance_request(technicien, elsewhere.pk)
    for bad in ("abc", 0, 2**64):
        with pytest.raises(NotFound):
            access_maintenance_request(technicien, bad)


def test_statistics_one_aggregate_query(essms, aide_soignant, technicien, django_assert_num_queries):
    done = create(aide_soignant, category=RequestCategory.ELECTRICITE)
    maintenance_request_set_status(technicien, maintenance_request=done, status=P)
    maintenance_request_set_status(technicien, maintenance_request=done, status=F)
    create(aide_soignant, category=RequestCategory.ELECTRICITE)
    create(aide_soignant)
    old = create(aide_soignant)
    MaintenanceRequest.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=800))
    year = timezone.localdate().year
    with django_assert_num_queries(1):
        stats = maintenance_statistics(technicien, year=year)
    table = {row.category: dict(zip([s for s, _ in stats.statuses], row.counts, strict=True)) for row in stats.rows}
    assert table[RequestCategory.ELECTRICITE] == {N: 1, P: 0, F: 1, A: 0}
    assert table[RequestCategory.PLOMBERIE][N] == 1
    assert stats.total == 3
    with pytest.raises(NotFound):
        maintenance_statistics(aide_soignant, year=year)


# --- Screens ------------------------------------------------------------------------------------


def test_create_page_and_detail(client, aide_soignant):
    client.force_login(aide_soignant)
    assert client.get(reverse("maintenance-create")).status_code == 200
    response = client.post(
        reverse("maintenance-create"),
        {"place": "Salle à manger", "category": RequestCategory.MOBILIER, "description": "Chaise cassée."},
    )
    request = MaintenanceRequest.objects.get()
    assert response["Location"] == reverse("maintenance-detail", args=[request.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Chaise cassée." in page and "Nouvelle" in page and "Annuler la demande" in page
    assert "Passer à" not in page
    listing = client.get(reverse("maintenance-list")).content.decode()
    assert "Salle à manger" in listing and "Statistiques" not in listing


@pytest.mark.parametrize(
    ("data", "text"),
    [
        ({"place": "", "category": "plomberie", "description": "x"}, "Indiquez le lieu"),
        ({"place": "x", "category": "", "description": "x"}, "Choisissez une catégorie de la liste."),
        ({"place": "x", "category": "jardin", "description": "x"}, "Choisissez une catégorie de la liste."),
        ({"place": "x", "category": "plomberie", "description": " "}, "Décrivez le problème ou le besoin."),
    ],
)
def test_create_page_bad_input(client, aide_soignant, data, text):
    client.force_login(aide_soignant)
    response = client.post(reverse("maintenance-create"), data)
    assert response.status_code == 200
    assert text in response.content.decode()
    assert writes() == (0, 0)


def test_status_page_workflow_and_errors(client, aide_soignant, technicien):
    request = create(aide_soignant)
    client.force_login(technicien)
    page = client.get(reverse("maintenance-detail", args=[request.pk])).content.decode()
    assert "Passer à « Prise en charge »" in page
    url = reverse("maintenance-status", args=[request.pk])
    response = client.post(url, {"status": P, "comment": "Plombier appelé"}, follow=True)
    assert "Statut de la demande : Prise en charge." in response.content.decode()
    assert "Plombier appelé" in response.content.decode()
    before = writes()
    bad = client.post(url, {"status": N}, follow=True).content.decode()
    assert "Passage impossible du statut « Prise en charge » au statut « Nouvelle »." in bad
    unknown = client.post(url, {"status": "volee"}, follow=True).content.decode()
    assert "Statut inconnu." in unknown
    assert writes() == before


def test_status_change_by_a_non_technical_metier_on_screen(client, essms, aide_soignant):
    request = create(aide_soignant)
    cadre_qualite = professional(essms, Metier.QUALITE)
    client.force_login(cadre_qualite)
    # Not the requester, not a manager: the request is out of reach.
    assert client.get(reverse("maintenance-detail", args=[request.pk])).status_code == 404
    assert client.post(reverse("maintenance-status", args=[request.pk]), {"status": P}).status_code == 404
    client.force_login(aide_soignant)
    refused = client.post(reverse("maintenance-status", args=[request.pk]), {"status": P}, follow=True)
    assert "Seuls les services techniques" in refused.content.decode()
    assert writes() == (1, 1)


def test_requester_cancels_on_screen(client, aide_soignant):
    request = create(aide_soignant)
    client.force_login(aide_soignant)
    client.post(reverse("maintenance-status", args=[request.pk]), {"status": A})
    request.refresh_from_db()
    assert request.status == A


def test_stats_page(client, aide_soignant, technicien):
    create(aide_soignant)
    client.force_login(technicien)
    year = timezone.localdate().year
    page = client.get(reverse("maintenance-stats"), {"annee": year}).content.decode()
    assert f"Demandes techniques de {year}" in page and "Plomberie" in page
    empty = client.get(reverse("maintenance-stats"), {"annee": "2001"}).content.decode()
    assert "Demandes techniques de 2001" in empty and "0 au total" in empty


@pytest.mark.parametrize("raw", ["abc", "20266", "1850", "2026-01", "-1"])
def test_stats_malformed_year_is_a_french_error(client, technicien, raw):
    client.force_login(technicien)
    page = client.get(reverse("maintenance-stats"), {"annee": raw}).content.decode()
    assert "n&#x27;est pas une année valide" in page
    assert f"Demandes techniques de {timezone.localdate().year}" in page


def test_stats_closed_to_other_metiers(client, aide_soignant):
    client.force_login(aide_soignant)
    assert client.get(reverse("maintenance-stats")).status_code == 404


@pytest.mark.parametrize("count", [3, 20])
def test_list_query_count_does_not_grow(client, aide_soignant, technicien, count, django_assert_max_num_queries):
    for index in range(count):
        create(aide_soignant, place=f"Chambre {index}")
    client.force_login(technicien)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("maintenance-list"))
    assert response.content.decode().count("mt-status-nouvelle") == count


def test_pages_without_membership_are_404(client, db):
    client.force_login(UserFactory())
    for name in ("maintenance-list", "maintenance-create", "maintenance-stats"):
        assert client.get(reverse(name)).status_code == 404
