"""Scale data: transmissions, events and read receipts of one ESSMS, with their own random stream."""

import datetime
import random
import time
from typing import TYPE_CHECKING

from django.db import connection
from django.utils import timezone

from demo.scale.base import TableStat, _batch_size
from demo.scale.profiles import _Establishment
from demo.scale.transmission_texts import DAR_BANK, EVENT_PLACES, NARRATIVES, SEIZURE_TYPES, UNIT_NOTES
from dui.ins import search_key
from dui.models import Metier, OrganismeGestionnaire, Placement
from transmissions.models import Event, EventKind, ReadReceipt, Transmission
from transmissions.visibility import MEDICAL_TEAM

if TYPE_CHECKING:
    from demo.scale.generator import Generator


# --- Transmissions ------------------------------------------------------------------------------

# Per person-year of séjour inside the window: 20 ESSMS × 300 persons × 5 years (plus the people
# who left) hold about 28 000 person-years, so 70 gives about 2 million transmissions.
DEFAULT_TRANSMISSIONS_PER_PERSON_YEAR = 70
TRANSMISSION_BATCH_SIZE = 5000
# Who writes, and how often (weights), among the métiers of the ESSMS.
TRANSMISSION_AUTHORS = (
    (Metier.AIDE_SOIGNANT, 5), (Metier.EDUCATEUR, 5), (Metier.IDE, 3), (Metier.ASH, 1), (Metier.CADRE_SANTE, 0.5),
    (Metier.PSYCHOLOGUE, 0.4), (Metier.MEDECIN_COORDONNATEUR, 0.3), (Metier.MEDECIN, 0.3), (Metier.ANIMATEUR, 0.5),
    (Metier.ERGOTHERAPEUTE, 0.2), (Metier.ENSEIGNANT, 0.5),
)  # fmt: skip
CHILD_ONLY_CIBLES = {"Scolarité", "Apprentissages et autonomie"}
ELDERLY_ONLY_CIBLES = {"Fin de vie", "Contention"}
SEIZURE_CIBLE, FALL_CIBLE = "Crise d'épilepsie", "Chute"
UNIT_NOTE_CIBLE = "Vie de l'unité"


