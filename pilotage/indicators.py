"""Every indicator, defined once: code, French label, plain-words definition, unit, who sees it,
and how it is computed from the dated history (numerator, denominator, optional breakdown).

The dashboards, exports, annual report and API all read this module; nothing else computes a
figure. `compute(scope, codes)` answers Figures; `persons(scope, code)` the persons behind one.
"""

import datetime
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, Q

from admissions import indicators as admission_figures
from dui.models import AggirEvaluation, Appointment, Essms, ExitReason, Metier, Sejour, Transport, Unit
from pilotage import facts, linked, role_sets
from pilotage.history import HOSPITALISED, ONE_DAY, PRESENT
from pilotage.scope import Scope
from ppa.models import Projet, ProjetVersion
from ppa.selectors.project_dues import policy_for
from ppa.services.projects import first_due_on, revision_due_on
from soins.models import CareOccurrence, OccurrenceStatus, PrescriptionKind, PrescriptionLine
from transmissions.models import (
    Event,
    EventKind,
    MaintenanceRequest,
    MaintenanceStatusChange,
    RequestStatus,
)

# Points per GIR (CASF annexe 3-6, column C; INTEROP.md §8).
GIR_POINTS = {1: 1000, 2: 840, 3: 660, 4: 420, 5: 250, 6: 70}

M = Metier
# Partner systems read the figures through the API (the drill-down still needs the matrix's read right).
STEERING = frozenset({M.DIRECTION, M.CADRE_SANTE, M.QUALITE, M.MEDECIN_COORDONNATEUR, M.ADMINISTRATEUR, M.PARTENAIRE})
CADRE = STEERING
SECRETARIAT = STEERING | {M.SECRETAIRE_MEDICALE}
THERAPISTS = STEERING | {M.ERGOTHERAPEUTE, M.PSYCHOLOGUE, M.APA, M.DIETETICIEN}
ANIMATION = STEERING | {M.ANIMATEUR}

PERSONS, STAYS, DAYS, PERCENT, PER_DAY, PER_1000, POINTS, COUNT = (
    "personnes",
    "séjours",
    "journées",
    "%",
    "par jour",
    "pour 1 000 journées",
    "points GIR",
    "nombre",
)


@dataclass
class Figure:
    numerator: float
    denominator: float | None = None
    breakdown: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str
    definition: str
    unit: str
    group: str
    compute: Callable[[Scope], Figure]
    metiers: frozenset = STEERING
    factor: float | None = None  # a rate: value = numerator / denominator × factor (None: a count)
    persons: Callable[[Scope], set[int]] | None = None
    document_class: str = "sejours"  # the class whose read right opens the drill-down
    anap_label: str = ""
    per_unit: bool = True  # False: an ESSMS-wide figure, absent from a unit's dashboard

    @property
    def has_persons(self) -> bool:
        """Whether a drill-down exists (templates call callables, so they ask this instead)."""
        return self.persons is not None

    @property
    def is_rate(self) -> bool:
        return self.factor is not None


@dataclass
class Value:
    indicator: Indicator
    numerator: float | None
    denominator: float | None
    value: float | None
    breakdown: dict[str, float]

    @property
    def code(self) -> str:
        return self.indicator.code

    def as_dict(self) -> dict:
        i = self.indicator
        return {
            "code": i.code,
            "label": i.label,
            "value": self.value,
            "unit": i.unit,
            "numerator": self.numerator,
            "denominator": self.denominator,
        }


# --- Séjours and presence ----------------------------------------------------------------------


def _active_file(scope: Scope) -> Figure:
    return Figure(len(scope.persons_in_period))


def _admitted(scope: Scope):
    return scope.memo("admitted", lambda: _admitted_now(scope))


def _admitted_now(scope: Scope):
    return [s for s in scope.stays if scope.start <= s.admitted_on <= scope.end and scope.in_scope_on(s, s.admitted_on)]


