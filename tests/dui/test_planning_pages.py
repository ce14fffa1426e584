"""Planning screens: per person, per unit and day, the printable day sheet, appointment forms."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from dui.models import AccessLog, Appointment, Document, DocumentClass, Metier, Transport
from tests.dui.test_planning_support import TODAY, admit, appointment, at
from tests.factories import UnitFactory, UsagerFactory, professional
from tests.logged import logged_events


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(at(TODAY, 8), tick=False):
        yield


@pytest.fixture
def secretary(essms):
    return professional(essms, Metier.SECRETAIRE_MEDICALE)


def day_url(name="planning-day", *, day=TODAY, unit=None):
    query = f"?jour={day:%Y-%m-%d}"
    if unit is not None:
        query += f"&unite={unit.pk}"
    return reverse(name) + query


# ---------- Per person ----------


def test_person_planning_shows_upcoming_and_past_30_days(client, secretary, usager):
    appointment(usager, by=secretary, starts_at=at(TODAY, 14), title="Dentiste")
    appointment(usager, by=secretary, starts_at=at(TODAY + datetime.timedelta(days=10), 9), title="Kinésithérapeute")
    appointment(usager, by=secretary, starts_at=at(TODAY - datetime.timedelta(days=5), 9), title="Ophtalmologue")
    appointment(usager, by=secretary, starts_at=at(TODAY - datetime.timedelta(days=45), 9), title="Trop ancien")
    client.force_login(secretary)
    response = client.get(reverse("usager-planning", args=[usager.pk]))
    assert response.status_code == 200
    assert [a.title for a in response.context["upcoming"]] == ["Dentiste", "Kinésithérapeute"]
    assert [a.title for a in response.context["past"]] == ["Ophtalmologue"]
    assert "Trop ancien" not in response.content.decode()
    assert len(logged_events(action="read", object_type="dui.appointment")) == 3
    assert reverse("appointment-create", args=[usager.pk]) in response.content.decode()


def test_person_planning_query_count_does_not_grow(client, secretary, usager, django_assert_max_num_queries):
    client.force_login(secretary)
    appointment(usager, by=secretary, starts_at=at(TODAY, 14))
    with django_assert_max_num_queries(13) as few:
        client.get(reverse("usager-planning", args=[usager.pk]))
    for hour in range(8, 20):
        appointment(usager, by=secretary, starts_at=at(TODAY + datetime.timedelta(days=1), hour))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("usager-planning", args=[usager.pk]))


def test_person_planning_of_another_essms_is_404(client, sibling_essms, usager):
    client.force_login(professional(sibling_essms, Metier.SECRETAIRE_MEDICALE))
    assert client.get(reverse("usager-planning", args=[usager.pk])).status_code == 404


def test_person_planning_refused_by_the_matrix_is_404(client, essms, usager):
    client.force_login(professional(essms, Metier.TECHNIQUE))
    assert client.get(reverse("usager-planning", args=[usager.pk])).status_code == 404


def test_ash_reads_but_has_no_write_button(client, essms, secretary, usager):
    appointment(usager, by=secretary, starts_at=at(TODAY, 14))
    client.force_login(professional(essms, Metier.ASH))
    response = client.get(reverse("usager-planning", args=[usager.pk]))
    assert response.status_code == 200
    assert reverse("appointment-create", args=[usager.pk]) not in response.content.decode()


# ---------- Appointment forms ----------


def form_data(**overrides):
    data = {
        "day": "2026-03-20",
        "start_time": "10:30",
        "end_time": "11:15",
        "title": "Consultation ORL",
        "place": "Clinique du Parc",
        "practitioner": "Dr Martin",
        "transport": Transport.VSL,
        "transport_booked": "on",
        "accompanied_by": "Sa fille",
        "notes": "Apporter l'audiogramme",
    }
    data.update(overrides)
    return data


def test_secretary_creates_an_appointment_through_the_form(client, secretary, usager):
    client.force_login(secretary)
    url = reverse("appointment-create", args=[usager.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, form_data(), follow=True)
    assert response.redirect_chain[-1][0] == reverse("usager-planning", args=[usager.pk])
    row = Appointment.objects.get()
    assert timezone.localtime(row.starts_at) == at(datetime.date(2026, 3, 20), 10, 30)
    assert timezone.localtime(row.ends_at) == at(datetime.date(2026, 3, 20), 11, 15)
    assert (row.transport, row.transport_booked, row.accompanied_by) == ("vsl", True, "Sa fille")
    assert "Rendez-vous enregistré le 20/03/2026 à 10:30." in response.content.decode()


def test_form_end_before_start_shows_the_message(client, secretary, usager):
    client.force_login(secretary)
    response = client.post(reverse("appointment-create", args=[usager.pk]), form_data(end_time="09:00"))
    assert response.status_code == 200
    assert "La fin du rendez-vous doit être après son début." in response.content.decode()
    assert not Appointment.objects.exists()


def test_form_without_start_shows_the_message(client, secretary, usager):
    client.force_login(secretary)
    response = client.post(reverse("appointment-create", args=[usager.pk]), form_data(start_time=""))
    assert "L&#x27;heure de début est obligatoire." in response.content.decode()
    assert not Appointment.objects.exists()


def test_form_refused_to_ash_is_404(client, essms, usager):
    client.force_login(professional(essms, Metier.ASH))
    url = reverse("appointment-create", args=[usager.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, form_data()).status_code == 404
    assert not Appointment.objects.exists()


def test_form_on_archived_dossier_redirects_with_the_message(client, secretary, essms):
    archived = UsagerFactory(essms=essms, archived_at=timezone.now())
    client.force_login(secretary)
    response = client.post(reverse("appointment-create", args=[archived.pk]), form_data(), follow=True)
    assert "Ce dossier est archivé : il est en lecture seule." in response.content.decode()
    assert not Appointment.objects.exists()


def test_update_form(client, secretary, usager):
    row = appointment(usager, by=secretary, starts_at=at(TODAY, 10))
    client.force_login(secretary)
    url = reverse("appointment-update", args=[row.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert 'value="10:00"' in response.content.decode()
    client.post(url, form_data(day="2026-03-16", start_time="10:00", end_time="", title="Cardiologie"))
    row.refresh_from_db()
    assert row.title == "Cardiologie"
    assert row.transport == "vsl"


def test_cancel_is_post_only_and_audited(client, secretary, usager):
    row = appointment(usager, by=secretary, starts_at=at(TODAY, 10))
    client.force_login(secretary)
    url = reverse("appointment-cancel", args=[row.pk])
    assert client.get(url).status_code == 405
    response = client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("usager-planning", args=[usager.pk])
    row.refresh_from_db()
    assert row.cancelled_at is not None
    assert AccessLog.objects.filter(action="update", object_id=str(row.pk), detail="rendez-vous annulé").exists()


def test_cancel_by_outsider_or_ash_is_404(client, essms, sibling_essms, secretary, usager):
    row = appointment(usager, by=secretary, starts_at=at(TODAY, 10))
    for user in (professional(sibling_essms, Metier.SECRETAIRE_MEDICALE), professional(essms, Metier.ASH)):
        client.force_login(user)
        assert client.post(reverse("appointment-cancel", args=[row.pk])).status_code == 404
    row.refresh_from_db()
    assert row.cancelled_at is None


# ---------- Per unit and day ----------


@pytest.fixture
def glycine_day(essms, unit, secretary):
    """Three people in the Glycine unit, one elsewhere, one who left the unit last week."""
    other_unit = UnitFactory(essms=essms, name="Unité Mimosa")
    here = UsagerFactory(essms=essms, birth_name="AUBERT", first_names="Louise")
    there = UsagerFactory(essms=essms, birth_name="MIMOSA-PERSONNE")
    left = UsagerFactory(essms=essms, birth_name="PARTIE")
    admit(here, unit, by=secretary, room="104")
    admit(there, other_unit, by=secretary, room="201")
    admit(left, unit, by=secretary, ends_on=TODAY - datetime.timedelta(days=7))
    appointment(
        here,
        by=secretary,
        starts_at=at(TODAY, 9, 30),
        ends_at=at(TODAY, 10, 30),
        title="Consultation de cardiologie",
        place="CH Lyon Sud",
        transport=Transport.AMBULANCE,
        transport_booked=False,
        accompanied_by="Aide-soignante de l'unité",
        notes="À jeun depuis minuit",
    )
    appointment(here, by=secretary, starts_at=at(TODAY, 15), title="Annulé exprès", cancelled_at=timezone.now())
    appointment(here, by=secretary, starts_at=at(TODAY + datetime.timedelta(days=1), 9), title="Demain")
    appointment(there, by=secretary, starts_at=at(TODAY, 11), title="Autre unité")
    appointment(left, by=secretary, starts_at=at(TODAY, 11), title="Plus dans l'unité")
    return here


def test_day_planning_lists_the_unit_people_with_transport(client, secretary, unit, glycine_day):
    client.force_login(secretary)
    response = client.get(day_url(unit=unit))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [row.title for row in rows] == ["Consultation de cardiologie", "Annulé exprès"]
    assert rows[0].room == "104"
    body = response.content.decode()
    assert "Ambulance" in body
    assert "à réserver" in body
    assert "Aide-soignante de l&#x27;unité" in body
    assert "Autre unité" not in body
    assert "Plus dans l" not in body
    assert len(logged_events(action="read", object_type="dui.appointment")) == 2


def test_day_planning_defaults_to_today_and_first_unit(client, secretary, unit, glycine_day):
    client.force_login(secretary)
    response = client.get(reverse("planning-day"))
    assert response.context["day"] == TODAY
    assert response.context["unit"] == unit


def test_day_planning_with_a_unit_of_another_essms_is_404(client, secretary, foreign_essms, sibling_essms):
    client.force_login(secretary)
    for other in (UnitFactory(essms=foreign_essms), UnitFactory(essms=sibling_essms)):
        assert client.get(day_url(unit=other)).status_code == 404
        assert client.get(day_url("planning-day-print", unit=other)).status_code == 404
    assert client.get(reverse("planning-day") + "?unite=abc").status_code == 404


def test_day_planning_with_a_bad_date_falls_back_to_today(client, secretary, unit):
    client.force_login(secretary)
    response = client.get(reverse("planning-day") + f"?jour=2026-02-31&unite={unit.pk}")
    assert response.status_code == 200
    assert response.context["day"] == TODAY
    assert "n&#x27;est pas une date valide" in response.content.decode()


def test_day_planning_refused_by_the_matrix_is_404(client, essms, unit):
    client.force_login(professional(essms, Metier.TECHNIQUE))
    assert client.get(day_url(unit=unit)).status_code == 404
    assert client.get(day_url("planning-day-print", unit=unit)).status_code == 404


def test_day_planning_query_count_is_constant(
    client, essms, secretary, unit, glycine_day, django_assert_max_num_queries
):
    client.force_login(secretary)
    with django_assert_max_num_queries(20) as few:
        client.get(day_url(unit=unit))
    baseline = len(few.captured_queries)
    for number in range(15):
        person = UsagerFactory(essms=essms)
        admit(person, unit, by=secretary, room=str(300 + number))
        appointment(person, by=secretary, starts_at=at(TODAY, 8 + number % 10))
    with django_assert_max_num_queries(baseline) as many:
        response = client.get(day_url(unit=unit))
    assert len(response.context["rows"]) == 17
    assert len(many.captured_queries) == baseline


def test_day_sheet_is_a_clean_print_page(client, essms, secretary, unit, glycine_day):
    client.force_login(secretary)
    response = client.get(day_url("planning-day-print", unit=unit))
    assert response.status_code == 200
    body = response.content.decode()
    # Header: ESSMS, unit, date, printed-at time.
    assert essms.name in body
    assert unit.name in body
    assert "lundi 16 mars 2026" in body
    assert "Imprimée le 16/03/2026 à 08:00" in body
    # Table: time, person, room, object, place, transport (booked or not), accompaniment, notes.
    for text in ("09:30", "AUBERT Louise", "104", "Consultation de cardiologie", "CH Lyon Sud", "Ambulance"):
        assert text in body
    assert "NON réservé" in body
    assert "Aide-soignante de l&#x27;unité" in body
    assert "À jeun depuis minuit" in body
    # Cancelled appointments and the other units are not printed; no site navigation.
    assert "Annulé exprès" not in body
    assert "Autre unité" not in body
    assert 'class="main-nav"' not in body
    assert "print-sheet.css" in body
    assert len(logged_events(action="read", detail__startswith="feuille du jour imprimée")) == 1


def test_day_sheet_print_css_is_a4_without_navigation(client):
    from django.contrib.staticfiles import finders

    css = open(finders.find("css/print-sheet.css"), encoding="utf-8").read()
    assert "@media print" in css
    assert "size: A4" in css


# ---------- Recent documents (home section) ----------


def make_document(usager, code, title, by):
    return Document.objects.create(
        essms=usager.essms,
        usager=usager,
        document_class=DocumentClass.objects.get(code=code),
        title=title,
        document_date=TODAY,
        created_by=by,
    )


def test_recent_documents_follow_the_matrix_and_are_audited(client, essms, foreign_essms, secretary, usager):
    make_document(usager, "cr_hospitalisation", "CR hospitalisation CHU", secretary)
    make_document(usager, "habitudes_vie", "Habitudes de vie", secretary)
    make_document(UsagerFactory(essms=foreign_essms), "habitudes_vie", "Ailleurs", secretary)
    client.force_login(professional(essms, Metier.AIDE_SOIGNANT))
    response = client.get(reverse("documents-recent"))
    assert response.status_code == 200
    assert [document.title for document in response.context["documents"]] == ["Habitudes de vie"]
    assert len(logged_events(action="read", object_type="dui.document")) == 1
    client.force_login(professional(essms, Metier.MEDECIN))
    titles = {document.title for document in client.get(reverse("documents-recent")).context["documents"]}
    assert titles == {"CR hospitalisation CHU", "Habitudes de vie"}


def test_recent_documents_refused_by_the_matrix_is_404(client, essms):
    client.force_login(professional(essms, Metier.TECHNIQUE))
    assert client.get(reverse("documents-recent")).status_code == 404


def test_recent_documents_query_count_is_constant(client, secretary, usager, django_assert_max_num_queries):
    client.force_login(secretary)
    make_document(usager, "cr_consultation", "CR 0", secretary)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("documents-recent"))
    for number in range(1, 12):
        make_document(UsagerFactory(essms=usager.essms), "cr_consultation", f"CR {number}", secretary)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(reverse("documents-recent")).context["documents"]) == 12
