"""Séjour screens: timeline, action forms, refusals shown in French, 404 out of reach, audit."""

import datetime

import pytest
from django.urls import reverse

from dui.models import AccessLog, CretonDecision, Metier, Placement, Sejour
from dui.services import placements as placements_services
from dui.services import sejours as services
from tests.factories import UnitFactory, UsagerFactory, professional

D = datetime.date


@pytest.fixture
def secretaire(essms):
    return professional(essms, Metier.SECRETAIRE_MEDICALE)


@pytest.fixture
def logged(client, secretaire):
    client.force_login(secretaire)
    return client


def admitted(user, usager, unit, on=None):
    on = on or D(2024, 1, 10)
    sejour = services.sejour_open_pre_admission(user, usager=usager, first_contact_on=D(2024, 1, 2))
    return services.sejour_admit(
        user, sejour=sejour, admitted_on=on, contract_signed_on=on, unit=unit, modality="hp", room="7"
    )


def url(name, usager, sejour=None):
    kwargs = {"pk": usager.pk} if sejour is None else {"pk": usager.pk, "sejour_pk": sejour.pk}
    return reverse(name, kwargs=kwargs)


def test_history_page_shows_the_timeline_and_actions(logged, secretaire, usager, unit):
    sejour = admitted(secretaire, usager, unit)
    placements_services.absence_record(secretaire, sejour=sejour, kind="hospitalisation", starts_on=D(2024, 2, 1))
    page_logs = AccessLog.objects.exclude(detail="bandeau patient")  # the banner's reads: test_banner.py
    before = page_logs.count()
    response = logged.get(url("usager-sejours", usager))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Premier contact — pré-admission" in body
    assert "Admission" in body and "Contrat de séjour signé le 10/01/2024" in body
    assert "Unité Glycine, chambre 7, Hébergement permanent" in body
    assert "Absence : Hospitalisation" in body
    assert url("placement-change", usager, sejour) in body
    assert url("absence-end", usager, sejour) in body
    assert url("sejour-exit", usager, sejour) in body
    log = page_logs.order_by("-id").first()
    assert page_logs.count() == before + 1
    assert (log.action, log.object_type, log.usager_id) == ("read", "dui.sejour", usager.pk)


def test_history_page_without_write_right_shows_no_action(client, essms, secretaire, usager, unit):
    sejour = admitted(secretaire, usager, unit)
    client.force_login(professional(essms, Metier.AIDE_SOIGNANT))
    response = client.get(url("usager-sejours", usager))
    assert response.status_code == 200
    assert url("sejour-exit", usager, sejour) not in response.content.decode()
    assert client.get(url("sejour-exit", usager, sejour)).status_code == 403
    response = client.post(url("sejour-exit", usager, sejour), {"ended_on": "2024-02-01", "exit_reason": "autre"})
    assert response.status_code == 403
    sejour.refresh_from_db()
    assert sejour.status == "active"


def test_history_page_query_count_does_not_grow(logged, secretaire, essms, django_assert_max_num_queries):
    units = [UnitFactory(essms=essms) for _ in range(12)]
    usager = UsagerFactory(essms=essms)
    small = UsagerFactory(essms=essms)
    sejour = admitted(secretaire, usager, units[0])
    for month, unit in enumerate(units[1:], start=2):
        placements_services.placement_change(secretaire, sejour=sejour, starts_on=D(2024, month, 1), unit=unit)
        placements_services.absence_record(
            secretaire,
            sejour=sejour,
            kind="vacances",
            starts_on=D(2024, month, 3),
            ends_on=D(2024, month, 5),
        )
    admitted(secretaire, small, units[0])
    counts = []
    for person in (small, usager):
        with django_assert_max_num_queries(20) as captured:
            assert logged.get(url("usager-sejours", person)).status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


