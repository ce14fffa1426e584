"""Scale data: an organisation at the size of a real one, reproducible, written with bulk inserts.

`generate()` builds organismes gestionnaires, ESSMS, units, professionals and, per ESSMS, the
people accompanied now and those who left over the years, with their séjours (pré-admission,
admission, dated placements, absences, sortie, re-admissions), entourage, medical basics,
appointments and documents. Every random choice comes from one `random.Random(seed)`: the same
seed gives the same organisation. Rows are built in memory one ESSMS at a time and written with
`bulk_create`, table by table; the access log is left empty (reads are logged by the screens).

Used by the `generate_scale_data` command and by the benchmarks (bench/).
"""

import datetime
import random
import time
from collections import defaultdict
from collections.abc import Callable

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from demo.scale.activities import generate_activities
from demo.scale.base import (
    DEFAULT_BATCH_SIZE,
    FINESS_DEPARTMENTS,
    FIRST_NAMES,
    SCALE_PASSWORD,
    SURNAMES,
    Report,
    ScaleDataRefusedError,
    TableStat,
    _batch_size,
    ascii_slug,
    luhn_digit,
)
from demo.scale.care import generate_care
from demo.scale.dossiers import DossiersMixin
from demo.scale.entourage import EntourageMixin
from demo.scale.planning import PlanningMixin
from demo.scale.tenancy import TenancyMixin
from demo.scale.transmissions import DEFAULT_TRANSMISSIONS_PER_PERSON_YEAR, TransmissionGenerator
from dui.ins import matricule_key
from dui.models import (
    Absence,
    AggirEvaluation,
    Allergy,
    Antecedent,
    Appointment,
    Contact,
    CretonDecision,
    Document,
    DocumentClass,
    DocumentVersion,
    Essms,
    LifeNote,
    Membership,
    OrganismeGestionnaire,
    Placement,
    Referent,
    Sejour,
    Treatment,
    Unit,
    Usager,
    User,
)
from dui.services import document_classes_sync
from transmissions.models import Cible, Event, ReadReceipt, Transmission


class Generator(TenancyMixin, DossiersMixin, EntourageMixin, PlanningMixin):
    """The whole data set, one ESSMS at a time; the parts live in the mixins (tenancy, dossiers,
    entourage, planning) and the transmissions in TransmissionGenerator."""

    def __init__(
        self,
        *,
        essms_count: int,
        persons: int,
        years: int,
        seed: int,
        batch_size: int = DEFAULT_BATCH_SIZE,
        today: datetime.date | None = None,
        progress: Callable[[str], None] | None = None,
        transmissions_per_person_year: float = 0,
    ):
        self.rng = random.Random(seed)  # noqa: S311 (reproducible data, not secrets)
        # A stream of its own: the dossiers stay the same with or without transmissions.
        self.transmissions = (
            TransmissionGenerator(
                self,
                rng=random.Random(f"transmissions-{seed}"),  # noqa: S311
                per_person_year=transmissions_per_person_year,
            )
            if transmissions_per_person_year > 0
            else None
        )
        self.essms_count = essms_count
        self.persons = persons
        self.years = years
        self.batch_size = batch_size
        self.today = today or timezone.localdate()
        self.window_start = self.today - datetime.timedelta(days=round(365.25 * years))
        self.tz = timezone.get_current_timezone()
        self.progress = progress or (lambda message: None)
        self.report = Report()
        self.finess_taken = set(OrganismeGestionnaire.objects.values_list("finess_juridique", flat=True))
        self.finess_taken |= set(Essms.objects.values_list("finess", flat=True))
        self.usernames_taken = {name.lower() for name in User.objects.values_list("username", flat=True)}
        self.matricules_taken = set(Usager.objects.exclude(ins_matricule="").values_list("ins_matricule", flat=True))
        self.password_hash = make_password(SCALE_PASSWORD)
        self.classes: dict[str, DocumentClass] = {}
        self.pdf: dict[str, object] = {}
        # Rows waiting for the next flush, per model, in dependency order.
        self.pending: dict[type, list] = defaultdict(list)

    # -- writing --

    def insert(self, model, rows: list) -> None:
        if not rows:
            return
        started = time.perf_counter()
        model.objects.bulk_create(rows, batch_size=_batch_size(model, self.batch_size))
        stat = self.report.tables.setdefault(model.__name__, TableStat())
        stat.rows += len(rows)
        stat.seconds += time.perf_counter() - started

    def queue(self, row) -> None:
        self.pending[type(row)].append(row)

    FLUSH_ORDER = (
        Usager, Sejour, Placement, Absence, CretonDecision, Contact, Referent, Antecedent, Allergy, Treatment,
        AggirEvaluation, LifeNote, Appointment, Document, DocumentVersion,
    )  # fmt: skip

    def flush(self) -> None:
        unknown = set(self.pending) - set(self.FLUSH_ORDER)
        if unknown:
            raise AssertionError(f"Modèles sans ordre d'écriture : {unknown}")
        for model in self.FLUSH_ORDER:
            self.insert(model, self.pending.pop(model, []))

    # -- dates --

    def at(self, day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
        return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=self.tz)

    def day_between(self, start: datetime.date, end: datetime.date) -> datetime.date:
        if end <= start:
            return start
        return start + datetime.timedelta(days=self.rng.randint(0, (end - start).days))

    # -- identifiers --

    def new_finess(self) -> str:
        while True:
            # Département (2), category digit, serial (5), then the Luhn check digit: 9 characters.
            body = self.rng.choice(FINESS_DEPARTMENTS) + self.rng.choice("0678") + f"{self.rng.randrange(100_000):05d}"
            number = body + luhn_digit(body)
            if number not in self.finess_taken:
                self.finess_taken.add(number)
                return number

    def new_username(self, first_name: str, last_name: str) -> str:
        base = f"{ascii_slug(first_name)}.{ascii_slug(last_name)}"
        candidate, n = base, 1
        while candidate in self.usernames_taken:
            n += 1
            candidate = f"{base}{n}"
        self.usernames_taken.add(candidate)
        return candidate

    def new_matricule(self, *, sex: str, birth_date: datetime.date, birth_place: str) -> str:
        nia = self.rng.random() < 0.02
        sex_digit = {"F": "8", "M": "7"}[sex] if nia else {"F": "2", "M": "1"}[sex]
        while True:
            first13 = f"{sex_digit}{birth_date.year % 100:02d}{birth_date.month:02d}{birth_place}"
            first13 += f"{self.rng.randint(1, 999):03d}"
            matricule = f"{first13}{matricule_key(first13):02d}"
            if matricule not in self.matricules_taken:
                self.matricules_taken.add(matricule)
                return matricule

    def rpps(self) -> str:
        """A fresh RPPS: unique among users (constraint user_rpps_unique_when_set)."""
        taken = getattr(self, "rpps_taken", None)
        if taken is None:
            taken = self.rpps_taken = set(User.objects.exclude(rpps="").values_list("rpps", flat=True))
        while True:
            body = "10" + f"{self.rng.randrange(10**8):08d}"
            number = body + luhn_digit(body)
            if number not in taken:
                taken.add(number)
                return number

    # -- names --

    def first_name(self, generation: str, sex: str) -> str:
        return self.rng.choice(FIRST_NAMES[(generation, sex)])

    def surname(self) -> str:
        return self.rng.choice(SURNAMES)

    # -- the run --

    def run(self) -> Report:
        started = time.perf_counter()
        document_classes_sync()
        self.classes = {dc.code: dc for dc in DocumentClass.objects.all()}
        self.write_pdf()
        establishments = self.organisation()
        for number, establishment in enumerate(establishments, start=1):
            self.people(establishment)
            placements = list(self.pending.get(Placement, []))
            self.flush()
            if self.transmissions is not None:
                self.transmissions.run(establishment, placements)
            self.progress(
                f"ESSMS {number}/{len(establishments)} : {establishment.essms.name} "
                f"({self.report.rows} lignes, {time.perf_counter() - started:.0f} s)"
            )
        self.report.seconds = time.perf_counter() - started
        return self.report


