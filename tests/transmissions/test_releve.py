"""Relevé of a person's events over a period, as PDF (WeasyPrint) and CSV: content, filters,
visibility, audit, bad periods."""

import csv
import io
import shutil
import subprocess

import pytest
from django.urls import reverse

from dui.ins import IdentityStatus
from dui.models import AccessLog, Metier
from tests.factories import UsagerFactory, professional
from tests.kinds import offer_everywhere
from tests.logged import logged_events
from tests.transmissions.test_events_support import fall, incident, local, seizure
from transmissions.models import Visibility
from transmissions.services.transmissions import transmission_correct

URL = reverse("releve")


@pytest.fixture(autouse=True)
def _seizures_offered_in_the_ehpad(og):
    """These tests record seizures in the fixtures' EHPAD: its OG offers the seizure form there too
    (by default only children's and disabled adults' establishments do: tests/dui/test_essms_kinds.py)."""
    offer_everywhere(og, "event", "epilepsie")


@pytest.fixture
def nurse(essms):
    """The author of the events."""
    return professional(essms, Metier.IDE)


@pytest.fixture
def reader(essms):
    """Who prints the relevé: care team, not medical."""
    return professional(essms, Metier.AIDE_SOIGNANT, first_name="Inès", last_name="Durand")


@pytest.fixture
def web(client, reader):
    client.force_login(reader)
    return client


@pytest.fixture
def history(nurse, usager):
    """Three seizures and a fall in March 2025, one seizure in May, a medical-only incident."""
    return {
        "s1": seizure(nurse, usager, at=local(2025, 3, 2, 8, 15), seconds=60, circumstances="Au lever"),
        "s2": seizure(nurse, usager, at=local(2025, 3, 9, 21, 40), seconds=180, treatment_given="Midazolam 10 mg"),
        "s3": seizure(nurse, usager, at=local(2025, 3, 31, 23, 59), seconds=120, seizure_type="absence"),
        "fall": fall(nurse, usager, at=local(2025, 3, 15, 10, 0), place="Salle à manger", consequences="Bosse"),
        "may": seizure(nurse, usager, at=local(2025, 5, 1, 12, 0), seconds=30),
        "secret": incident(nurse, usager, at=local(2025, 3, 20, 9, 0), visibility=Visibility.MEDICAL),
    }


def get(client, usager, **params):
    return client.get(URL, {"usager": usager.pk, "du": "2025-03-01", "au": "2025-03-31", **params})


def pdf_text(content: bytes, tmp_path) -> str:
    """The PDF's text (pdftotext when installed), else its raw bytes decoded loosely."""
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        return content.decode("latin-1")
    path = tmp_path / "releve.pdf"
    path.write_bytes(content)
    result = subprocess.run(  # noqa: S603 - fixed command on a file of ours
        [pdftotext, "-layout", str(path), "-"], capture_output=True, check=True, timeout=60
    )
    return result.stdout.decode()


def csv_rows(response) -> list[list[str]]:
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def test_form_page_offers_pdf_and_csv(web, usager):
    response = web.get(URL, {"usager": usager.pk})
    body = response.content.decode()
    assert response.status_code == 200
    assert 'name="du"' in body and 'name="au"' in body and 'value="pdf"' in body and 'value="csv"' in body


def test_csv_lists_the_period_in_order_with_french_headers(web, usager, history):
    response = get(web, usager, format="csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"] and ".csv" in response["Content-Disposition"]
    rows = csv_rows(response)
    assert rows[0][:4] == ["Date", "Heure", "Type d'événement", "Durée (secondes)"]
    assert "Métier de l'auteur" in rows[0]
    body = rows[1:]
    assert [(row[0], row[1], row[2]) for row in body] == [
        ("02/03/2025", "08:15", "Crise d'épilepsie"),
        ("09/03/2025", "21:40", "Crise d'épilepsie"),
        ("15/03/2025", "10:00", "Chute"),
        ("31/03/2025", "23:59", "Crise d'épilepsie"),
    ]
    assert body[0][3:6] == ["60", "1 min", "tonico-clonique"]
    assert body[1][rows[0].index("Traitement administré")] == "Midazolam 10 mg"
    assert body[2][rows[0].index("Lieu")] == "Salle à manger"
    assert body[2][rows[0].index("Conséquences")] == "Bosse"
    assert {row[-1] for row in body} == {Metier.IDE.label}


def test_kind_filter(web, usager, history):
    rows = csv_rows(get(web, usager, format="csv", kind="chute"))
    assert [row[2] for row in rows[1:]] == ["Chute"]


def test_pdf_is_a_real_pdf_with_header_summary_and_list(web, usager, history, essms, tmp_path):
    response = get(web, usager, format="pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext absent : seul l'en-tête PDF est vérifié")
    text = pdf_text(response.content, tmp_path)
    for expected in (
        "Relevé des événements",
        essms.name,
        "LEFEBVRE Marthe",
        "12/05/1938",
        "du 01/03/2025 au 31/03/2025",
        "Inès Durand",
        "Salle à manger",
        "Midazolam 10 mg",
        "absence",
    ):
        assert expected in text, expected
    # Summary: 3 seizures, 6 min in all, 2 min on average; 1 fall.
    summary = [line.split() for line in text.splitlines() if line.strip().startswith(("Crise d'épilepsie", "Chute"))]
    assert ["Crise", "d'épilepsie", "3", "6", "min", "2", "min"] in summary
    assert ["Chute", "1", "—", "—"] in summary
    assert "matricule INS" not in text  # the identity is not qualified
    assert "Au lever" in text and "30 s" not in text  # May is outside the period
    assert text.index("08:15") < text.index("21:40") < text.index("10:00") < text.index("23:59")


