"""Readable object labels of the access journal, and its searches by name."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from dui import audit_labels
from dui.models import AccessAction, AccessLog, Channel, Metier
from soins.models import Evaluation
from tests.factories import UsagerFactory, professional

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture(autouse=True)
def _plain_http(settings):
    settings.SECURE_SSL_REDIRECT = False


@pytest.fixture
def director(essms):
    return professional(essms, Metier.DIRECTION, first_name="Claire", last_name="Moreau")


@pytest.fixture
def director_client(client, director):
    client.force_login(director)
    return client


def log_row(essms, obj, *, username="alice", detail="", user=None, document_class="") -> AccessLog:
    usager_id = obj.pk if obj._meta.model_name == "usager" else obj.usager_id
    return AccessLog.objects.create(
        username=username,
        user=user,
        metier=Metier.IDE,
        essms=essms,
        action=AccessAction.READ,
        channel=Channel.WEB,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        usager_id=usager_id,
        detail=detail,
        document_class=document_class,
    )


def evaluation(essms, usager, author, *, grid="algoplus", day=3) -> Evaluation:
    return Evaluation.objects.create(
        essms=essms,
        usager=usager,
        created_by=author,
        grid=grid,
        answers={},
        evaluated_at=datetime.datetime(2026, 12, day, 10, 0, tzinfo=PARIS),
    )


def listed_details(response) -> list[str]:
    return [row["entry"].detail for row in response.context["rows"]]


# --- Labels ------------------------------------------------------------------------------------


def test_labels_name_the_object_the_person_and_the_day(essms, director):
    jeanne = UsagerFactory(essms=essms, birth_name="Dupont", first_names="Jeanne")
    entries = [log_row(essms, evaluation(essms, jeanne, director)), log_row(essms, jeanne)]
    labels = audit_labels.object_labels(entries, {jeanne.pk: str(jeanne)})
    assert labels[(entries[0].object_type, entries[0].object_id)] == "Évaluation Algoplus — DUPONT Jeanne, 03/12/2026"
    assert labels[("dui.usager", str(jeanne.pk))] == "Dossier usager — DUPONT Jeanne"


def test_labels_take_one_query_per_object_type_whatever_the_number_of_rows(essms, director, django_assert_num_queries):
    people = [UsagerFactory(essms=essms) for _ in range(4)]
    entries = [log_row(essms, evaluation(essms, person, director, day=n + 1)) for n, person in enumerate(people)]
    entries += [log_row(essms, person) for person in people]
    with django_assert_num_queries(2):
        labels = audit_labels.object_labels(entries, {})
    assert len(labels) == 8
    assert labels[(entries[1].object_type, entries[1].object_id)] == "Évaluation Algoplus — 02/12/2026"


def test_labels_never_show_a_name_the_reader_may_not_see(essms, director):
    jeanne = UsagerFactory(essms=essms, birth_name="Dupont", first_names="Jeanne")
    entry = log_row(essms, evaluation(essms, jeanne, director))
    label = audit_labels.object_labels([entry], {})[(entry.object_type, entry.object_id)]
    assert "DUPONT" not in label
    assert label == "Évaluation Algoplus — 03/12/2026"


def test_objects_of_another_essms_deleted_or_unknown_are_not_described(essms, foreign_essms, director):
    elsewhere = evaluation(foreign_essms, UsagerFactory(essms=foreign_essms, birth_name="Secret"), director)
    stray = AccessLog.objects.create(
        username="alice",
        essms=essms,
        action=AccessAction.READ,
        channel=Channel.WEB,
        object_type="soins.evaluation",
        object_id=str(elsewhere.pk),
    )
    unknown = AccessLog.objects.create(
        username="alice", essms=essms, action="read", channel="web", object_type="nowhere.thing", object_id="7"
    )
    garbage = AccessLog.objects.create(
        username="alice", essms=essms, action="read", channel="web", object_type="dui.usager", object_id="abc"
    )
    labels = audit_labels.object_labels([stray, unknown, garbage], {})
    assert labels[("soins.evaluation", str(elsewhere.pk))] == (
        f"Évaluation n° {elsewhere.pk} (supprimé ou hors établissement)"
    )
    assert ("nowhere.thing", "7") not in labels
    assert labels[("dui.usager", "abc")] == "Usager n° abc (supprimé ou hors établissement)"


def test_unregistered_models_get_their_verbose_name_only(essms, director):
    jeanne = UsagerFactory(essms=essms)
    entry = AccessLog.objects.create(
        username="alice",
        essms=essms,
        action="read",
        channel="web",
        object_type="dui.essms",
        object_id=str(essms.pk),
    )
    label = audit_labels.object_labels([entry], {jeanne.pk: "X"})[("dui.essms", str(essms.pk))]
    # The verbose name only: a model's own text may hold personal data. No person on this row.
    assert label.startswith("ESSMS")
    assert "EHPAD" not in label
    assert "X" not in label


def test_journal_page_shows_labels_with_a_constant_number_of_queries(
    director_client, essms, director, django_assert_max_num_queries
):
    jeanne = UsagerFactory(essms=essms, birth_name="Dupont", first_names="Jeanne")
    log_row(essms, evaluation(essms, jeanne, director))
    response = director_client.get(reverse("audit-log"))
    assert "Évaluation Algoplus — DUPONT Jeanne, 03/12/2026" in response.text
    assert "soins.evaluation #" not in response.text

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        director_client.get(reverse("audit-log"))
    for n in range(20):
        log_row(essms, evaluation(essms, UsagerFactory(essms=essms), director, day=1 + n % 28))
    with django_assert_max_num_queries(len(few.captured_queries)):
        director_client.get(reverse("audit-log"))


def test_objects_of_a_class_the_reader_may_not_read_are_named_by_kind_only(essms, director):
    jeanne = UsagerFactory(essms=essms, birth_name="Dupont", first_names="Jeanne")
    entry = log_row(essms, evaluation(essms, jeanne, director), document_class="evaluation_douleur")
    key = (entry.object_type, entry.object_id)
    assert audit_labels.object_labels([entry], {jeanne.pk: "DUPONT Jeanne"}, {"evaluation_douleur"})[key] == (
        "Évaluation Algoplus — DUPONT Jeanne, 03/12/2026"
    )
    assert audit_labels.object_labels([entry], {jeanne.pk: "DUPONT Jeanne"}, set())[key] == (
        "Évaluation — DUPONT Jeanne, 03/12/2026"
    )


def test_dpo_sees_the_kind_of_a_care_record_not_its_content(client, essms, director):
    jeanne = UsagerFactory(essms=essms, birth_name="Dupont", first_names="Jeanne")
    log_row(essms, evaluation(essms, jeanne, director), document_class="evaluation_douleur")
    client.force_login(professional(essms, Metier.DPO))
    text = client.get(reverse("audit-log")).text
    assert "Évaluation — DUPONT Jeanne, 03/12/2026" in text
    assert "Algoplus" not in text


# --- Search by name ------------------------------------------------------------------------------


def test_search_a_person_by_name_without_accents_or_case(director_client, essms):
    helene = UsagerFactory(essms=essms, birth_name="Lefèvre", first_names="Hélène")
    paul = UsagerFactory(essms=essms, birth_name="Martin", first_names="Paul")
    log_row(essms, helene, detail="hélène")
    log_row(essms, paul, detail="paul")
    assert listed_details(director_client.get(reverse("audit-log"), {"personne": "helene LEFEVRE"})) == ["hélène"]
    assert listed_details(director_client.get(reverse("audit-log"), {"personne": "mart"})) == ["paul"]


def test_search_by_name_never_reaches_another_essms(director_client, essms, sibling_essms):
    here = UsagerFactory(essms=essms, birth_name="Dupont")
    there = UsagerFactory(essms=sibling_essms, birth_name="Dupont")
    log_row(essms, here, detail="ici")
    # A row of this journal about a dossier the reader cannot open is not found by its name.
    AccessLog.objects.create(
        username="alice",
        essms=essms,
        action="read",
        channel="web",
        object_type="dui.usager",
        object_id=str(there.pk),
        usager_id=there.pk,
        detail="ailleurs",
    )
    assert listed_details(director_client.get(reverse("audit-log"), {"personne": "dupont"})) == ["ici"]


def test_search_by_unknown_name_lists_nothing(director_client, essms):
    log_row(essms, UsagerFactory(essms=essms, birth_name="Dupont"), detail="ici")
    response = director_client.get(reverse("audit-log"), {"personne": "Zébulon"})
    assert listed_details(response) == []
    assert "Aucun accès ne correspond" in response.text


def test_too_long_name_is_a_clear_error(director_client, essms):
    log_row(essms, UsagerFactory(essms=essms), detail="ici")
    response = director_client.get(reverse("audit-log"), {"personne": "x" * 101})
    assert listed_details(response) == []
    assert "Corrigez les filtres" in response.text
    assert director_client.get(reverse("audit-log-csv"), {"personne": "x" * 101}).status_code == 400


def test_search_a_professional_by_name(director_client, essms, director):
    nurse = professional(essms, Metier.IDE, first_name="Camille", last_name="Roux", username="c.r")
    jeanne = UsagerFactory(essms=essms)
    log_row(essms, jeanne, username="c.r", user=nurse, detail="camille")
    log_row(essms, jeanne, username="alice", detail="alice")
    assert listed_details(director_client.get(reverse("audit-log"), {"utilisateur": "roux"})) == ["camille"]
    assert listed_details(director_client.get(reverse("audit-log"), {"utilisateur": "ALI"})) == ["alice"]


def test_csv_filtered_by_person_name(director_client, essms):
    import csv
    import io

    helene = UsagerFactory(essms=essms, birth_name="Lefèvre", first_names="Hélène")
    log_row(essms, helene, detail="hélène")
    log_row(essms, UsagerFactory(essms=essms, birth_name="Martin"), detail="autre")
    response = director_client.get(reverse("audit-log-csv"), {"personne": "lefevre"})
    content = b"".join(response.streaming_content).decode().removeprefix("\ufeff")
    rows = list(csv.reader(io.StringIO(content), delimiter=";"))
    assert [row[9] for row in rows[1:]] == ["hélène"]
    assert rows[1][5] == "Dossier usager — LEFÈVRE Hélène"


def test_transmissions_describe_their_target_in_the_journal(essms, og, django_assert_num_queries):
    from transmissions.models import Cible, Theme
    from transmissions.services.transmissions import transmission_create

    aide = professional(essms, Metier.AIDE_SOIGNANT)
    jeanne = UsagerFactory(essms=essms, birth_name="Dupont", first_names="Jeanne")
    cible = Cible.objects.create(og=og, label="Douleur", theme=Theme.DOULEUR)
    observed = datetime.datetime(2026, 12, 3, 9, 0, tzinfo=PARIS)
    written = [
        transmission_create(aide, usager=jeanne, cible=cible, donnees="Grimace", observed_at=observed),
        transmission_create(aide, usager=jeanne, free_cible="Appétit", narrative="Peu", observed_at=observed),
    ]
    entries = list(AccessLog.objects.filter(object_type="transmissions.transmission", action="create"))
    with django_assert_num_queries(1):
        labels = audit_labels.object_labels(entries, {jeanne.pk: str(jeanne)})
    assert labels[("transmissions.transmission", str(written[0].pk))] == (
        "Transmission « Douleur » — DUPONT Jeanne, 03/12/2026"
    )
    assert labels[("transmissions.transmission", str(written[1].pk))] == (
        "Transmission « Appétit » — DUPONT Jeanne, 03/12/2026"
    )


def test_rows_logged_before_the_care_plan_left_ppa_are_still_described(essms, director):
    """The journal is append-only: a row written as "ppa.evaluation" names today's soins.Evaluation."""
    jeanne = UsagerFactory(essms=essms)
    entry = log_row(essms, evaluation(essms, jeanne, director))
    entry.object_type = "ppa.evaluation"
    labels = audit_labels.object_labels([entry], {})
    assert labels[("ppa.evaluation", entry.object_id)] == "Évaluation Algoplus — 03/12/2026"