def database_is_empty() -> tuple[bool, str]:
    essms, usagers = Essms.objects.count(), Usager.objects.count()
    if essms or usagers:
        return False, f"{essms} ESSMS et {usagers} usagers"
    return True, ""


def generate(
    *,
    essms: int,
    persons: int,
    years: int,
    seed: int,
    append: bool = False,
    batch_size: int = DEFAULT_BATCH_SIZE,
    today: datetime.date | None = None,
    progress: Callable[[str], None] | None = None,
    transmissions_per_person_year: float = DEFAULT_TRANSMISSIONS_PER_PERSON_YEAR,
) -> Report:
    """Write the whole data set in one transaction; refuse a non-empty database unless `append`."""
    started = time.perf_counter()
    with transaction.atomic():
        empty, content = database_is_empty()
        if not empty and not append:
            raise ScaleDataRefusedError(content)
        generator = Generator(
            essms_count=essms,
            persons=persons,
            years=years,
            seed=seed,
            batch_size=batch_size,
            today=today,
            progress=progress,
            transmissions_per_person_year=transmissions_per_person_year,
        )
        report = generator.run()
        _generate_care(report, seed=seed, today=generator.today, progress=progress)
        _generate_activities(report, seed=seed, years=years, today=generator.today, progress=progress)
    # Including the commit, where PostgreSQL checks the deferred foreign keys of every row.
    report.seconds = time.perf_counter() - started
    analyse_tables(report)
    return report


def _generate_care(report: Report, *, seed: int, today: datetime.date, progress) -> None:
    """The plan de soins of everyone present, and the worklist rows of the days around today."""
    started = time.perf_counter()
    care = generate_care(seed=seed, today=today, progress=progress)
    elapsed = time.perf_counter() - started
    report.tables["CarePlanItem"] = TableStat(rows=care.plan_items, seconds=elapsed / 2)
    report.tables["CareOccurrence"] = TableStat(rows=care.occurrences, seconds=elapsed / 2)


def _generate_activities(report: Report, *, seed: int, years: int, today: datetime.date, progress) -> None:
    """The activities: two sessions a day per ESSMS over the window, about ten persons registered each."""
    started = time.perf_counter()
    activities = generate_activities(seed=seed, years=years, today=today, progress=progress)
    elapsed = time.perf_counter() - started
    report.tables["ActivitySession"] = TableStat(rows=activities.sessions, seconds=elapsed / 2)
    report.tables["Registration"] = TableStat(rows=activities.registrations, seconds=elapsed / 2)


ANALYSED_MODELS = (
    OrganismeGestionnaire, Essms, Unit, User, Membership, Usager, *Generator.FLUSH_ORDER[1:],
)  # fmt: skip


def analyse_tables(report: Report) -> None:
    """Refresh the planner statistics of the tables written (PostgreSQL): right after a bulk load
    they still describe empty tables, and every plan would be chosen as if they were."""
    if connection.vendor != "postgresql":
        return
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for model in (*ANALYSED_MODELS, Cible, Transmission, Event, ReadReceipt):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    report.analyse_seconds = time.perf_counter() - started
