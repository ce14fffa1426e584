"""Measuring machinery of the benchmarks: the fixture picked from the data, timings, the floor.

Import only after `django.setup()` (bench/run.py does it). Nothing here asserts a duration: the
test suite only checks that the machinery runs.
"""

import datetime
import json
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.db.models import Case, Count, Exists, OuterRef, Q, When
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dui.ins import search_key
from dui.middleware import SESSION_KEY
from dui.models import Document, Essms, EssmsKind, Membership, Placement, Sejour, SejourStatus, Unit, Usager, User
from dui.services import membership_create

BENCH_TOKEN_NAME = "Banc de mesure"  # noqa: S105 (a client name, not a secret)


# --- Declarations ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Benchmark:
    """One measured screen or API call, and the hand-written SQL that reads the same data.

    `path(fixture)` returns the URL; `floor_params(fixture)` the parameters of `floor_sql`
    (placeholders `%s`). `metier` is the métier of the professional acting through the web
    (logged in with force_login); `api=True` calls with the partner token instead.
    """

    name: str
    path: Callable[["Fixture"], str]
    floor_sql: str
    floor_params: Callable[["Fixture"], Sequence]
    target_ms: float | None = None
    target_source: str = ""
    metier: str = "ide"
    api: bool = False
    # Tables filled by the run itself (the access log): their planner statistics are refreshed
    # before measuring, as autovacuum keeps them on a live base (PostgreSQL only).
    analyze: tuple[str, ...] = ()
    # A write (POST of JSON): `path(fixture)` and `body(fixture)` are called for each request, so
    # each call does the real work (a new item, a new key) instead of replaying the first one.
    body: Callable[["Fixture"], dict] | None = None
    expected_status: tuple[int, ...] = (200,)
    # API calls: the token's métier and scopes (defaults: the partner métier, every read scope).
    api_metier: str = ""
    api_scopes: str = ""
    # Called once before measuring (e.g. data the scale generator does not make).
    setup: Callable[["Fixture"], object] | None = None
    # Who acts when it is neither a professional nor a token (a portal relative): returns the
    # logged-in client and how to name the actor in the report.
    client: Callable[["Fixture"], tuple[Client, str]] | None = None


@dataclass
class Fixture:
    """What the benchmarks act on: one ESSMS, its busiest unit, a dossier, a name to search."""

    essms: Essms
    unit: Unit
    usager: Usager
    query: str
    today: datetime.date
    api_token: str = ""
    users: dict[str, tuple[User, Membership]] = field(default_factory=dict)

    def acting(self, metier: str) -> tuple[User, Membership]:
        """An active professional of the ESSMS with this métier: an existing one, or an existing
        user of the ESSMS given that métier through a new membership."""
        if metier not in self.users:
            memberships = Membership.objects.active().filter(essms=self.essms, user__is_active=True)
            membership = memberships.filter(metier=metier).select_related("user").order_by("pk").first()
            if membership is None:
                user = memberships.exclude(user__is_partner_system=True).order_by("pk").first().user
                membership = membership_create(user=user, essms_finess=self.essms.finess, metier=metier)
            self.users[metier] = (membership.user, membership)
        return self.users[metier]


def build_fixture(*, essms_finess: str = "", today: datetime.date | None = None) -> Fixture:
    """Pick the fixture from the generated data: by default the EHPAD with the most people in its
    active file, its unit with the most people, and the person of that unit with the most documents."""
    today = today or timezone.localdate()
    active = Sejour.objects.filter(usager_id=OuterRef("pk"), status=SejourStatus.ACTIVE)
    people = Usager.objects.filter(Exists(active), archived_at__isnull=True, merged_into__isnull=True)
    if essms_finess:
        essms = Essms.objects.filter(finess=essms_finess).first()
        if essms is None:
            raise LookupError(f"Aucun ESSMS ne porte le numéro FINESS « {essms_finess} ».")
    else:
        # An EHPAD first (the reference case of the issues), then the largest active file.
        busiest = (
            people.values("essms_id")
            .annotate(n=Count("pk"), other_kind=Case(When(essms__kind=EssmsKind.EHPAD, then=0), default=1))
            .order_by("other_kind", "-n", "essms_id")
            .first()
        )
        if busiest is None:
            raise LookupError("Aucun usager en séjour : lancez d'abord « python manage.py generate_scale_data ».")
        essms = Essms.objects.get(pk=busiest["essms_id"])
    current = Placement.objects.filter(essms=essms, sejour__status=SejourStatus.ACTIVE, starts_on__lte=today).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    )
    unit_row = current.values("unit_id").annotate(n=Count("pk")).order_by("-n", "unit_id").first()
    if unit_row is None:
        raise LookupError(f"Aucune personne en séjour dans « {essms} ».")
    unit = Unit.objects.get(pk=unit_row["unit_id"])
    in_unit = current.filter(unit=unit).values("usager_id")
    documents = Document.objects.filter(usager_id=OuterRef("pk")).values("usager_id").annotate(n=Count("pk"))
    usager = (
        people.filter(essms=essms, pk__in=in_unit)
        .annotate(document_count=documents.values("n")[:1])
        .order_by("-document_count", "pk")
        .first()
    )
    # A partial, accent-free name, as typed on a tablet: the first letters of a birth name.
    query = search_key(usager.birth_name).split()[0][:4]
    return Fixture(essms=essms, unit=unit, usager=usager, query=query, today=today)


