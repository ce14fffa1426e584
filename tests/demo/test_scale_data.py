"""Scale data: a tiny run is consistent and reproducible; the benchmark machinery runs.

No duration is asserted here: the benchmarks themselves live in bench/ and run on PostgreSQL.
"""

import hashlib
import io
import json
from collections import defaultdict
from itertools import pairwise

import pytest
from django.contrib.auth.hashers import check_password
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.utils import timezone

from demo.scale import SCALE_PASSWORD
from dui.catalogue import DOCUMENT_CLASSES
from dui.finess import finess_is_valid
from dui.ins import IdentityStatus, check_matricule_traits, matricule_oid, search_key, validate_matricule
from dui.models import (
    Absence,
    AccessLog,
    Contact,
    ContactRole,
    Document,
    DocumentVersion,
    Essms,
    Habilitation,
    Membership,
    Metier,
    OrganismeGestionnaire,
    Placement,
    Sejour,
    SejourStatus,
    Usager,
    User,
)
from dui.selectors.identity import search_usagers, usager_search_text

TINY = ["--essms", "2", "--persons", "5", "--years", "2", "--seed", "1"]
OPEN = (SejourStatus.ACTIVE, SejourStatus.PRE_ADMISSION)


def generate(*args: str) -> str:
    out = io.StringIO()
    call_command("generate_scale_data", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def tiny(db):
    return generate(*TINY)


def names_of_a_run(*args: str) -> list[tuple[str, str, str]]:
    """Generate inside a savepoint rolled back afterwards; return the people's names in order."""
    with transaction.atomic():
        generate(*args)
        names = list(Usager.objects.order_by("pk").values_list("birth_name", "first_names", "used_name"))
        transaction.set_rollback(True)
    return names


def test_command_reports_its_rate_per_table(tiny):
    assert "lignes/s" in tiny
    for table in ("Usager", "Sejour", "Placement", "Document", "DocumentVersion"):
        assert table in tiny
    assert SCALE_PASSWORD in tiny


def test_every_finess_is_valid_and_unique(tiny):
    numbers = [*OrganismeGestionnaire.objects.values_list("finess_juridique", flat=True)]
    numbers += Essms.objects.values_list("finess", flat=True)
    assert len(numbers) == 3
    assert len(set(numbers)) == len(numbers)
    assert all(len(number) == 9 and finess_is_valid(number) for number in numbers)


def test_establishments_units_and_professionals(tiny):
    assert sorted(Essms.objects.values_list("kind", flat=True)) == ["ehpad", "ime"]
    for essms in Essms.objects.all():
        assert 3 <= essms.units.count() <= 6
        metiers = set(Membership.objects.active().filter(essms=essms).values_list("metier", flat=True))
        assert {Metier.DIRECTION, Metier.SECRETAIRE_MEDICALE, Metier.IDE, Metier.DPO} <= metiers


def test_one_password_hash_shared_by_every_account(tiny):
    hashes = set(User.objects.values_list("password", flat=True))
    assert len(hashes) == 1
    assert check_password(SCALE_PASSWORD, hashes.pop())


def test_default_matrix_exists_for_each_og(tiny):
    for og in OrganismeGestionnaire.objects.all():
        assert Habilitation.objects.filter(og=og).count() == len(DOCUMENT_CLASSES) * len(Metier.values)


def test_every_ins_matricule_is_valid_and_matches_the_traits(tiny):
    usagers = list(Usager.objects.all())
    with_matricule = [u for u in usagers if u.ins_matricule]
    assert with_matricule
    for usager in with_matricule:
        validate_matricule(usager.ins_matricule)
        assert check_matricule_traits(usager.ins_matricule, sex=usager.sex, birth_date=usager.birth_date) == []
        assert usager.ins_matricule[5:10] == usager.birth_place_code
        assert usager.ins_oid == matricule_oid(usager.ins_matricule)


def test_identity_statuses_follow_the_rniv_rules(tiny):
    for usager in Usager.objects.all():
        retrieved = usager.identity_status in {IdentityStatus.RECUPEREE, IdentityStatus.QUALIFIEE}
        proved = usager.identity_status in {IdentityStatus.VALIDEE, IdentityStatus.QUALIFIEE}
        assert bool(usager.ins_matricule) == retrieved
        assert (usager.insi_retrieved_at is not None) == retrieved
        assert bool(usager.identity_proof) == proved
        assert (usager.identity_validated_by_id is not None) == proved


def test_search_text_is_filled_and_search_ignores_accents(tiny):
    usagers = list(Usager.objects.all())
    assert all(u.search_text and u.search_text == usager_search_text(u) for u in usagers)
    words = [(u, word) for u in usagers for word in f"{u.birth_name} {u.first_names}".split() if not word.isascii()]
    assert words
    usager, word = words[0]
    plain = search_key(word)  # "Hélène" typed "helene"
    for typed in (word, word.lower(), plain, plain.upper()):
        assert usager in search_usagers(Usager.objects.all(), typed), typed


def test_people_now_and_people_who_left(tiny):
    for essms in Essms.objects.all():
        active = Sejour.objects.filter(essms=essms, status=SejourStatus.ACTIVE)
        assert active.count() == 5
        assert Sejour.objects.filter(essms=essms, status=SejourStatus.CLOSED).exists()
    assert Sejour.objects.filter(status=SejourStatus.PRE_ADMISSION).exists()
    assert Sejour.objects.filter(status=SejourStatus.CANCELLED).exists()


def test_exited_dossiers_are_archived_and_current_ones_are_not(tiny):
    for usager in Usager.objects.prefetch_related("sejours"):
        sejours = list(usager.sejours.all())
        assert sejours
        has_open = any(s.status in OPEN for s in sejours)
        assert (usager.archived_at is None) == has_open, usager.pk


def test_sejours_placements_and_absences_never_overlap(tiny):
    by_usager = defaultdict(list)
    for sejour in Sejour.objects.all():
        by_usager[sejour.usager_id].append(sejour)
        placements = list(Placement.objects.filter(sejour=sejour).order_by("starts_on"))
        if sejour.admitted_on is None:
            assert placements == []
            continue
        assert placements[0].starts_on == sejour.admitted_on
        for before, after in pairwise(placements):
            assert before.ends_on is not None
            assert before.ends_on < after.starts_on
            assert (before.unit_id, before.modality, before.room) != (after.unit_id, after.modality, after.room)
        assert placements[-1].ends_on == sejour.ended_on
        absences = list(Absence.objects.filter(sejour=sejour).order_by("starts_on"))
        for absence in absences:
            assert absence.starts_on >= sejour.admitted_on
            if sejour.ended_on is not None:
                assert absence.ends_on is not None and absence.ends_on <= sejour.ended_on
        for before, after in pairwise(absences):
            assert before.ends_on is not None and before.ends_on < after.starts_on
    for sejours in by_usager.values():
        admitted = sorted((s for s in sejours if s.admitted_on), key=lambda s: s.admitted_on)
        for before, after in pairwise(admitted):
            assert before.ended_on is not None and before.ended_on < after.admitted_on
        assert sum(s.status in OPEN for s in sejours) <= 1


def test_re_admissions_exist(db):
    generate("--essms", "2", "--persons", "30", "--years", "2", "--seed", "3")
    counts = defaultdict(int)
    for usager_id in Sejour.objects.exclude(admitted_on=None).values_list("usager_id", flat=True):
        counts[usager_id] += 1
    assert any(count > 1 for count in counts.values())


def test_contacts_include_a_doctor_with_a_valid_rpps(tiny):
    doctors = Contact.objects.filter(role=ContactRole.MEDECIN_TRAITANT)
    assert doctors.exists()
    assert all(len(d.rpps) == 11 and d.rpps.isdigit() for d in doctors)


def test_documents_share_one_real_pdf(tiny, settings):
    versions = DocumentVersion.objects.all()
    assert Document.objects.exists()
    assert {v.file.name for v in versions} == {versions[0].file.name}
    content = (settings.MEDIA_ROOT / versions[0].file.name).read_bytes()
    assert content.startswith(b"%PDF-")
    assert {(v.sha256, v.size) for v in versions} == {(hashlib.sha256(content).hexdigest(), len(content))}


def test_access_log_is_not_prefilled(tiny):
    assert AccessLog.objects.count() == 0


def test_same_seed_gives_the_same_names(db):
    first = names_of_a_run(*TINY)
    again = names_of_a_run(*TINY)
    other = names_of_a_run("--essms", "2", "--persons", "5", "--years", "2", "--seed", "2")
    assert first
    assert first == again
    assert first != other


def test_a_second_run_without_append_is_refused_and_changes_nothing(tiny):
    tables = (OrganismeGestionnaire, Essms, User, Usager, Sejour, Document)
    before = [model.objects.count() for model in tables]
    with pytest.raises(CommandError, match="--append"):
        generate(*TINY)
    assert [model.objects.count() for model in tables] == before


def test_append_adds_a_second_organisation(tiny):
    generate("--essms", "1", "--persons", "3", "--years", "1", "--seed", "1", "--append")
    assert Essms.objects.count() == 3
    numbers = list(Essms.objects.values_list("finess", flat=True))
    assert len(set(numbers)) == 3
    usernames = list(User.objects.values_list("username", flat=True))
    assert len(set(usernames)) == len(usernames)


def test_bad_arguments_are_refused(db):
    with pytest.raises(CommandError, match="--persons"):
        generate("--persons", "0")
    assert not Essms.objects.exists()


# --- The benchmark machinery -----------------------------------------------------------------------


def test_percentile():
    from bench.core import percentile

    assert percentile([], 95) == 0
    assert percentile([5.0], 95) == 5.0
    assert percentile(list(map(float, range(1, 101))), 50) == pytest.approx(50.5)
    assert percentile([1.0, 2.0, 3.0, 4.0], 100) == 4.0


def test_benchmark_runner_measures_every_benchmark(tiny):
    from bench.benchmarks import BENCHMARKS
    from bench.core import build_fixture, format_table, run_benchmark

    fixture = build_fixture()
    assert fixture.essms.kind == "ehpad"
    results = [run_benchmark(benchmark, fixture, runs=2, warmup=1) for benchmark in BENCHMARKS]
    for benchmark, result in zip(BENCHMARKS, results, strict=True):
        assert result.status in benchmark.expected_status
        assert result.queries > 0
        assert len(result.stack.samples_ms) == 2
        assert len(result.floor.samples_ms) == 2
        # The handover and the synthèse read a recent window (12 hours, 7 days), where the
        # tiny random run may have written nothing, depending on today's date.
        windowed = result.name.startswith(("Relève", "Synthèse"))
        assert result.floor_rows >= 1 or windowed, result.name
    table = format_table(results)
    assert all(benchmark.name in table for benchmark in BENCHMARKS)
    json.dumps([result.as_dict() for result in results])
    # The benchmarks read through the screens, which log every read.
    assert AccessLog.objects.exists()


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the refusal concerns other databases")
def test_benchmark_runner_refuses_sqlite(db, capsys):
    from bench.run import main

    assert main(["--json", ""]) == 2
    assert "PostgreSQL" in capsys.readouterr().err


# --- Transmissions ----------------------------------------------------------------------------------


def test_transmissions_events_and_receipts_are_consistent(tiny):
    from transmissions.models import Cible, Event, ReadReceipt, Transmission

    assert "Transmission" in tiny and "Event" in tiny
    rows = list(Transmission.objects.select_related("cible", "author"))
    assert len(rows) > 500
    by_id = {row.pk: row for row in rows}
    placements = defaultdict(list)
    for placement in Placement.objects.all():
        placements[placement.usager_id].append(placement)
    authors = set(Membership.objects.values_list("user_id", "essms_id", "metier"))
    for row in rows:
        assert row.search_text == search_key(row.cible_label, row.donnees, row.actions, row.resultats, row.narrative)
        assert row.visibility in {"all", "care", "medical"}
        assert (row.author_id, row.essms_id, row.author_metier) in authors
        assert row.cible is None or row.cible.og_id == row.essms.og_id
        if row.usager_id is None:  # a note for the whole unit
            assert row.unit_id is not None and row.narrative
            continue
        day = timezone.localdate(row.observed_at)
        units = {p.unit_id for p in placements[row.usager_id] if p.starts_on <= day and (p.ends_on or day) >= day}
        assert row.unit_id in units, (row.pk, day)
        if row.donnees:
            assert row.actions and not row.narrative
    assert any(row.usager_id is None for row in rows)
    assert {row.visibility for row in rows} == {"all", "care", "medical"}
    # Corrections: version 2 current, pointing at a version 1 that is no longer current.
    versions = [row for row in rows if row.version == 2]
    assert versions
    for row in versions:
        original = by_id[row.original_id]
        assert row.is_current and not original.is_current and original.version == 1
        assert (original.usager_id, original.cible_id) == (row.usager_id, row.cible_id)
    assert sum(row.is_current for row in rows) == len(rows) - len(versions)
    # Events: one per transmission, of the same person, for falls and seizures.
    events = list(Event.objects.all())
    assert events
    assert len({event.transmission_id for event in events}) == len(events)
    for event in events:
        transmission = by_id[event.transmission_id]
        assert (event.usager_id, event.essms_id) == (transmission.usager_id, transmission.essms_id)
        assert transmission.cible.label in {"Chute", "Crise d'épilepsie"}
        assert event.occurred_at == transmission.observed_at
    # Read receipts of the first IDE of an ESSMS, on readable rows of that ESSMS.
    receipts = list(ReadReceipt.objects.all())
    assert receipts
    assert all(by_id[r.transmission_id].essms_id == r.essms_id for r in receipts)
    assert Cible.objects.filter(og__in=OrganismeGestionnaire.objects.all()).count() >= 20


def test_no_transmissions_when_asked(db):
    from transmissions.models import Transmission

    generate(*TINY, "--transmissions-per-person-year", "0")
    assert Usager.objects.exists()
    assert not Transmission.objects.exists()


def test_selector_benchmarks_run(tiny):
    from bench.benchmarks import SELECTOR_BENCHMARKS
    from bench.core import build_fixture
    from bench.run import run_selector_benchmark

    fixture = build_fixture()
    for benchmark in SELECTOR_BENCHMARKS:
        result = run_selector_benchmark(benchmark, fixture, runs=2, warmup=1)
        assert result.queries == 1
        assert result.floor_rows == 1
        assert len(result.stack.samples_ms) == 2


def test_portal_benchmark_runs_on_a_tiny_database(tiny):
    """The portal home of a relative (issue 17): the relative is made by the benchmark's setup."""
    from bench.core import build_fixture, run_benchmark
    from bench.portal_benchmarks import PORTAL_BENCHMARKS

    fixture = build_fixture()
    result = run_benchmark(PORTAL_BENCHMARKS[0], fixture, runs=2, warmup=1)
    assert result.status == 200 and result.queries > 0
    assert "proche" in result.acting
