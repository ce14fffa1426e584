"""The compact access log: list reads as one row, the journal and its CSV across months, the person
filter inside list reads, and (PostgreSQL) the monthly partitions, their trigger and their archive."""

import csv
import datetime
import gzip
import hashlib
import io

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from dui import access_events
from dui.audit import log_access, log_reads
from dui.models import AccessAction, AccessLog, Metier
from dui.services import access_log
from tests.factories import EssmsFactory, UsagerFactory, professional
from tests.logged import logged_events

UTC = datetime.UTC
FEBRUARY = datetime.datetime(2025, 2, 10, 9, 0, tzinfo=UTC)
MARCH = datetime.datetime(2025, 3, 12, 15, 0, tzinfo=UTC)
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="monthly partitions exist on PostgreSQL only (SQLite: plain table)"
)


@pytest.fixture
def nurse(essms):
    return professional(essms, Metier.IDE, username="ide.journal")


@pytest.fixture
def director_client(client, essms):
    client.force_login(professional(essms, Metier.DIRECTION))
    return client


@pytest.fixture
def other_essms_director(db):
    return professional(EssmsFactory(), Metier.DIRECTION, username="direction.ailleurs")


@pytest.fixture
def people(essms):
    return [UsagerFactory(essms=essms, birth_name=name, first_names="Anne") for name in ("AUBERT", "BRUN", "COLIN")]


def read_csv(response) -> list[list[str]]:
    content = b"".join(response.streaming_content).decode("utf-8").removeprefix("\ufeff")
    return list(csv.reader(io.StringIO(content), delimiter=";"))


def two_months_of_reads(nurse, people):
    """February: a list read of the three persons; March: a read of one dossier."""
    with time_machine.travel(FEBRUARY, tick=False):
        log_reads(nurse, people, detail="file active")
    with time_machine.travel(MARCH, tick=False):
        log_access(nurse, AccessAction.READ, people[1], detail="dossier")


# --- Storage ------------------------------------------------------------------------------------


def test_a_list_read_is_one_row_holding_its_objects_in_order(nurse, people):
    log_reads(nurse, people, detail="file active")
    row = AccessLog.objects.get()
    assert row.object_ids == [person.pk for person in people]
    assert row.usager_ids == [person.pk for person in people]
    assert (row.object_id, row.usager_id) == ("", None)
    assert [event.object_id for event in access_events.logical_events(AccessLog.objects.all())] == [
        str(person.pk) for person in people
    ]


def test_a_list_about_one_person_keeps_the_indexed_usager_id(nurse, people):
    log_reads(nurse, [people[0], people[0]], detail="bandeau")
    row = AccessLog.objects.get()
    assert (row.usager_id, row.usager_ids) == (people[0].pk, [])
    assert {event.usager_id for event in logged_events()} == {people[0].pk}


def test_a_single_object_read_keeps_the_per_object_shape(nurse, people):
    log_reads(nurse, [people[0]])
    row = AccessLog.objects.get()
    assert (row.object_id, row.usager_id, row.object_ids) == (str(people[0].pk), people[0].pk, [])


def test_mixed_classes_are_one_row_per_class_in_one_insert(nurse, people, django_assert_num_queries):
    people[0].document_class_code = "identite"
    people[1].document_class_code = "allergies"
    with django_assert_num_queries(1):
        log_reads(nurse, people[:2])
    assert sorted(AccessLog.objects.values_list("document_class", flat=True)) == ["allergies", "identite"]


def test_an_empty_list_writes_nothing(nurse):
    log_reads(nurse, [])
    assert not AccessLog.objects.exists()


# --- Journal screen and CSV across two months -------------------------------------------------


def test_journal_shows_both_months_and_a_list_read_as_one_line(director_client, nurse, people):
    two_months_of_reads(nurse, people)
    body = director_client.get(reverse("audit-log")).content.decode()
    rows = director_client.get(reverse("audit-log")).context["rows"]
    assert [row["entry"].detail for row in rows] == ["dossier", "file active"]
    assert rows[1]["is_list"] and rows[1]["count"] == 3
    assert "Lecture de 3 éléments" in body
    assert "AUBERT" in rows[1]["persons"] and "COLIN" in rows[1]["persons"]
    items_url = reverse("audit-log-items", args=[rows[1]["entry"].pk])
    items = director_client.get(items_url, headers={"HX-Request": "true"})
    assert items.context["items"] == [f"Dossier usager — {person}" for person in people]
    assert "<h1>" not in items.text  # the fragment opened in the line
    assert "Retour au journal" in director_client.get(items_url).text  # without JavaScript: a page


def test_a_list_read_of_another_essms_is_not_found(client, nurse, people, other_essms_director):
    two_months_of_reads(nurse, people)
    listed = AccessLog.objects.exclude(object_ids=[]).get()
    client.force_login(other_essms_director)
    assert client.get(reverse("audit-log-items", args=[listed.pk])).status_code == 404


def test_csv_writes_one_line_per_logical_event_across_months(director_client, nurse, people):
    two_months_of_reads(nurse, people)
    lines = read_csv(director_client.get(reverse("audit-log-csv")))
    assert len(lines) == 1 + 4
    assert [line[-1] for line in lines[1:]] == [str(people[1].pk)] + [str(person.pk) for person in people]
    assert {line[7] for line in lines[2:]} == {str(person.pk) for person in people}
    assert lines[1][0].startswith("12/03/2025") and lines[2][0].startswith("10/02/2025")