def issue_api_token(fixture: Fixture, *, metier: str = "", scopes: str = "") -> str:
    """A fresh partner token of the ESSMS (the previous bench tokens are revoked)."""
    from interop.models import ApiToken
    from interop.services import api_token_create, api_token_revoke

    options = {"metier": metier} if metier else {}
    if scopes:
        options["scopes"] = scopes
    old_tokens = ApiToken.objects.filter(essms=fixture.essms, name__startswith=BENCH_TOKEN_NAME, revoked_at=None)
    if options:  # a token of its own: only the previous ones of this métier go
        old_tokens = old_tokens.filter(name__startswith=f"{BENCH_TOKEN_NAME} {metier} ")
    for old in old_tokens:
        api_token_revoke(token=old)
    _token, raw = api_token_create(
        essms_finess=fixture.essms.finess,
        name=f"{BENCH_TOKEN_NAME} {metier} {timezone.now():%Y-%m-%d %H:%M:%S.%f}",
        **options,
    )
    if not options:
        fixture.api_token = raw
    return raw


# --- Timings --------------------------------------------------------------------------------------


def percentile(samples: Sequence[float], q: float) -> float:
    """The q-th percentile (0–100), linear interpolation between the closest ranks."""
    ordered = sorted(samples)
    if not ordered:
        return 0.0
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass
class Timing:
    samples_ms: list[float]
    cpu_ms: list[float] = field(default_factory=list)

    @property
    def p50(self) -> float:
        return percentile(self.samples_ms, 50)

    @property
    def p95(self) -> float:
        return percentile(self.samples_ms, 95)

    @property
    def mean(self) -> float:
        return statistics.fmean(self.samples_ms) if self.samples_ms else 0.0

    @property
    def max(self) -> float:
        return max(self.samples_ms, default=0.0)

    @property
    def cpu_p50(self) -> float:
        """CPU time of this process (Python side) per call: what the machine's load does not inflate."""
        return percentile(self.cpu_ms, 50)


def measure(call: Callable[[], object], *, runs: int, warmup: int) -> Timing:
    """Call `warmup` times unmeasured, then `runs` times, each timed alone (milliseconds)."""
    for _ in range(warmup):
        call()
    samples, cpu = [], []
    for _ in range(runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        call()
        samples.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    return Timing(samples, cpu)


# --- One benchmark ----------------------------------------------------------------------------------


@dataclass
class Result:
    name: str
    url: str
    runs: int
    stack: Timing
    queries: int
    floor: Timing
    floor_rows: int
    target_ms: float | None
    target_source: str
    acting: str
    status: int
    slowest: list[tuple[float, str]] = field(default_factory=list)

    @property
    def passed(self) -> bool | None:
        return None if self.target_ms is None else self.stack.p95 < self.target_ms

    @property
    def ratio(self) -> float:
        return self.stack.p95 / self.floor.p95 if self.floor.p95 else 0.0

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "url": self.url,
            "acting": self.acting,
            "runs": self.runs,
            "status": self.status,
            "p50_ms": round(self.stack.p50, 2),
            "p95_ms": round(self.stack.p95, 2),
            "mean_ms": round(self.stack.mean, 2),
            "max_ms": round(self.stack.max, 2),
            "python_cpu_p50_ms": round(self.stack.cpu_p50, 2),
            "queries_per_request": self.queries,
            "target_p95_ms": self.target_ms,
            "target_source": self.target_source,
            "passed": self.passed,
            "floor_p50_ms": round(self.floor.p50, 3),
            "floor_p95_ms": round(self.floor.p95, 3),
            "floor_rows": self.floor_rows,
            "ratio_p95": round(self.ratio, 1),
            "slowest_queries": [{"ms": round(ms, 2), "sql": sql[:2000]} for ms, sql in self.slowest],
        }