class TransmissionGenerator:
    """Transmissions, events and read receipts of one ESSMS, drawn from its placements.

    Uses its own random stream (from the seed) so that the dossiers are the same with or without
    transmissions. Rows are written with PostgreSQL's COPY (bulk_create elsewhere), with ids
    reserved beforehand so that versions, events and receipts can point at their transmission.
    """

    def __init__(self, parent: "Generator", *, rng: random.Random, per_person_year: float):
        self.parent = parent
        self.rng = rng
        self.per_person_year = per_person_year
        self.search_cache: dict[tuple, str] = {}
        self.cibles: dict[int, list[tuple[int, str, str]]] = {}

    # -- catalogue --

    def catalogue(self, og: OrganismeGestionnaire) -> list[tuple[int, str, str]]:
        if og.pk not in self.cibles:
            from transmissions.models import Cible

            try:
                from transmissions.services.cibles import cibles_fill_defaults
            except ImportError:  # pragma: no cover (older layouts)
                cibles_fill_defaults = None
            if cibles_fill_defaults is not None:
                cibles_fill_defaults(og=og)
            if not Cible.objects.filter(og=og).exists():
                Cible.objects.bulk_create(
                    [Cible(og=og, label=label, theme=theme) for label, theme in (("Douleur", "douleur"),
                     ("Chute", "mobilite"), ("Sommeil", "sommeil"), ("Alimentation", "alimentation"))]
                )  # fmt: skip
            self.cibles[og.pk] = list(
                Cible.objects.filter(og=og, is_active=True).order_by("label").values_list("pk", "label", "theme")
            )
        return self.cibles[og.pk]

    # -- writing --

    def reserve_ids(self, model, count: int) -> int:
        """The first of `count` consecutive ids nobody else will get."""
        table = model._meta.db_table
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
                sequence = cursor.fetchone()[0]
                cursor.execute("SELECT setval(%s, nextval(%s) + %s - 1)", [sequence, sequence, count])
                return cursor.fetchone()[0] - count + 1
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            return cursor.fetchone()[0] + 1

    def write(self, model, columns: tuple[str, ...], rows: list[tuple]) -> None:
        if not rows:
            return
        started = time.perf_counter()
        if connection.vendor == "postgresql":
            table = connection.ops.quote_name(model._meta.db_table)
            sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
            with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            for start in range(0, len(rows), TRANSMISSION_BATCH_SIZE):
                objects = [model(**dict(zip(columns, row, strict=True))) for row in rows[start : start + 5000]]
                model.objects.bulk_create(objects, batch_size=_batch_size(model, TRANSMISSION_BATCH_SIZE))
        stat = self.parent.report.tables.setdefault(model.__name__, TableStat())
        stat.rows += len(rows)
        stat.seconds += time.perf_counter() - started

    def search_text(self, *parts: str) -> str:
        key = parts
        text = self.search_cache.get(key)
        if text is None:
            text = self.search_cache[key] = search_key(*parts)
        return text

    # -- one ESSMS --

    def authors(self, e: _Establishment) -> list[tuple[int, str]]:
        pool = []
        for metier, weight in TRANSMISSION_AUTHORS:
            for user in e.staff.get(metier, []):
                pool.extend([(user.pk, str(metier))] * max(1, round(weight * 2)))
        return pool or [(self.parent.staff_member(e, Metier.DIRECTION).pk, str(Metier.DIRECTION))]

    def run(self, e: _Establishment, placements: list[Placement]) -> None:
        rng, parent = self.rng, self.parent
        today, window_start = parent.today, parent.window_start
        now = min(timezone.now(), parent.at(today, 23, 59))
        cibles = [
            c
            for c in self.catalogue(e.essms.og)
            if not (c[1] in CHILD_ONLY_CIBLES and e.profile.generation != "child")
            and not (c[1] in ELDERLY_ONLY_CIBLES and e.profile.generation != "elderly")
            and not (c[1] == SEIZURE_CIBLE and e.profile.generation == "elderly")
        ]
        authors = self.authors(e)
        medical = {str(m) for m in MEDICAL_TEAM}
        essms_id = e.essms.pk

        drafts = []  # (usager_id, unit_id, observed_at, cible or None, note)
        for placement in placements:
            first = max(placement.starts_on, window_start)
            last = min(placement.ends_on or today, today)
            days = (last - first).days + 1
            if days <= 0:
                continue
            count = int(self.per_person_year * days / 365.25 + rng.random())
            base = parent.at(first, 0)
            span = days * 86400
            for _ in range(count):
                # Mostly during the day shift, some at night.
                seconds = rng.randrange(span)
                observed = base + datetime.timedelta(seconds=seconds)
                if observed > now:
                    observed = now - datetime.timedelta(minutes=rng.randint(1, 600))
                drafts.append(
                    (placement.usager.pk, placement.unit.pk, observed, rng.choice(cibles) if cibles else None)
                )
        unit_drafts = []
        unit_cible = next((c for c in cibles if c[1] == "Activité"), None)
        for unit in e.units:
            for _ in range(round((today - window_start).days / 3)):
                observed = parent.at(parent.day_between(window_start, today), rng.randint(7, 20), rng.randint(0, 59))
                unit_drafts.append((None, unit.pk, min(observed, now), unit_cible))
        drafts.extend(unit_drafts)
        drafts.sort(key=lambda d: d[2])  # ids follow the observation order, as in real life
        corrections = [i for i in range(len(drafts)) if rng.random() < 0.01]
        first_id = self.reserve_ids(Transmission, len(drafts) + len(corrections))
        columns = (
            "id", "essms_id", "usager_id", "unit_id", "cible_id", "free_cible", "theme", "donnees", "actions",
            "resultats", "narrative", "observed_at", "written_at", "author_id", "author_metier", "visibility",
            "family_visible", "original_id", "version", "is_current", "search_text",
        )  # fmt: skip
        rows, events, versions = [], [], []
        seizure_kinds = {SEIZURE_CIBLE: EventKind.EPILEPSIE, FALL_CIBLE: EventKind.CHUTE}
        corrected = set(corrections)
        for index, (usager_id, unit_id, observed, cible) in enumerate(drafts):
            pk = first_id + index
            author_id, metier = rng.choice(authors)
            label = cible[1] if cible else UNIT_NOTE_CIBLE
            theme = cible[2] if cible else "autre"
            donnees = actions = resultats = narrative = ""
            if usager_id is None:
                narrative = rng.choice(UNIT_NOTES)
            elif theme in DAR_BANK and rng.random() < 0.7:
                d, a, r = DAR_BANK[theme]
                donnees, actions = rng.choice(d), rng.choice(a)
                resultats = rng.choice(r) if rng.random() < 0.85 else ""
            else:
                narrative = rng.choice(NARRATIVES)
            draw = rng.random()
            if metier in medical and draw < 0.12:
                visibility = "medical"
            elif draw < 0.6:
                visibility = "care"
            else:
                visibility = "all"
            written = min(observed + datetime.timedelta(minutes=rng.randint(0, 120)), now)
            family = visibility == "all" and usager_id is not None and rng.random() < 0.1
            row = [
                pk, essms_id, usager_id, unit_id, cible[0] if cible else None, "" if cible else UNIT_NOTE_CIBLE, theme,
                donnees, actions, resultats, narrative, observed, written, author_id, metier, visibility, family,
                None, 1, index not in corrected,
                self.search_text(label, donnees, actions, resultats, narrative),
            ]  # fmt: skip
            rows.append(row)
            kind = seizure_kinds.get(label) if usager_id is not None else None
            if kind and rng.random() < 0.6:
                events.append(self.event(essms_id, usager_id, pk, kind, observed, author_id))
        for offset, index in enumerate(corrections):
            v1 = rows[index]
            v2 = list(v1)
            v2[0] = first_id + len(drafts) + offset
            v2[12] = min(v1[12] + datetime.timedelta(hours=rng.randint(1, 30)), now)
            if v2[7] or v2[8]:
                v2[9] = (v2[9] + " " if v2[9] else "") + "Réévaluation faite, situation stable."
            else:
                v2[10] = v2[10] + " Précision apportée après relecture."
            v2[17], v2[18], v2[19] = v1[0], 2, True
            label = next((c[1] for c in cibles if c[0] == v1[4]), v1[5])
            v2[20] = self.search_text(label, v2[7], v2[8], v2[9], v2[10])
            versions.append(v2)
        self.write(Transmission, columns, [tuple(r) for r in rows] + [tuple(r) for r in versions])
        if events:
            event_columns = (
                "essms_id", "usager_id", "transmission_id", "kind", "occurred_at", "duration_seconds",
                "seizure_type", "place", "circumstances", "consequences", "treatment_given", "severity",
                "created_by_id",
            )  # fmt: skip
            self.write(Event, event_columns, events)
        self.receipts(e, rows, versions, ReadReceipt, now)

    def event(self, essms_id, usager_id, transmission_id, kind, observed, author_id) -> tuple:
        rng = self.rng
        if kind == "epilepsie":
            return (
                essms_id, usager_id, transmission_id, kind, observed, rng.randint(20, 300),
                rng.choice(SEIZURE_TYPES), rng.choice(EVENT_PLACES), "", "Somnolence après la crise",
                rng.choice(("", "", "Midazolam buccal 10 mg")), rng.choice(("faible", "moyenne", "grave")), author_id,
            )  # fmt: skip
        return (
            essms_id, usager_id, transmission_id, kind, observed, None, "", rng.choice(EVENT_PLACES),
            rng.choice(("En se levant seul(e) la nuit", "En marchant sans aide technique", "Glissade sur sol mouillé")),
            rng.choice(("Aucune lésion", "Hématome", "Douleur à la hanche, radio demandée")), "",
            rng.choice(("faible", "faible", "moyenne", "grave")), author_id,
        )  # fmt: skip

    def receipts(self, e, rows, versions, model, now) -> None:
        """The first IDE and aide-soignant(e) (the benchmark's users) read most of the last month."""
        readers = [*e.staff.get(Metier.IDE, [])[:2], *e.staff.get(Metier.AIDE_SOIGNANT, [])[:1]]
        since = now - datetime.timedelta(days=30)
        unread_after = now - datetime.timedelta(hours=12)
        current = [r for r in rows if r[19]] + versions
        recent = [r for r in current if since <= r[11] < unread_after]
        receipts = [
            (user.pk, row[0], e.essms.pk, min(row[12] + datetime.timedelta(hours=self.rng.randint(1, 48)), now))
            for user in dict.fromkeys(readers)
            for row in recent
            if self.rng.random() < 0.9
        ]
        self.write(model, ("user_id", "transmission_id", "essms_id", "read_at"), receipts)
