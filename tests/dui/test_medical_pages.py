"""Medical and life pages: the matrix decides which sections exist on the page, reads audited, constant queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dui.models import AccessLog, AggirEvaluation, Allergy, Antecedent, LifeNote, Metier, Treatment, Usager
from dui.services import habilitation_set, medical
from dui.services import usager_grant_create as grant_create
from tests.factories import UsagerFactory, coded_allergy, professional
from tests.logged import logged_events

TODAY = timezone.localdate


@pytest.fixture
def medecin(essms):
    return professional(essms, Metier.MEDECIN)


@pytest.fixture
def filled(medecin, usager):
    """One row in each section, with markers, and both flags set."""
    medical.antecedent_add(medecin, usager=usager, label="ANTECEDENT-MARQUE")
    medical.allergy_add(medecin, usager=usager, substance="ALLERGIE-MARQUE", **coded_allergy(severity="severe"))
    medical.treatment_add(medecin, usager=usager, line="TRAITEMENT-MARQUE")
    medical.aggir_record(
        medecin, usager=usager, gir=5, evaluated_on=TODAY() - datetime.timedelta(days=400), evaluator="A"
    )
    medical.aggir_record(medecin, usager=usager, gir=2, evaluated_on=TODAY(), evaluator="EVAL-MARQUE")
    medical.usager_set_flags(medecin, usager=usager, palliative_care=True, has_advance_directives=True)
    return usager


MARKERS = {
    "antecedents": "ANTECEDENT-MARQUE",
    "allergies": "ALLERGIE-MARQUE",
    "traitements": "TRAITEMENT-MARQUE",
    "aggir": "EVAL-MARQUE",
    "soins_palliatifs": "Soins palliatifs</span>",
    "directives": "Directives anticipées rédigées</span>",
}

# What each métier finds on the medical page (default matrix), and whether it may add to it.
VISIBILITY = {
    Metier.ANIMATEUR: ({"allergies"}, set()),
    Metier.ASH: ({"allergies", "aggir"}, set()),
    Metier.AIDE_SOIGNANT: ({"allergies", "aggir", "soins_palliatifs"}, {"allergies", "aggir"}),
    Metier.IDE: (set(MARKERS), {"antecedents", "allergies", "traitements", "aggir"}),
    Metier.MEDECIN: (set(MARKERS), {"antecedents", "allergies", "traitements", "aggir"}),
}


@pytest.mark.parametrize("metier", list(VISIBILITY))
def test_medical_page_shows_only_what_the_metier_may_read(client, essms, filled, metier):
    visible, writable = VISIBILITY[metier]
    client.force_login(professional(essms, metier))
    response = client.get(reverse("usager-medical", args=[filled.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for section, marker in MARKERS.items():
        assert (marker in html) == (section in visible), f"{metier}: {section}"
    for section in ("antecedents", "allergies", "traitements", "aggir"):
        assert (f'id="titre-{section}"' in html) == (section in visible), f"{metier}: section {section}"
        add_url = reverse("medical-add", args=[filled.pk, section])
        assert (add_url in html) == (section in writable), f"{metier}: form {section}"


def test_animateur_sees_no_trace_of_antecedents(client, essms, filled):
    client.force_login(professional(essms, Metier.ANIMATEUR))
    html = client.get(reverse("usager-medical", args=[filled.pk])).content.decode()
    assert "Antécédents" not in html
    assert "Traitements" not in html
    logged = set(
        AccessLog.objects.filter(action="read")
        .exclude(detail="bandeau patient")
        .values_list("document_class", flat=True)
    )
    # regime_alimentaire: the fausse route flag, which an animateur serving a snack must know
    assert logged == {"identite", "allergies", "regime_alimentaire"}


def test_latest_gir_is_prominent(client, essms, filled):
    client.force_login(professional(essms, Metier.IDE))
    html = client.get(reverse("usager-medical", args=[filled.pk])).content.decode()
    assert '<p class="gir-latest">GIR 2</p>' in html
    assert "GIR 5" in html  # history


def test_medical_reads_are_audited_in_bulk(client, essms, filled):
    last = AccessLog.objects.latest("id").pk
    client.force_login(professional(essms, Metier.IDE))
    client.get(reverse("usager-medical", args=[filled.pk]))
    reads = [
        (event.action, event.object_type, event.document_class)
        for event in logged_events(pk__gt=last)
        if event.detail != "bandeau patient"  # the banner's own reads: tests/dui/test_banner.py
    ]
    assert {r[0] for r in reads} == {"read"}
    assert sorted(r[2] for r in reads) == sorted(
        [
            "identite",
            "soins_palliatifs",
            "directives_anticipees",
            "antecedents",
            "allergies",
            "traitements",
            "aggir",
            "aggir",
            "plan_soins",  # risque de chute
            "plan_soins",  # isolement BMR
            "regime_alimentaire",  # fausse route
        ]
    )


def page_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx)


def test_medical_query_count_does_not_grow_with_rows(client, essms, medecin, filled):
    client.force_login(medecin)
    url = reverse("usager-medical", args=[filled.pk])
    few = page_queries(client, url)
    for i in range(10):
        medical.antecedent_add(medecin, usager=filled, label=f"A{i}")
        medical.allergy_add(medecin, usager=filled, substance=f"S{i}", **coded_allergy())
        medical.treatment_add(medecin, usager=filled, line=f"T{i}")
        medical.aggir_record(medecin, usager=filled, gir=3, evaluated_on=TODAY(), evaluator=f"E{i}")
    assert page_queries(client, url) == few


def test_add_through_the_page_form(client, essms, usager):
    ide = professional(essms, Metier.IDE)
    client.force_login(ide)
    url = reverse("medical-add", args=[usager.pk, "allergies"])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"allergies-substance": "Latex", "allergies-severity": "moderee", "allergies-substance_class": iode_pk()},
        follow=True,
    )
    assert "Allergie ajoutée" in response.content.decode()
    assert Allergy.objects.get().substance == "Latex"


def test_gir_7_through_the_form_is_refused(client, essms, usager):
    client.force_login(professional(essms, Metier.IDE))
    response = client.post(
        reverse("medical-add", args=[usager.pk, "aggir"]),
        {"aggir-gir": "7", "aggir-evaluated_on": TODAY().isoformat(), "aggir-evaluator": "IDEC"},
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not AggirEvaluation.objects.exists()


def test_aggir_in_the_future_through_the_form_shows_the_message(client, essms, usager):
    client.force_login(professional(essms, Metier.IDE))
    tomorrow = TODAY() + datetime.timedelta(days=1)
    response = client.post(
        reverse("medical-add", args=[usager.pk, "aggir"]),
        {"aggir-gir": "3", "aggir-evaluated_on": tomorrow.isoformat(), "aggir-evaluator": "IDEC"},
    )
    assert "ne peut pas être dans le futur" in response.content.decode()
    assert not AggirEvaluation.objects.exists()


@pytest.mark.parametrize("metier", [Metier.AIDE_SOIGNANT, Metier.ASSISTANT_SOCIAL])
def test_writing_antecedents_without_the_right_is_404(client, essms, usager, metier):
    client.force_login(professional(essms, metier))
    url = reverse("medical-add", args=[usager.pk, "antecedents"])
    assert client.get(url).status_code == 404
    assert client.post(url, {"antecedents-label": "HTA", "antecedents-kind": "medical"}).status_code == 404
    assert not Antecedent.objects.exists()


def test_unknown_section_is_404(client, essms, usager):
    client.force_login(professional(essms, Metier.IDE))
    assert client.get(reverse("medical-add", args=[usager.pk, "pathos"])).status_code == 404


def test_end_a_line(client, essms, medecin, usager):
    row = medical.treatment_add(medecin, usager=usager, line="Doliprane")
    client.force_login(medecin)
    url = reverse("medical-end", args=[usager.pk, "traitements", row.pk])
    assert client.get(url).status_code == 405
    client.post(url)
    assert Treatment.objects.get().ended_at is not None
    assert client.post(url).status_code == 404
    # A row of a section read through another section's URL is 404.
    allergy = medical.allergy_add(medecin, usager=usager, substance="Latex", **coded_allergy())
    assert client.post(reverse("medical-end", args=[usager.pk, "traitements", allergy.pk])).status_code == 404


def test_end_refused_to_a_reader(client, essms, medecin, usager):
    row = medical.allergy_add(medecin, usager=usager, substance="Latex", **coded_allergy())
    client.force_login(professional(essms, Metier.ASH))
    assert client.post(reverse("medical-end", args=[usager.pk, "allergies", row.pk])).status_code == 404
    assert Allergy.objects.get().ended_at is None


def test_end_of_another_dossier_row_is_404(client, essms, medecin, usager):
    row = medical.allergy_add(medecin, usager=UsagerFactory(essms=essms), substance="Latex", **coded_allergy())
    client.force_login(medecin)
    assert client.post(reverse("medical-end", args=[usager.pk, "allergies", row.pk])).status_code == 404
    assert Allergy.objects.get().ended_at is None


def test_flags_form_sets_only_writable_flags(client, essms, usager):
    client.force_login(professional(essms, Metier.IDE))
    client.post(reverse("medical-flags", args=[usager.pk]), {"palliative_care": "on"})
    usager.refresh_from_db()
    assert (usager.palliative_care, usager.has_advance_directives) == (True, False)
    client.force_login(professional(essms, Metier.ANIMATEUR))
    assert client.post(reverse("medical-flags", args=[usager.pk]), {}).status_code == 404
    assert Usager.objects.get(pk=usager.pk).palliative_care is True


def test_flags_shown_as_badges_with_the_documents_link_when_available(client, essms, filled):
    client.force_login(professional(essms, Metier.IDE))
    html = client.get(reverse("usager-medical", args=[filled.pk])).content.decode()
    assert 'class="badge badge-alert">Soins palliatifs' in html
    assert 'class="badge badge-alert">Directives anticipées rédigées' in html
    documents = reverse("usager-documents", args=[filled.pk])
    assert f'href="{documents}?classe=directives_anticipees"' in html


def test_archived_dossier_medical_page_is_read_only(client, essms, filled):
    Usager.objects.filter(pk=filled.pk).update(archived_at=timezone.now())
    client.force_login(professional(essms, Metier.IDE))
    html = client.get(reverse("usager-medical", args=[filled.pk])).content.decode()
    assert "ANTECEDENT-MARQUE" in html
    assert reverse("medical-add", args=[filled.pk, "antecedents"]) not in html
    assert reverse("medical-flags", args=[filled.pk]) not in html
    response = client.post(reverse("medical-add", args=[filled.pk, "antecedents"]), {"antecedents-label": "X"})
    assert response.status_code == 404
    assert Antecedent.objects.count() == 1


def test_outsider_gets_404(client, sibling_essms, filled):
    client.force_login(professional(sibling_essms, Metier.MEDECIN))
    assert client.get(reverse("usager-medical", args=[filled.pk])).status_code == 404
    assert client.get(reverse("usager-life", args=[filled.pk])).status_code == 404


# --- Vie quotidienne


@pytest.fixture
def life(essms, usager):
    educateur = professional(essms, Metier.EDUCATEUR)
    medical.lifenote_add(educateur, usager=usager, kind="habitudes_vie", topic="Réveil", text="HAB-MARQUE")
    medical.lifenote_add(educateur, usager=usager, kind="centres_interet", topic="Musique", text="INT-MARQUE")
    return usager


def test_life_page_for_an_animateur(client, essms, life):
    animateur = professional(essms, Metier.ANIMATEUR)
    client.force_login(animateur)
    html = client.get(reverse("usager-life", args=[life.pk])).content.decode()
    assert "HAB-MARQUE" in html
    assert "INT-MARQUE" in html
    assert reverse("life-add", args=[life.pk]) in html
    reads = (
        AccessLog.objects.filter(action="read", user=animateur)
        .exclude(detail="bandeau patient")  # the banner's own reads: tests/dui/test_banner.py
        .values_list("document_class", flat=True)
    )
    assert sorted(reads) == ["centres_interet", "habitudes_vie", "identite"]


def test_life_page_hides_a_class_the_matrix_closes(client, essms, life):
    admin = professional(essms, Metier.ADMINISTRATEUR)
    habilitation_set(admin, metier=Metier.ASH, document_class_code="habitudes_vie", action="read", granted=False)
    client.force_login(professional(essms, Metier.ASH))
    html = client.get(reverse("usager-life", args=[life.pk])).content.decode()
    assert "HAB-MARQUE" not in html
    assert "Habitudes de vie" not in html
    assert "INT-MARQUE" in html
    assert reverse("life-add", args=[life.pk]) not in html  # read only


def test_life_add_and_end(client, essms, usager):
    animateur = professional(essms, Metier.ANIMATEUR)
    client.force_login(animateur)
    url = reverse("life-add", args=[usager.pk])
    assert client.get(url + "?rubrique=centres_interet").status_code == 200
    response = client.post(url, {"vie-kind": "centres_interet", "vie-topic": "Jardin", "vie-text": "Tomates"})
    assert response.status_code == 302
    note = LifeNote.objects.get()
    assert client.post(url, {"vie-kind": "centres_interet", "vie-topic": "", "vie-text": ""}).status_code == 200
    assert LifeNote.objects.count() == 1
    client.post(reverse("life-end", args=[usager.pk, note.pk]))
    assert LifeNote.objects.get().ended_at is not None


def test_life_add_refused_to_a_reader(client, essms, usager):
    client.force_login(professional(essms, Metier.ASH))
    response = client.post(
        reverse("life-add", args=[usager.pk]), {"vie-kind": "habitudes_vie", "vie-topic": "x", "vie-text": "y"}
    )
    assert response.status_code == 404
    assert not LifeNote.objects.exists()


def test_life_query_count_does_not_grow(client, essms, life):
    educateur = professional(essms, Metier.EDUCATEUR)
    client.force_login(educateur)
    url = reverse("usager-life", args=[life.pk])
    few = page_queries(client, url)
    for i in range(10):
        medical.lifenote_add(educateur, usager=life, kind="habitudes_vie", topic=f"T{i}", text="x")
    assert page_queries(client, url) == few


# --- Exceptional access (grant) from another ESSMS of the OG


def grant(essms, usager, grantee, *, write):
    director = professional(essms, Metier.DIRECTION)
    return grant_create(
        director,
        usager=usager,
        grantee=grantee,
        expires_at=timezone.now() + datetime.timedelta(days=1),
        reason="Transfert",
        write=write,
    )


def test_granted_reader_sees_the_medical_page_but_cannot_write(client, essms, sibling_essms, filled):
    visitor = professional(sibling_essms, Metier.IDE)
    grant(essms, filled, visitor, write=False)
    client.force_login(visitor)
    html = client.get(reverse("usager-medical", args=[filled.pk])).content.decode()
    assert "ANTECEDENT-MARQUE" in html
    assert reverse("medical-add", args=[filled.pk, "antecedents"]) not in html
    response = client.post(
        reverse("medical-add", args=[filled.pk, "antecedents"]),
        {"antecedents-label": "X", "antecedents-kind": "medical"},
    )
    assert response.status_code == 404
    assert Antecedent.objects.count() == 1


def test_granted_writer_adds_a_row_to_the_dossier_of_its_essms(client, essms, sibling_essms, filled):
    visitor = professional(sibling_essms, Metier.IDE)
    grant(essms, filled, visitor, write=True)
    client.force_login(visitor)
    response = client.post(
        reverse("medical-add", args=[filled.pk, "allergies"]),
        {"allergies-substance": "Iode", "allergies-severity": "legere", "allergies-substance_class": iode_pk()},
    )
    assert response.status_code == 302
    row = Allergy.objects.get(substance="Iode")
    assert row.essms_id == essms.pk
    log = AccessLog.objects.get(action="create", object_type="dui.allergy", object_id=str(row.pk))
    assert (log.essms_id, log.user) == (essms.pk, visitor)


def iode_pk() -> int:
    return coded_allergy()["substance_class"].pk