class BenchmarkError(Exception):
    pass


def client_for(benchmark: Benchmark, fixture: Fixture) -> tuple[Client, str]:
    """A test client acting as the professional (web) or the partner system (API)."""
    if benchmark.client is not None:
        return benchmark.client(fixture)
    if benchmark.api and (benchmark.api_metier or benchmark.api_scopes):
        token = issue_api_token(fixture, metier=benchmark.api_metier, scopes=benchmark.api_scopes)
        return Client(HTTP_AUTHORIZATION=f"Bearer {token}"), f"jeton {benchmark.api_metier} ({fixture.essms.finess})"
    if benchmark.api:
        token = fixture.api_token or issue_api_token(fixture)
        return Client(HTTP_AUTHORIZATION=f"Bearer {token}"), f"jeton partenaire ({fixture.essms.finess})"
    user, membership = fixture.acting(benchmark.metier)
    client = Client()
    client.force_login(user)
    session = client.session
    session[SESSION_KEY] = membership.pk
    session.save()
    return client, f"{user.username} ({membership.get_metier_display()})"


def run_benchmark(benchmark: Benchmark, fixture: Fixture, *, runs: int, warmup: int) -> Result:
    if benchmark.setup is not None:
        benchmark.setup(fixture)
    client, acting = client_for(benchmark, fixture)
    url = benchmark.path(fixture)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in benchmark.analyze:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")

    def request():
        if benchmark.body is None:
            target = url
            response = client.get(target, secure=True)
        else:  # a write: a new target and body each time (path and body are called per request)
            target = benchmark.path(fixture)
            payload = json.dumps(benchmark.body(fixture), cls=DjangoJSONEncoder)
            response = client.post(target, payload, content_type="application/json", secure=True)
        if response.status_code not in benchmark.expected_status:
            expected = " ou ".join(str(code) for code in benchmark.expected_status)
            raise BenchmarkError(f"{benchmark.name} : {target} a répondu {response.status_code} au lieu de {expected}.")
        return response

    # Warm up, then count the queries of one request, then time without recording anything.
    for _ in range(warmup):
        request()
    with CaptureQueriesContext(connection) as captured:
        response = request()
    # Read now: the next request clears the connection's query log that `captured` slices.
    queries = len(captured.captured_queries)
    slowest = sorted(
        ((float(q["time"]) * 1000, q["sql"]) for q in captured.captured_queries), key=lambda item: -item[0]
    )[:5]
    stack = measure(request, runs=runs, warmup=0)

    params = list(benchmark.floor_params(fixture))
    fetched = []

    def floor():
        with connection.cursor() as cursor:
            cursor.execute(benchmark.floor_sql, params)
            fetched[:] = cursor.fetchall()

    floor_timing = measure(floor, runs=runs, warmup=warmup)
    return Result(
        name=benchmark.name,
        url=url,
        runs=runs,
        stack=stack,
        queries=queries,
        slowest=slowest,
        floor=floor_timing,
        floor_rows=len(fetched),
        target_ms=benchmark.target_ms,
        target_source=benchmark.target_source,
        acting=acting,
        status=response.status_code,
    )


# --- Output ---------------------------------------------------------------------------------------


def format_table(results: Sequence[Result]) -> str:
    header = ("Mesure", "p50 ms", "p95 ms", "Cible p95", "Verdict", "Requêtes", "Plancher p95", "Ratio", "CPU p50")
    rows = [header]
    for r in results:
        verdict = {True: "OK", False: "DÉPASSÉ", None: "—"}[r.passed]
        target = f"< {r.target_ms:.0f} ms" if r.target_ms is not None else "—"
        rows.append(
            (
                r.name,
                f"{r.stack.p50:.1f}",
                f"{r.stack.p95:.1f}",
                target,
                verdict,
                str(r.queries),
                f"{r.floor.p95:.2f}",
                f"× {r.ratio:.0f}",
                f"{r.stack.cpu_p50:.1f}",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]

    def line(row):
        cells = [cell.ljust(widths[0]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(row)]
        return " | ".join(cells)

    return "\n".join([line(rows[0]), "-+-".join("-" * w for w in widths), *(line(row) for row in rows[1:])])
