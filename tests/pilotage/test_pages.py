"""Dashboard pages, exports and annual reports."""

import csv
import html
import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from dui.models import Metier
from pilotage.models import AnnualReport, ReportStatus
from pilotage.services.reports import render_report
from tests.factories import EssmsFactory, UnitFactory, UsagerFactory, professional
from tests.logged import logged_events
from tests.pilotage.history import D, make_stay

pytestmark = pytest.mark.django_db
MARCH = {"start": "2026-03-01", "end": "2026-03-31"}


@pytest.fixture
def director(essms):
    return professional(essms, Metier.DIRECTION)


@pytest.fixture
def history(essms, director):
    essms.capacity = 2
    essms.save()
    glycine = UnitFactory(essms=essms, name="Glycine")
    make_stay(UsagerFactory(essms=essms, birth_name="MARTIN"), director, D(2025, 1, 1),
              placements=[(glycine, D(2025, 1, 1), None, "")])  # fmt: skip
    make_stay(UsagerFactory(essms=essms, birth_name="BERNARD"), director, D(2026, 3, 11),
              placements=[(glycine, D(2026, 3, 11), None, "")])  # fmt: skip
    return glycine


def test_director_dashboard_shows_figures_definitions_and_previous_period(client, director, history):
    client.force_login(director)
    response = client.get("/pilotage/", MARCH)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Journées réalisées" in html and "52" in html
    assert "période précédente du 01/02/2026 au 28/02/2026" in html
    assert "aucune absence ne couvre D" in html  # the definition comes with the figure
    assert "data:image/svg+xml;base64," in html


def test_cadre_dashboard_of_one_unit(client, essms, history):
    client.force_login(professional(essms, Metier.CADRE_SANTE))
    response = client.get("/pilotage/", {"period": "month", "anchor": "2026-03-15", "unit": history.pk})
    assert response.status_code == 200
    assert "unité Glycine" in response.content.decode()


def test_bad_period_on_the_page_is_a_french_message(client, director):
    client.force_login(director)
    response = client.get("/pilotage/", {"start": "2026-03-31", "end": "2026-03-01"})
    assert response.status_code == 400
    assert "La fin de la période précède son début." in response.content.decode()


def test_dashboard_refused_to_a_care_assistant(client, essms):
    client.force_login(professional(essms, Metier.AIDE_SOIGNANT))
    assert client.get("/pilotage/", MARCH).status_code == 403


def test_og_board_side_by_side_with_total(client, og, essms, director, history):
    other = EssmsFactory(og=og, name="EHPAD Les Saules", capacity=1)
    make_stay(UsagerFactory(essms=other), director, D(2025, 1, 1),
              placements=[(UnitFactory(essms=other), D(2025, 1, 1), None, "")])  # fmt: skip
    client.force_login(director)
    response = client.get("/pilotage/siege/", MARCH)
    assert response.status_code == 200
    page = response.content.decode()
    assert "EHPAD Les Saules" in page and essms.name in page
    assert "<strong>89,25</strong>" in page  # OG occupancy: (52 + 31) / (3 places × 31 days)


def test_og_board_refused_to_a_cadre(client, essms):
    client.force_login(professional(essms, Metier.CADRE_SANTE))
    assert client.get("/pilotage/siege/", MARCH).status_code == 403


def test_csv_export_has_figures_and_definitions(client, director, history):
    client.force_login(director)
    response = client.get("/pilotage/export.csv", MARCH)
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    days = next(r for r in rows if r and r[0] == "days_realised")
    assert days[3] == "52"
    assert "aucune absence ne couvre D" in days[-1]