def test_pdf_shows_the_ins_only_for_a_qualified_identity(web, essms, nurse, tmp_path):
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext absent")
    qualified = UsagerFactory(essms=essms, ins_matricule="238057510212345", identity_status=IdentityStatus.QUALIFIEE)
    provisional = UsagerFactory(essms=essms, ins_matricule="238057510212346")
    for person in (qualified, provisional):
        seizure(nurse, person, at=local(2025, 3, 5, 10, 0))
    assert "238057510212345" in pdf_text(get(web, qualified, format="pdf").content, tmp_path)
    assert "238057510212346" not in pdf_text(get(web, provisional, format="pdf").content, tmp_path)


def test_empty_period_still_gives_a_document(web, usager, tmp_path):
    response = web.get(URL, {"usager": usager.pk, "du": "2020-01-01", "au": "2020-01-31", "format": "pdf"})
    assert response.content.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        assert "Aucun événement" in pdf_text(response.content, tmp_path)
    assert len(csv_rows(web.get(URL, {"usager": usager.pk, "du": "2020-01-01", "au": "2020-01-31", "format": "csv"})))


def test_export_is_audited(web, usager, history, reader):
    get(web, usager, format="csv")
    export = AccessLog.objects.get(action="export")
    assert (export.object_type, export.object_id, export.user) == ("dui.usager", str(usager.pk), reader)
    assert "01/03/2025" in export.detail and "CSV" in export.detail
    reads = logged_events(action="read", object_type="transmissions.event")
    expected = {history[key].pk for key in ("s1", "s2", "s3", "fall")}
    assert {int(event.object_id) for event in reads} == expected
    assert len(reads) == 4


def test_only_readable_events(client, essms, usager, history):
    client.force_login(professional(essms, Metier.AIDE_SOIGNANT))
    kinds = [row[2] for row in csv_rows(get(client, usager, format="csv"))[1:]]
    assert "Incident" not in kinds and len(kinds) == 4
    client.force_login(professional(essms, Metier.MEDECIN))
    kinds = [row[2] for row in csv_rows(get(client, usager, format="csv"))[1:]]
    assert "Incident" in kinds and len(kinds) == 5


def test_animateur_cannot_print_a_releve(client, essms, usager, history):
    client.force_login(professional(essms, Metier.ANIMATEUR))
    assert get(client, usager, format="csv").status_code == 403
    assert not AccessLog.objects.filter(action="export").exists()


def test_person_out_of_reach_is_404(web, sibling_essms, foreign_essms):
    for other in (UsagerFactory(essms=sibling_essms), UsagerFactory(essms=foreign_essms)):
        assert get(web, other, format="pdf").status_code == 404
    assert web.get(URL, {"du": "2025-03-01", "au": "2025-03-31", "format": "csv"}).status_code == 404
    assert not AccessLog.objects.filter(action="export").exists()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"du": "2025-04-01", "au": "2025-03-01"}, "postérieure"),
        ({"du": "01/03/2025"}, "Date de début invalide"),
        ({"au": "2025-02-30"}, "Date de fin invalide"),
        ({"du": "2019-01-01", "au": "2025-01-02"}, "cinq ans"),
        ({"du": "0001-01-01"}, "hors limites"),
        ({"au": "9999-12-31"}, "hors limites"),
        ({"du": ""}, "Indiquez la date de début"),
        ({"kind": "noyade"}, "Type d&#x27;événement inconnu"),
        ({"format": "docx"}, "Format inconnu"),
    ],
)
def test_bad_period_or_format_is_a_french_400(web, usager, params, message):
    response = get(web, usager, **({"format": "pdf"} | params))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not AccessLog.objects.filter(action="export").exists()


def test_five_years_is_accepted(web, usager):
    assert get(web, usager, du="2020-01-01", au="2024-12-31", format="csv").status_code == 200


def test_releve_query_count_is_constant(web, nurse, usager, django_assert_max_num_queries):
    for day in (1, 2, 3):
        seizure(nurse, usager, at=local(2025, 3, day, 10, 0))
    with django_assert_max_num_queries(30) as few:
        get(web, usager, format="csv")
    for day in range(4, 21):
        fall(nurse, usager, at=local(2025, 3, day, 10, 0))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(csv_rows(get(web, usager, format="csv"))) == 21


def test_family_releve_keeps_only_what_the_family_may_read(web, usager, nurse):
    shared = fall(nurse, usager, at=local(2025, 3, 3, 10, 0), place="Jardin", family_visible=True)
    fall(nurse, usager, at=local(2025, 3, 4, 10, 0), place="Chambre")
    rows = csv_rows(get(web, usager, format="csv", famille="1"))
    assert [row[rows[0].index("Lieu")] for row in rows[1:]] == ["Jardin"]
    assert "pour la famille" in AccessLog.objects.get(action="export").detail
    # A correction withdrawing the flag withdraws the event from the family's relevé.
    transmission_correct(nurse, transmission=shared.transmission, family_visible=False)
    assert len(csv_rows(get(web, usager, format="csv", famille="1"))) == 1
    assert len(csv_rows(get(web, usager, format="csv"))) == 3