def test_pre_admission_then_admission_through_the_forms(logged, usager, unit):
    response = logged.post(url("sejour-pre-admission", usager), {"first_contact_on": "2024-01-02"})
    assert response.status_code == 302
    sejour = Sejour.objects.get()
    assert sejour.status == "pre_admission"
    assert logged.get(url("sejour-admit", usager, sejour)).status_code == 200
    response = logged.post(
        url("sejour-admit", usager, sejour),
        {
            "admitted_on": "10/01/2024",
            "contract_signed_on": "2024-01-10",
            "unit": unit.pk,
            "modality": "hp",
            "room": "12",
        },
        follow=True,
    )
    assert "Admission enregistrée." in response.content.decode()
    sejour.refresh_from_db()
    assert sejour.status == "active"
    assert Placement.objects.get().unit == unit


def test_admission_form_refuses_a_unit_of_another_essms(logged, secretaire, usager, sibling_essms):
    sejour = services.sejour_open_pre_admission(secretaire, usager=usager, first_contact_on=D(2024, 1, 2))
    other = UnitFactory(essms=sibling_essms)
    response = logged.post(
        url("sejour-admit", usager, sejour),
        {"admitted_on": "2024-01-10", "contract_signed_on": "2024-01-10", "unit": other.pk, "modality": "hp"},
    )
    assert response.status_code == 400
    assert "Choisissez une unité de la liste." in response.content.decode()
    assert not Placement.objects.exists()


def test_exit_before_admission_shows_the_french_message(logged, secretaire, usager, unit):
    sejour = admitted(secretaire, usager, unit)
    response = logged.post(url("sejour-exit", usager, sejour), {"ended_on": "2024-01-05", "exit_reason": "deces"})
    assert response.status_code == 400
    assert "La date de sortie ne peut pas précéder l&#x27;admission." in response.content.decode()
    sejour.refresh_from_db()
    assert sejour.status == "active"


def test_overlapping_absence_shows_the_french_message(logged, secretaire, usager, unit):
    sejour = admitted(secretaire, usager, unit)
    placements_services.absence_record(
        secretaire, sejour=sejour, kind="vacances", starts_on=D(2024, 2, 1), ends_on=D(2024, 2, 10)
    )
    response = logged.post(
        url("absence-record", usager, sejour), {"kind": "autre", "starts_on": "2024-02-05", "ends_on": ""}
    )
    assert response.status_code == 400
    assert "chevauche l&#x27;absence" in response.content.decode()
    assert sejour.absences.count() == 1


def test_lifecycle_through_the_screens(logged, secretaire, usager, unit, essms):
    other_unit = UnitFactory(essms=essms, name="Unité Mimosa")
    sejour = admitted(secretaire, usager, unit)
    form = logged.get(url("placement-change", usager, sejour)).content.decode()
    assert 'value="7"' in form  # current room pre-filled
    response = logged.post(
        url("placement-change", usager, sejour),
        {"starts_on": "2024-02-01", "unit": other_unit.pk, "room": "7", "modality": "hp"},
    )
    assert response.status_code == 302
    assert (
        logged.post(url("absence-record", usager, sejour), {"kind": "vacances", "starts_on": "2024-03-01"}).status_code
        == 302
    )
    assert logged.post(url("absence-end", usager, sejour), {"ends_on": "2024-03-04"}).status_code == 302
    response = logged.post(
        url("sejour-exit", usager, sejour),
        {"ended_on": "2024-04-01", "exit_reason": "retour_domicile", "exit_destination": "Domicile"},
        follow=True,
    )
    body = response.content.decode()
    assert "Sortie enregistrée." in body
    assert "Dossier archivé le" in body
    assert "Réadmettre" in body
    usager.refresh_from_db()
    assert usager.archived_at is not None
    # Archived: the action pages refuse and write nothing.
    response = logged.post(
        url("absence-record", usager, sejour), {"kind": "autre", "starts_on": "2024-03-20"}, follow=True
    )
    assert "Ce dossier est archivé : il est en lecture seule." in response.content.decode()
    assert sejour.absences.count() == 1
    # Re-admission: a new séjour, the dossier writable again.
    response = logged.post(url("sejour-pre-admission", usager), {"first_contact_on": "2024-06-01"}, follow=True)
    assert "Dossier désarchivé" in response.content.decode()
    usager.refresh_from_db()
    assert usager.archived_at is None
    assert Sejour.objects.filter(usager=usager).count() == 2