def _ended(scope: Scope):
    """Séjours ended in the period; in a unit, those whose last day was spent there."""
    return scope.memo("ended", lambda: _ended_now(scope))


def _ended_now(scope: Scope):
    return [
        s
        for s in scope.stays
        if s.ended_on is not None
        and scope.start <= s.ended_on <= scope.end
        and scope.in_scope_on(s, max(s.admitted_on, s.ended_on - ONE_DAY))
    ]


def _admissions(scope: Scope) -> Figure:
    return Figure(len(_admitted(scope)))


def _exits(scope: Scope) -> Figure:
    ended = _ended(scope)
    reasons = Counter(Sejour.objects.filter(pk__in=[s.sejour_id for s in ended]).values_list("exit_reason", flat=True))
    labels = dict(ExitReason.choices)
    return Figure(len(ended), breakdown={labels.get(r, "Non renseigné"): n for r, n in sorted(reasons.items())})


def _days_realised(scope: Scope) -> Figure:
    return Figure(scope.day_totals[PRESENT])


def _hospitalisation_days(scope: Scope) -> Figure:
    return Figure(scope.day_totals[HOSPITALISED])


def _capacity(scope: Scope) -> int:
    return scope.memo(
        "capacity", lambda: sum(Essms.objects.filter(pk__in=scope.essms_ids).values_list("capacity", flat=True))
    )


def _occupancy(scope: Scope) -> Figure:
    capacity = 0 if scope.unit_id else _capacity(scope)
    return Figure(scope.day_totals[PRESENT], capacity * scope.elapsed_days)


def _rotation(scope: Scope) -> Figure:
    return Figure(len(_admitted(scope)), 0 if scope.unit_id else _capacity(scope))


def _length_of_stay(scope: Scope) -> Figure:
    ended = _ended(scope)
    return Figure(sum((s.ended_on - s.admitted_on).days for s in ended), len(ended))


def _presence_state(scope: Scope) -> Figure:
    """Persons of the séjours covering the last day, by state that day."""
    day = scope.last_day
    states = Counter(s.state_on(day) for s in scope.stays_on(day))
    labels = {PRESENT: "Présents", HOSPITALISED: "Hospitalisés", "absent": "Autres absences"}
    return Figure(states[PRESENT], sum(states.values()), {labels[k]: states[k] for k in labels})


def _persons_present(scope: Scope) -> set[int]:
    return {s.usager_id for s in scope.stays if any(
        s.state_on(d) == PRESENT and scope.in_scope_on(s, d) for d in s.days_in(scope.start, scope.end)
    )}  # fmt: skip


def _persons_hospitalised(scope: Scope) -> set[int]:
    return {s.usager_id for s in scope.stays if any(
        s.state_on(d) == HOSPITALISED and scope.in_scope_on(s, d) for d in s.days_in(scope.start, scope.end)
    )}  # fmt: skip


# --- Dependency: GIR and GMP ------------------------------------------------------------------


def _latest_girs(scope: Scope) -> dict[int, int]:
    """{usager: GIR of the latest AGGIR evaluation on or before the last day} of the persons then in séjour."""
    return scope.memo("girs", lambda: _latest_girs_now(scope))


def _latest_girs_now(scope: Scope) -> dict[int, int]:
    day = scope.last_day
    persons = {s.usager_id for s in scope.stays_on(day)}
    girs = {}
    rows = (
        AggirEvaluation.objects.filter(essms_id__in=scope.essms_ids, evaluated_on__lte=day)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__date__gt=day))
        .order_by("evaluated_on", "pk")
        .values_list("usager_id", "gir")
    )
    for usager_id, gir in rows:
        if usager_id in persons:
            girs[usager_id] = gir
    return girs


def _gir_distribution(scope: Scope) -> Figure:
    girs = _latest_girs(scope)
    counts = Counter(girs.values())
    in_stay = len({s.usager_id for s in scope.stays_on(scope.last_day)})
    return Figure(len(girs), in_stay, {f"GIR {n}": counts[n] for n in range(1, 7)})