def test_xlsx_export_has_a_definitions_sheet(client, director, history):
    client.force_login(director)
    response = client.get("/pilotage/export.xlsx", {**MARCH, "scope": "og"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Indicateurs", "Définitions"]
    figures = {row[0]: row for row in book["Indicateurs"].iter_rows(min_row=3, values_only=True)}
    assert figures["days_realised"][3] == 52
    assert any(row[0] == "gmp" for row in book["Définitions"].iter_rows(values_only=True))


def test_export_with_bad_period_is_a_french_400(client, director):
    client.force_login(director)
    response = client.get("/pilotage/export.csv", {"start": "2019-01-01", "end": "2026-01-01"})
    assert response.status_code == 400
    assert "5 ans" in response.content.decode()


def test_annual_report_is_frozen_and_versioned(client, director, history, django_capture_on_commit_callbacks):
    client.force_login(director)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/pilotage/rapports/demander/", {"year": "2026", "scope": "essms"})
    assert response.status_code == 302
    first = AnnualReport.objects.get()
    assert first.status == ReportStatus.READY and first.version == 1
    published = first.figures["admissions"]["value"]
    pdf = client.get(f"/pilotage/rapports/{first.pk}/pdf/")
    assert pdf.status_code == 200
    text = PdfReader(io.BytesIO(b"".join(pdf.streaming_content))).pages[0].extract_text()
    assert "Rapport d'activité 2026" in text
    # A later correction of history: the published version does not change, a new one does.
    make_stay(UsagerFactory(essms=history.essms), director, D(2026, 5, 2),
              placements=[(history, D(2026, 5, 2), None, "")])  # fmt: skip
    render_report(first.pk)
    first.refresh_from_db()
    assert first.figures["admissions"]["value"] == published
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/pilotage/rapports/demander/", {"year": "2026", "scope": "essms"})
    second = AnnualReport.objects.get(version=2)
    assert second.figures["admissions"]["value"] == published + 1
    assert first.file.name != second.file.name


def test_annual_report_year_out_of_range_is_refused(client, director):
    client.force_login(director)
    response = client.post("/pilotage/rapports/demander/", {"year": "1850"}, follow=True)
    assert "L'année doit être comprise entre 2000" in html.unescape(response.content.decode())
    assert not AnnualReport.objects.exists()


def test_og_report_of_another_og_is_not_found(client, director, foreign_essms):
    other = AnnualReport.objects.create(og=foreign_essms.og, year=2025, version=1, requested_by=director,
                                        status=ReportStatus.READY)  # fmt: skip
    client.force_login(director)
    assert client.get(f"/pilotage/rapports/{other.pk}/pdf/").status_code == 404


def test_coupe_pathos_preparation_lists_gir_antecedents_and_treatments(client, essms, history):
    from dui.models import Antecedent, Treatment
    from tests.pilotage.history import make_gir

    doctor = professional(essms, Metier.MEDECIN_COORDONNATEUR)
    martin = history.placements.get(usager__birth_name="MARTIN").usager
    make_gir(martin, doctor, 3, D(2026, 2, 1))
    Antecedent.objects.create(essms=essms, usager=martin, label="Diabète de type 2", year=2010, created_by=doctor)
    Treatment.objects.create(essms=essms, usager=martin, line="Metformine 500 mg matin et soir", created_by=doctor)
    client.force_login(doctor)
    response = client.get("/pilotage/coupe-pathos.xlsx", {"day": "2026-03-31"})
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=3, values_only=True))
    assert [r[0] for r in rows] == ["BERNARD", "MARTIN"]
    martin_row = rows[1]
    assert martin_row[3] == 3 and martin_row[5] == "Diabète de type 2 (2010)"
    assert martin_row[6] == "Metformine 500 mg matin et soir"
    assert len(logged_events(detail="préparation de la coupe PATHOS")) == 2


def test_coupe_pathos_refused_without_medical_rights(client, director):
    client.force_login(director)  # direction: no right on the medical classes
    response = client.get("/pilotage/coupe-pathos.xlsx", {"day": "2026-03-31"})
    assert response.status_code == 403


def test_coupe_pathos_with_a_bad_day_is_a_french_400(client, essms):
    client.force_login(professional(essms, Metier.MEDECIN_COORDONNATEUR))
    response = client.get("/pilotage/coupe-pathos.xlsx", {"day": "31/02/2026"})
    assert response.status_code == 400
    assert "n'est pas une date" in response.content.decode()


def test_og_annual_report_covers_every_essms_of_the_og(
    client, og, director, history, django_capture_on_commit_callbacks
):
    other = EssmsFactory(og=og, name="EHPAD Les Saules", capacity=1)
    make_stay(UsagerFactory(essms=other), director, D(2025, 1, 1),
              placements=[(UnitFactory(essms=other), D(2025, 1, 1), None, "")])  # fmt: skip
    client.force_login(director)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/pilotage/rapports/demander/", {"year": "2025", "scope": "og"})
    report = AnnualReport.objects.get()
    assert report.essms_id is None and report.status == ReportStatus.READY
    assert report.figures["days_realised"]["value"] == 365 * 2  # MARTIN and the Saules resident, all 2025
    pdf = client.get(f"/pilotage/rapports/{report.pk}/pdf/")
    text = PdfReader(io.BytesIO(b"".join(pdf.streaming_content))).pages[0].extract_text()
    assert og.name in text