def test_person_filter_finds_the_list_reads_that_include_the_person(director_client, nurse, people):
    two_months_of_reads(nurse, people)
    response = director_client.get(reverse("audit-log"), {"personne": "colin"})
    rows = response.context["rows"]
    assert [row["entry"].detail for row in rows] == ["file active"]
    assert rows[0]["count"] == 1  # only COLIN's event of the list
    items_url = reverse("audit-log-items", args=[rows[0]["entry"].pk])
    assert response.context["persons_filter"] == str(people[2].pk)
    assert f"usagers={people[2].pk}" in response.text
    only_colin = director_client.get(items_url, {"usagers": str(people[2].pk)}).context["items"]
    assert only_colin == [f"Dossier usager — {people[2]}"]
    by_id = read_csv(director_client.get(reverse("audit-log-csv"), {"usager": people[1].pk}))
    assert [line[-1] for line in by_id[1:]] == [str(people[1].pk), str(people[1].pk)]


# --- PostgreSQL partitions ----------------------------------------------------------------------


def partition_of(row_id: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableoid::regclass::text FROM dui_accesslog WHERE id = %s", [row_id])
        return cursor.fetchone()[0]


@postgresql_only
def test_partitions_exist_for_the_coming_months_and_creation_is_idempotent(db):
    names = dict(access_log.monthly_partitions())
    current = access_log.month_start(datetime.datetime.now(UTC).date())
    for ahead in range(4):
        assert access_log.partition_name(access_log.add_months(current, ahead)) in names
    assert access_log.partitions_ensure(3) == []


@postgresql_only
def test_a_row_lands_in_its_month_and_an_unprepared_month_in_the_default(nurse, people):
    access_log.partitions_ensure(0, since=FEBRUARY.date())
    two_months_of_reads(nurse, people)
    february, march = AccessLog.objects.order_by("at")
    assert partition_of(february.pk) == "dui_accesslog_y2025m02"
    assert partition_of(march.pk) == "dui_accesslog_y2025m03"
    with time_machine.travel(datetime.datetime(2099, 1, 5, tzinfo=UTC), tick=False):
        far = AccessLog.objects.create(username="x", action="read", channel="web", object_type="dui.usager")
    assert partition_of(far.pk) == "dui_accesslog_default"


@postgresql_only
@pytest.mark.parametrize("sql", ["UPDATE {} SET detail = 'falsifié'", "DELETE FROM {}"], ids=["update", "delete"])
def test_the_trigger_refuses_update_and_delete_on_a_partition(nurse, people, sql):
    access_log.partitions_ensure(0, since=FEBRUARY.date())
    two_months_of_reads(nurse, people)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql.format("dui_accesslog_y2025m02"))
    assert AccessLog.objects.count() == 2


@postgresql_only
def test_archive_exports_the_logical_events_then_drops_the_month(nurse, people, tmp_path):
    access_log.partitions_ensure(0, since=FEBRUARY.date())
    two_months_of_reads(nurse, people)
    expected = [
        (event.at.isoformat(), event.object_id, str(event.usager_id))
        for event in access_events.logical_events(AccessLog.objects.filter(at__lt=MARCH).order_by("at", "id"))
    ]
    call_command("archive_access_log", "--before", "2025-03", "--to", str(tmp_path), stdout=io.StringIO())
    archive = tmp_path / "dui_accesslog_y2025m02.csv.gz"
    with gzip.open(archive, "rt", encoding="utf-8") as handle:
        lines = list(csv.DictReader(handle, delimiter=";"))
    assert [(line["at"], line["object_id"], line["usager_id"]) for line in lines] == expected
    assert {line["username"] for line in lines} == {"ide.journal"}
    digest = (tmp_path / "dui_accesslog_y2025m02.csv.gz.sha256").read_text().split()[0]
    assert digest == hashlib.sha256(archive.read_bytes()).hexdigest()
    assert "dui_accesslog_y2025m02" not in dict(access_log.monthly_partitions())
    assert list(AccessLog.objects.values_list("detail", flat=True)) == ["dossier"]


@postgresql_only
def test_archive_can_keep_the_partition_detached(nurse, people, tmp_path):
    access_log.partitions_ensure(0, since=FEBRUARY.date())
    two_months_of_reads(nurse, people)
    call_command(
        "archive_access_log", "--before", "2025-03", "--to", str(tmp_path), "--keep-detached", stdout=io.StringIO()
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM dui_accesslog_y2025m02")
        assert cursor.fetchone()[0] == 1
    assert AccessLog.objects.count() == 1


@postgresql_only
def test_archive_refuses_the_current_month(db, tmp_path):
    nxt = access_log.add_months(access_log.month_start(datetime.datetime.now(UTC).date()), 1)
    with pytest.raises(CommandError, match="mois en cours"):
        call_command("archive_access_log", "--before", f"{nxt:%Y-%m}", "--to", str(tmp_path))
    with pytest.raises(access_log.ArchiveError, match="en cours"):
        access_log.month_archive(datetime.datetime.now(UTC).date(), tmp_path)
    assert not list(tmp_path.iterdir())


def test_archive_rejects_a_malformed_month(tmp_path):
    with pytest.raises(CommandError, match="Mois invalide"):
        call_command("archive_access_log", "--before", "2025-13", "--to", str(tmp_path))


def test_partitions_command_runs_on_any_database(db):
    out = io.StringIO()
    call_command("access_log_partitions", "--months", "2", stdout=out)
    assert "partition" in out.getvalue() or "SQLite" in out.getvalue()