def _gmp(scope: Scope) -> Figure:
    girs = _latest_girs(scope)
    return Figure(sum(GIR_POINTS[g] for g in girs.values()), len(girs))


# --- Projet personnalisé ----------------------------------------------------------------------


def _ppa_rows(scope: Scope) -> list:
    return scope.memo("ppa", lambda: list(_ppa_rows_now(scope)))


def _ppa_rows_now(scope: Scope):
    """(usager, required, up to date, agreed, revised within the year) of each séjour on the last day.

    Same rule as the PPA alert list (ppa.selectors.project_dues), read as of the last day: due date =
    last agreement + revision delay, or admission + first-project delay when none was agreed yet.
    """
    day = scope.last_day
    stays = scope.stays_on(day)
    projets = dict(Projet.objects.filter(essms_id__in=scope.essms_ids).values_list("sejour_id", "pk"))
    last_agreed = {}
    for projet_id, agreed_on in ProjetVersion.objects.filter(
        essms_id__in=scope.essms_ids, agreement_on__lte=day
    ).values_list("projet_id", "agreement_on"):
        last_agreed[projet_id] = max(agreed_on, last_agreed.get(projet_id, agreed_on))
    policies = {essms_id: policy_for(essms_id) for essms_id in scope.essms_ids}
    year_ago = day - datetime.timedelta(days=365)
    for stay in stays:
        last = last_agreed.get(projets.get(stay.sejour_id))
        policy = policies[stay.essms_id]
        due = revision_due_on(last, policy) if last else first_due_on(stay.admitted_on, policy)
        required = last is not None or due <= day
        up_to_date = last is not None and due >= day
        yield stay.usager_id, required, up_to_date, last is not None, bool(last and last >= year_ago)


def _ppa_up_to_date(scope: Scope) -> Figure:
    rows = list(_ppa_rows(scope))
    return Figure(sum(1 for r in rows if r[2]), sum(1 for r in rows if r[1]))


def _ppa_revised(scope: Scope) -> Figure:
    rows = list(_ppa_rows(scope))
    return Figure(sum(1 for r in rows if r[4]), sum(1 for r in rows if r[3]))


# --- Care: transmissions, events, restraint, care plan ------------------------------------------


def _transmissions(scope: Scope) -> Figure:
    counts = facts.transmissions_by_key(
        scope.essms_ids, scope.start, scope.end, unit_id=scope.unit_id, today=scope.today
    )
    by_metier, by_unit = Counter(), Counter()
    for (unit_id, metier), n in counts.items():
        by_metier[metier] += n
        by_unit[unit_id] += n
    units = dict(Unit.objects.filter(pk__in=[u for u in by_unit if u]).values_list("pk", "name"))
    metiers = dict(Metier.choices)
    breakdown = {f"Métier : {metiers.get(m, m)}": n for m, n in sorted(by_metier.items())}
    for unit_id, n in sorted(by_unit.items(), key=lambda item: item[0] or 0):
        breakdown[f"Unité : {units.get(unit_id, 'Sans unité')}"] = n
    return Figure(sum(by_metier.values()), scope.elapsed_days, breakdown)


def _events(kind: str) -> Callable[[Scope], Figure]:
    def compute(scope: Scope) -> Figure:
        return Figure(len(_event_rows(scope, kind)), scope.day_totals[PRESENT])

    return compute


def _event_rows(scope: Scope, kind: str) -> list[tuple[int, datetime.datetime]]:
    return scope.memo(("events", kind), lambda: _event_rows_now(scope, kind))


