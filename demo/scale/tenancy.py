"""Scale data: organismes gestionnaires, ESSMS with their default matrix, units, professionals and
their memberships."""

import datetime
import math
import time
from collections import defaultdict

from demo.scale.base import TableStat
from demo.scale.profiles import ESSMS_PER_OG, KIND_CYCLE, OG_NAMES, OG_STAFF, PROFILES, _Establishment
from dui.models import Essms, Membership, Metier, OrganismeGestionnaire, Unit, User
from dui.services import habilitations_fill_defaults


class TenancyMixin:
    """Part of Generator: the organisation before any person."""

    def organisation(self) -> list[_Establishment]:
        og_count = max(1, math.ceil(self.essms_count / ESSMS_PER_OG))
        ogs = []
        for index in range(og_count):
            name = OG_NAMES[index % len(OG_NAMES)]
            if index >= len(OG_NAMES):
                name = f"{name} ({index // len(OG_NAMES) + 1})"
            ogs.append(OrganismeGestionnaire(name=name, finess_juridique=self.new_finess()))
        self.insert(OrganismeGestionnaire, ogs)
        self.report.og_names = [og.name for og in ogs]

        used_places: dict[str, int] = defaultdict(int)
        essms_rows, profiles = [], []
        for index in range(self.essms_count):
            profile = PROFILES[KIND_CYCLE[index % len(KIND_CYCLE)]]
            place_index = used_places[profile.kind]
            used_places[profile.kind] += 1
            place = profile.places[place_index % len(profile.places)]
            if place_index >= len(profile.places):
                place = f"{place} {place_index // len(profile.places) + 1}"
            essms_rows.append(
                Essms(
                    og=ogs[index * og_count // self.essms_count],
                    name=f"{profile.label} {place}",
                    finess=self.new_finess(),
                    kind=profile.kind,
                    capacity=math.ceil(self.persons / 0.95),
                )
            )
            profiles.append(profile)
        self.insert(Essms, essms_rows)
        started = time.perf_counter()
        matrix_rows = sum(habilitations_fill_defaults(og=og) for og in ogs)
        stat = self.report.tables.setdefault("Habilitation", TableStat())
        stat.rows += matrix_rows
        stat.seconds += time.perf_counter() - started

        unit_rows = []
        units_of: dict[int, list[Unit]] = {}
        for essms, profile in zip(essms_rows, profiles, strict=True):
            names = self.rng.sample(profile.units, min(len(profile.units), self.rng.randint(3, 6)))
            units_of[id(essms)] = [Unit(essms=essms, name=name) for name in names]
            unit_rows.extend(units_of[id(essms)])
        self.insert(Unit, unit_rows)

        users, memberships = [], []
        staff_of: dict[int, dict[str, list[User]]] = {}
        for essms, profile in zip(essms_rows, profiles, strict=True):
            staff: dict[str, list[User]] = defaultdict(list)
            for metier, per_hundred, minimum in profile.staff:
                count = max(minimum, round(per_hundred * self.persons / 100))
                for _ in range(count):
                    user = self.professional()
                    users.append(user)
                    staff[metier].append(user)
                    memberships.append(self.membership(user, essms, metier))
            staff_of[id(essms)] = staff
        for og in ogs:
            og_essms = [e for e in essms_rows if e.og is og]
            for metier in OG_STAFF:
                user = self.professional()
                users.append(user)
                for essms in og_essms:
                    memberships.append(self.membership(user, essms, metier, ended=False))
                    staff_of[id(essms)][metier].append(user)
            # A few professionals shared by two ESSMS of the OG (psychologue, médecin).
            for essms in og_essms:
                sibling = self.rng.choice(og_essms)
                for metier in (Metier.PSYCHOLOGUE, Metier.MEDECIN):
                    if sibling is not essms and staff_of[id(essms)].get(metier) and self.rng.random() < 0.3:
                        user = staff_of[id(essms)][metier][0]
                        memberships.append(self.membership(user, sibling, metier, ended=False))
        self.insert(User, users)
        self.insert(Membership, memberships)

        return [
            _Establishment(
                essms=essms, profile=profile, units=units_of[id(essms)], staff=staff_of[id(essms)], persons=self.persons
            )
            for essms, profile in zip(essms_rows, profiles, strict=True)
        ]

    def professional(self) -> User:
        sex = "F" if self.rng.random() < 0.75 else "M"
        first, last = self.first_name("adult", sex), self.surname()
        return User(
            username=self.new_username(first, last),
            first_name=first,
            last_name=last,
            password=self.password_hash,
            rpps=self.rpps() if self.rng.random() < 0.2 else "",
            date_joined=self.at(self.window_start),
        )

    def membership(self, user: User, essms: Essms, metier: str, *, ended: bool | None = None) -> Membership:
        starts = self.day_between(self.window_start - datetime.timedelta(days=3650), self.today)
        if ended is None:
            ended = self.rng.random() < 0.04
        ends_at = self.at(self.day_between(starts, self.today - datetime.timedelta(days=1))) if ended else None
        return Membership(user=user, essms=essms, metier=metier, starts_at=self.at(starts, 8), ends_at=ends_at)

    def staff_member(self, e: _Establishment, *metiers: str) -> User:
        for metier in metiers:
            if e.staff.get(metier):
                return self.rng.choice(e.staff[metier])
        return self.rng.choice(e.staff[Metier.DIRECTION])