def test_abandon_a_pre_admission(logged, secretaire, usager):
    sejour = services.sejour_open_pre_admission(secretaire, usager=usager, first_contact_on=D(2024, 1, 2))
    assert "Abandonner la pré-admission" in logged.get(url("sejour-exit", usager, sejour)).content.decode()
    response = logged.post(url("sejour-exit", usager, sejour), {"ended_on": "2024-01-20", "exit_reason": "autre"})
    assert response.status_code == 302
    sejour.refresh_from_db()
    assert sejour.status == "cancelled"


def test_sejour_of_another_dossier_is_404(logged, secretaire, essms, usager, unit):
    other = UsagerFactory(essms=essms)
    sejour = admitted(secretaire, other, unit)
    for name in ("sejour-admit", "placement-change", "absence-record", "absence-end", "sejour-exit"):
        assert logged.get(url(name, usager, sejour)).status_code == 404, name
        assert logged.post(url(name, usager, sejour), {}).status_code == 404, name


def test_outsider_gets_404_on_every_sejour_page(client, secretaire, usager, unit, foreign_essms):
    sejour = admitted(secretaire, usager, unit)
    client.force_login(professional(foreign_essms, Metier.DIRECTION))
    assert client.get(url("usager-sejours", usager)).status_code == 404
    assert client.post(url("sejour-pre-admission", usager), {"first_contact_on": "2024-01-02"}).status_code == 404
    assert (
        client.post(url("sejour-exit", usager, sejour), {"ended_on": "2024-02-01", "exit_reason": "autre"}).status_code
        == 404
    )
    sejour.refresh_from_db()
    assert sejour.status == "active"


def test_creton_record_refused_in_an_ehpad(client, essms, usager):
    """Creton is not offered in an EHPAD: its form answers 404 (the service's French error: test_sejours)."""
    client.force_login(professional(essms, Metier.DIRECTION))
    response = client.post(
        url("creton-record", usager), {"decided_on": "2024-01-15", "valid_until": "2025-01-14", "orientation": ""}
    )
    assert response.status_code == 404
    assert not CretonDecision.objects.exists()


def test_creton_record_and_alert_page(client, sibling_essms):
    user = professional(sibling_essms, Metier.ASSISTANT_SOCIAL)
    client.force_login(user)
    person = UsagerFactory(essms=sibling_essms, birth_name="JEUNE", birth_date=D(2003, 4, 1))
    today = D.today()
    response = client.post(
        url("creton-record", person),
        {
            "decided_on": (today - datetime.timedelta(days=330)).isoformat(),
            "valid_until": (today + datetime.timedelta(days=30)).isoformat(),
            "orientation": "FAM",
        },
    )
    assert response.status_code == 302
    page = client.get(url("usager-sejours", person)).content.decode()
    assert "Amendement Creton" in page and "FAM" in page
    response = client.get(reverse("creton-alerts"))
    assert response.status_code == 200
    assert "JEUNE" in response.content.decode()
    assert AccessLog.objects.filter(detail="alertes de renouvellement Creton", usager_id=person.pk).exists()


def test_creton_alert_page_closed_to_metiers_without_the_class(client, sibling_essms):
    """In an IME, where Creton is offered, a métier without the class gets the refusal page."""
    client.force_login(professional(sibling_essms, Metier.TECHNIQUE))
    assert client.get(reverse("creton-alerts")).status_code == 403