def _event_rows_now(scope: Scope, kind: str) -> list[tuple[int, datetime.datetime]]:
    start, end = scope.bounds
    rows = Event.objects.filter(
        essms_id__in=scope.essms_ids, kind=kind, occurred_at__gte=start, occurred_at__lt=end
    ).values_list("usager_id", "occurred_at")
    if scope.unit_id is None:
        return list(rows)
    # In a unit: the event counts where the person was placed that (local) day.
    by_person = {}
    for stay in scope.stays:
        by_person.setdefault(stay.usager_id, []).append(stay)
    kept = []
    for usager_id, occurred_at in rows:
        day = occurred_at.astimezone(scope.bounds[0].tzinfo).date()
        if any(s.in_stay(day) and scope.in_scope_on(s, day) for s in by_person.get(usager_id, [])):
            kept.append((usager_id, occurred_at))
    return kept


def _restraint_lines(scope: Scope) -> set[int]:
    """Persons in séjour on the last day with a validated restraint prescription in force that day."""
    return scope.memo("restraint", lambda: _restraint_now(scope))


def _restraint_now(scope: Scope) -> set[int]:
    day = scope.last_day
    persons = {s.usager_id for s in scope.stays_on(day)}
    lines = (
        PrescriptionLine.objects.filter(
            essms_id__in=scope.essms_ids,
            kind=PrescriptionKind.CONTENTION,
            validated_at__isnull=False,
            starts_on__lte=day,
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .filter(Q(stopped_at__isnull=True) | Q(stopped_at__date__gt=day))
        .values_list("usager_id", flat=True)
    )
    return set(lines) & persons


def _restraint(scope: Scope) -> Figure:
    return Figure(len(_restraint_lines(scope)))


def _care_plan(scope: Scope) -> Figure:
    """Care occurrences due in the period and already past their limit: done / due."""
    start, end = scope.bounds
    rows = CareOccurrence.objects.filter(essms_id__in=scope.essms_ids, due_at__gte=start, due_at__lt=end).filter(
        Q(due_before__lte=datetime.datetime.now(tz=start.tzinfo)) | ~Q(status=OccurrenceStatus.PENDING)
    )
    if scope.unit_id:
        rows = rows.filter(usager_id__in=scope.persons_in_period)
    statuses = Counter(dict(rows.values_list("status").annotate(n=Count("pk")).order_by()))
    labels = dict(OccurrenceStatus.choices)
    return Figure(statuses[OccurrenceStatus.DONE], sum(statuses.values()), {labels[k]: statuses[k] for k in labels})


# --- Secrétariat, services techniques ---------------------------------------------------------


def _appointments(scope: Scope):
    start, end = scope.bounds
    rows = Appointment.objects.filter(
        essms_id__in=scope.essms_ids, starts_at__gte=start, starts_at__lt=end, cancelled_at__isnull=True
    )
    if scope.unit_id:
        rows = rows.filter(usager_id__in=scope.persons_in_period)
    return rows


def _appointments_by_transport(scope: Scope) -> Figure:
    counts = Counter(_appointments(scope).values_list("transport", flat=True))
    return Figure(sum(counts.values()), breakdown={label: counts[code] for code, label in Transport.choices})


def _external_intervenants(scope: Scope) -> Figure:
    names = {p.strip().casefold() for p in _appointments(scope).values_list("practitioner", flat=True) if p.strip()}
    return Figure(len(names))


def _requests_opened(scope: Scope) -> Figure:
    start, end = scope.bounds
    opened = MaintenanceRequest.objects.filter(essms_id__in=scope.essms_ids, created_at__gte=start, created_at__lt=end)
    return Figure(opened.count())


def _requests_time_to_close(scope: Scope) -> Figure:
    """Requests closed (marked done) in the period: mean days from opening to closing."""
    start, end = scope.bounds
    closes = MaintenanceStatusChange.objects.filter(
        request__essms_id__in=scope.essms_ids, status=RequestStatus.FAITE, changed_at__gte=start, changed_at__lt=end
    ).values_list("request_id", "request__created_at", "changed_at")
    firsts = {}
    for request_id, created_at, changed_at in closes:
        firsts.setdefault(request_id, (changed_at - created_at).total_seconds() / 86400)
    return Figure(round(sum(firsts.values()), 4), len(firsts))


# --- Held by other domains (activities, DLU, outbox) ----------------------------------------------


def _linked(function) -> Callable[[Scope], Figure]:
    def compute(scope: Scope) -> Figure:
        numerator, denominator = function(scope)
        return Figure(numerator, denominator)

    return compute


def _role_set(function) -> Callable[[Scope], Figure]:
    return lambda scope: Figure(*function(scope))


def _role_set_indicators() -> list[Indicator]:
    """The therapists' activity (what justifies a part-time post) and the cadre's changes of diet."""
    return [
        Indicator("therapist_bilans", "Bilans des thérapeutes", "Évaluations (grilles, bilans) enregistrées "
                  "dans la période par les ergothérapeutes, psychologues, enseignants APA et diététiciens.",
                  COUNT, "Thérapeutes", _role_set(role_sets.therapist_bilans), THERAPISTS),
        Indicator("therapist_persons_followed", "Personnes suivies par les thérapeutes", "Personnes distinctes "
                  "ayant eu dans la période un bilan ou une transmission d'un thérapeute.", PERSONS, "Thérapeutes",
                  _role_set(role_sets.therapist_persons_followed), THERAPISTS,
                  persons=role_sets.therapist_persons),
        Indicator("diet_changes", "Changements d'alimentation", "Transmissions sur une cible du thème "
                  "« Alimentation et hydratation » et objectifs d'hydratation fixés dans la période.", COUNT,
                  "Soins et événements", _role_set(role_sets.diet_changes), CADRE,
                  persons=role_sets.diet_change_persons, document_class="transmissions"),
    ]  # fmt: skip


def _activity_indicators() -> list[Indicator]:
    """Sessions, attendance and satisfaction of the activities (animation, therapists)."""
    return [
        Indicator("activity_sessions_held", "Séances d'activité tenues", "Séances d'activités (animation, "
                  "ateliers, sorties, séances thérapeutiques) tenues dans la période.", COUNT, "Activités",
                  _linked(linked.activity_sessions_held), ANIMATION | THERAPISTS),
        Indicator("activity_attendance_rate", "Taux de présence aux activités", "Présences constatées / "
                  "personnes inscrites aux séances tenues dans la période.", PERCENT, "Activités",
                  _linked(linked.activity_attendance), ANIMATION | THERAPISTS, factor=100),
        Indicator("activity_mean_satisfaction", "Satisfaction moyenne", "Moyenne des notes de satisfaction "
                  "(1 à 5) données aux séances de la période.", "sur 5", "Activités",
                  _linked(linked.activity_satisfaction), ANIMATION | THERAPISTS, factor=1),
    ]  # fmt: skip


def _interop_indicators() -> list[Indicator]:
    return [
        Indicator("dlu_coverage_rate", "Couverture DLU", "Personnes présentes le dernier jour dont le dossier "
                  "de liaison d'urgence est à jour / personnes présentes.", PERCENT, "Numérique en santé",
                  _linked(linked.dlu_coverage), factor=100, document_class="dlu"),
        Indicator("dmp_documents_sent", "Documents envoyés au DMP", "Documents versés dans Mon espace santé "
                  "(DMP) dans la période.", COUNT, "Numérique en santé", _linked(linked.sent("dmp_documents_sent")),
                  per_unit=False),
        Indicator("mssante_messages_sent", "Messages MSSanté envoyés", "Messages de messagerie sécurisée de "
                  "santé envoyés dans la période.", COUNT, "Numérique en santé",
                  _linked(linked.sent("mssante_messages_sent")), per_unit=False),
        Indicator("mssante_messages_received", "Messages MSSanté reçus", "Messages de messagerie sécurisée de "
                  "santé reçus dans la période.", COUNT, "Numérique en santé",
                  _linked(linked.sent("mssante_messages_received")), per_unit=False),
    ]  # fmt: skip


def _admissions_received(scope: Scope) -> Figure:
    count, by_status = admission_figures.requests_received(scope.essms_ids, *scope.bounds)
    return Figure(count, breakdown=by_status)


def _admissions_days_in_status(scope: Scope) -> Figure:
    total, count, means = admission_figures.days_in_status(scope.essms_ids, *scope.bounds)
    return Figure(total, count, breakdown=means)


def _admission_indicators() -> list[Indicator]:
    """The admission requests: how many, where they stand, how long each step takes."""
    return [
        Indicator("admission_requests", "Demandes d'admission reçues", "Demandes reçues dans la période, par "
                  "statut actuel (reçue, en étude, visite, avis médical, acceptée, refusée, entrée planifiée, "
                  "annulée).", COUNT, G_ADMISSIONS, _admissions_received, SECRETARIAT, per_unit=False),
        Indicator("admission_days_in_status", "Délai moyen par statut", "Pour chaque statut, durée moyenne "
                  "(jours) des passages dans ce statut terminés dans la période ; valeur : tous statuts "
                  "confondus.", "jours", G_ADMISSIONS, _admissions_days_in_status, SECRETARIAT, factor=1,
                  per_unit=False),
        Indicator("admission_days_to_decision", "Délai moyen jusqu'à la décision", "Demandes acceptées ou "
                  "refusées dans la période : moyenne des jours entre la réception et la décision.", "jours",
                  G_ADMISSIONS, _linked(lambda s: admission_figures.days_to_decision(s.essms_ids, *s.bounds)),
                  SECRETARIAT, factor=1, per_unit=False),
        Indicator("admission_days_to_entry", "Délai moyen jusqu'à l'entrée", "Demandes dont l'entrée a été "
                  "planifiée dans la période : moyenne des jours entre la réception et la date d'entrée prévue.",
                  "jours", G_ADMISSIONS, _linked(lambda s: admission_figures.days_to_entry(s.essms_ids, *s.bounds)),
                  SECRETARIAT, factor=1, per_unit=False),
    ]  # fmt: skip


# --- Drill-down -------------------------------------------------------------------------------


def _persons_admitted(scope: Scope) -> set[int]:
    return {s.usager_id for s in _admitted(scope)}


def _persons_exited(scope: Scope) -> set[int]:
    return {s.usager_id for s in _ended(scope)}


def _persons_evaluated(scope: Scope) -> set[int]:
    return set(_latest_girs(scope))


def _persons_ppa_required(scope: Scope) -> set[int]:
    return {row[0] for row in _ppa_rows(scope) if row[1]}


def _persons_restrained(scope: Scope) -> set[int]:
    return _restraint_lines(scope)


def _persons_events(kind: str) -> Callable[[Scope], set[int]]:
    return lambda scope: {usager_id for usager_id, _ in _event_rows(scope, kind)}


# --- The catalogue ----------------------------------------------------------------------------

G_STAYS, G_DEP, G_PROJECT, G_CARE, G_SECR, G_TECH, G_ADMISSIONS = (
    "Séjours et présence",
    "Dépendance",
    "Projet personnalisé",
    "Soins et événements",
    "Secrétariat médical",
    "Services techniques",
    "Admissions",
)

INDICATORS: tuple[Indicator, ...] = (
    Indicator("active_file", "File active", "Personnes distinctes ayant au moins un jour de séjour dans la "
              "période (dans l'unité, selon l'affectation en vigueur ce jour-là).", PERSONS, G_STAYS,
              _active_file, persons=lambda s: s.persons_in_period, anap_label="File active"),
    Indicator("admissions", "Admissions", "Séjours dont la date d'admission tombe dans la période.", STAYS,
              G_STAYS, _admissions, persons=_persons_admitted, anap_label="Nombre d'entrées"),
    Indicator("exits", "Sorties", "Séjours terminés dans la période, par motif de sortie.", STAYS, G_STAYS,
              _exits, persons=_persons_exited, anap_label="Nombre de sorties"),
    Indicator("days_realised", "Journées réalisées", "Jours D de la période où admission ≤ D < sortie et "
              "aucune absence ne couvre D ; compté pour l'unité de l'affectation en vigueur le jour D. Les "
              "jours à venir ne comptent pas.", DAYS, G_STAYS, _days_realised, persons=_persons_present,
              anap_label="Nombre de journées réalisées"),
    Indicator("occupancy_rate", "Taux d'occupation", "Journées réalisées / (capacité autorisée × jours "
              "écoulés de la période), pour l'établissement.", PERCENT, G_STAYS, _occupancy, factor=100,
              anap_label="Taux d'occupation des places", per_unit=False),
    Indicator("rotation_rate", "Taux de rotation des places", "Admissions de la période / capacité "
              "autorisée.", PERCENT, G_STAYS, _rotation, factor=100, anap_label="Taux de rotation des places "
              "financées", per_unit=False),
    Indicator("hospitalisation_days", "Journées d'hospitalisation", "Jours de séjour couverts par une "
              "absence de type hospitalisation.", DAYS, G_STAYS, _hospitalisation_days,
              persons=_persons_hospitalised, anap_label="Nombre de journées d'hospitalisation"),
    Indicator("average_length_of_stay", "Durée moyenne de séjour", "Moyenne de (date de sortie − date "
              "d'admission), en jours, des séjours terminés dans la période.", "jours", G_STAYS, _length_of_stay,
              factor=1, persons=_persons_exited, anap_label="Durée moyenne de séjour"),
    Indicator("presence_state", "Présents le dernier jour", "Personnes en séjour le dernier jour de la "
              "période (ou aujourd'hui) : présentes / en séjour, avec les hospitalisées et autres absences.",
              PERCENT, G_STAYS, _presence_state, CADRE, factor=100),
    Indicator("gir_distribution", "Répartition par GIR", "Dernière évaluation AGGIR au plus tard le dernier "
              "jour de chaque personne en séjour ce jour-là ; valeur : personnes évaluées / personnes en "
              "séjour.", PERCENT, G_DEP, _gir_distribution, factor=100, persons=_persons_evaluated,
              document_class="aggir", anap_label="Répartition des personnes accueillies par GIR"),
    Indicator("gmp", "GIR moyen pondéré (GMP)", "Somme des points GIR (1 000, 840, 660, 420, 250, 70) des "
              "personnes évaluées / personnes évaluées, au dernier jour de la période.", POINTS, G_DEP, _gmp,
              factor=1, persons=_persons_evaluated, document_class="aggir", anap_label="GIR moyen pondéré"),
    Indicator("ppa_up_to_date_rate", "Projets personnalisés à jour", "Au dernier jour : projets dont "
              "l'échéance n'est pas dépassée / séjours qui doivent avoir un projet (échéance du premier "
              "projet atteinte, ou projet déjà validé).", PERCENT, G_PROJECT, _ppa_up_to_date, factor=100,
              persons=_persons_ppa_required, document_class="ppa"),
    Indicator("ppa_revised_rate", "Projets révisés dans l'année", "Au dernier jour : projets dont le "
              "dernier accord date de moins d'un an / projets ayant déjà reçu un accord.", PERCENT, G_PROJECT,
              _ppa_revised, factor=100, persons=_persons_ppa_required, document_class="ppa"),
    Indicator("transmissions_per_day", "Transmissions par jour", "Transmissions (versions en vigueur) "
              "observées dans la période / jours écoulés, détaillées par unité et par métier de l'auteur.",
              PER_DAY, G_CARE, _transmissions, CADRE, factor=1, document_class="transmissions"),
    Indicator("falls_per_1000_days", "Chutes pour 1 000 journées", "Chutes déclarées dans la période × "
              "1 000 / journées réalisées.", PER_1000, G_CARE, _events(EventKind.CHUTE), CADRE, factor=1000,
              persons=_persons_events(EventKind.CHUTE), document_class="evenements"),
    Indicator("epileptic_crises_per_1000_days", "Crises d'épilepsie pour 1 000 journées", "Crises "
              "d'épilepsie déclarées dans la période × 1 000 / journées réalisées.", PER_1000, G_CARE,
              _events(EventKind.EPILEPSIE), CADRE, factor=1000, persons=_persons_events(EventKind.EPILEPSIE),
              document_class="evenements"),
    Indicator("restraint_in_force", "Contentions en cours", "Personnes en séjour le dernier jour avec une "
              "prescription de contention validée, en vigueur ce jour-là.", PERSONS, G_CARE, _restraint, CADRE,
              persons=_persons_restrained, document_class="contention"),
    Indicator("care_plan_completion_rate", "Réalisation du plan de soins", "Soins planifiés prévus dans la "
              "période dont le délai est passé : faits / prévus.", PERCENT, G_CARE, _care_plan, CADRE,
              factor=100),
    Indicator("appointments", "Rendez-vous par transport", "Rendez-vous non annulés de la période, par "
              "type de transport.", COUNT, G_SECR, _appointments_by_transport, SECRETARIAT),
    Indicator("external_intervenants", "Intervenants extérieurs", "Intervenants distincts nommés dans les "
              "rendez-vous de la période.", COUNT, G_SECR, _external_intervenants, SECRETARIAT),
    Indicator("technical_requests_opened", "Demandes techniques ouvertes", "Demandes techniques créées "
              "dans la période.", COUNT, G_TECH, _requests_opened, per_unit=False),
    Indicator("technical_requests_days_to_close", "Délai moyen de résolution", "Demandes marquées faites "
              "dans la période : moyenne des jours entre la demande et sa résolution.", "jours", G_TECH,
              _requests_time_to_close, factor=1, per_unit=False),
    *_interop_indicators(),
    *_activity_indicators(),
    *_role_set_indicators(),
    *_admission_indicators(),
)  # fmt: skip

BY_CODE = {indicator.code: indicator for indicator in INDICATORS}

# The role sets quoted by the field documents, and ANAP's tableau de bord de la performance.
ROLE_SETS = {
    "direction": [i.code for i in INDICATORS],
    "cadre": ["presence_state", "active_file", "days_realised", "restraint_in_force", "falls_per_1000_days",
              "epileptic_crises_per_1000_days", "transmissions_per_day", "care_plan_completion_rate"],
    "secretaire_medicale": ["appointments", "external_intervenants", "active_file", "admission_requests",
                            "admission_days_to_decision"],
    "therapeutes": ["activity_sessions_held", "activity_attendance_rate", "active_file"],
    "animation": ["activity_sessions_held", "activity_attendance_rate", "activity_mean_satisfaction"],
    "anap": [i.code for i in INDICATORS if i.anap_label] + ["gmp"],
}  # fmt: skip


def evaluate(indicator: Indicator, scope: Scope) -> Value:
    if scope.unit_id is not None and not indicator.per_unit:
        return Value(indicator, None, None, None, {})
    figure = indicator.compute(scope)
    if indicator.is_rate:
        den = figure.denominator
        value = round(figure.numerator / den * indicator.factor, 2) if den else None
    else:
        value = figure.numerator
    return Value(indicator, figure.numerator, figure.denominator, value, figure.breakdown)


def compute(scope: Scope, codes=None) -> list[Value]:
    """The figures of these codes (every indicator by default), in catalogue order."""
    wanted = INDICATORS if codes is None else [BY_CODE[c] for c in codes]
    return [evaluate(indicator, scope) for indicator in wanted]
