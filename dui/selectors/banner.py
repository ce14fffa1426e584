"""The patient banner: who this is and what must not be missed, on every page about one person.

Built for one person or a whole worklist in a fixed number of queries: the placements
covering the day (room, unit), the active allergies. Each part shows only when the user's
métier may read its class (photo, séjours, allergies, each flag's class); a hidden part is
left out, never shown as "none".
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Q, Value
from django.utils import timezone

from dui import audit
from dui.catalogue import READ
from dui.models import Allergy, AllergyStatement, Placement, Usager
from dui.models.medical import AllergySeverity
from dui.permissions import active_membership, can
from dui.selectors import access_usager
from dui.selectors.medical import FLAG_CLASSES, DossierSection

ALLERGY_CLASS = Allergy.document_class_code
PLACEMENT_CLASS = "sejours"
PHOTO_CLASS = "photo"

# Alert flags held on the dossier, in the order the banner shows them, with the badge level:
# "danger" (red) must stop a gesture, "warn" (amber) changes how care is given.
ALERTS: tuple[tuple[str, str, str], ...] = (
    ("isolation_bmr", "Isolement BMR", "danger"),
    ("swallowing_disorder", "Fausse route", "danger"),
    ("fall_risk", "Risque de chute", "warn"),
    ("palliative_care", "Soins palliatifs", "warn"),
    ("has_advance_directives", "Directives anticipées", "info"),
)
# What the banner reads on the person: lists that load persons with few fields get the rest in one query.
BANNER_FIELDS = (
    "birth_name",
    "first_names",
    "used_name",
    "used_first_name",
    "birth_date",
    "photo",
    *(code for code, _label, _level in ALERTS),
)
ALLERGIES_UNKNOWN = "Allergies : non renseigné"
NO_KNOWN_ALLERGY = "Aucune allergie connue"
BANNER_DETAIL = "bandeau patient"
_SEVERITY_LABELS = dict(AllergySeverity.choices)


@dataclass(frozen=True)
class BannerAllergy:
    substance: str
    severity: str

    @property
    def severity_label(self) -> str:
        return _SEVERITY_LABELS.get(self.severity, "gravité non précisée")

    @property
    def is_severe(self) -> bool:
        return self.severity == AllergySeverity.SEVERE


@dataclass(frozen=True)
class BannerAlert:
    code: str
    label: str
    level: str


@dataclass
class Banner:
    usager: Usager
    age: int
    photo_url: str = ""
    room: str | None = None  # None: séjours not readable; "" no room
    unit_name: str | None = None
    # None: the métier may not read allergies; [] none recorded ("non renseigné").
    allergies: list[BannerAllergy] | None = None
    # The day someone stated "aucune allergie connue" (still in force), when no allergy is recorded.
    no_known_allergy_on: datetime.date | None = None
    alerts: list[BannerAlert] = field(default_factory=list)

    @property
    def name_in_use(self) -> str:
        return str(self.usager)

    @property
    def birth_name(self) -> str:
        """Shown when the name in use differs (identitovigilance: both names on every screen)."""
        return self.usager.birth_name

    @property
    def shows_birth_name(self) -> bool:
        used = self.usager.used_name
        return bool(used) and used.casefold() != self.usager.birth_name.casefold()

    @property
    def initials(self) -> str:
        usager = self.usager
        first = (usager.used_first_name or usager.first_names or "?")[:1]
        last = (usager.used_name or usager.birth_name or "?")[:1]
        return f"{first}{last}".upper()

    @property
    def has_severe_allergy(self) -> bool:
        return any(allergy.is_severe for allergy in self.allergies or [])

    @property
    def allergies_unknown(self) -> bool:
        return self.allergies == []

    @property
    def allergies_unknown_text(self) -> str:
        """An explicit, dated "aucune allergie connue" is not the same as nothing entered."""
        if self.no_known_allergy_on is not None:
            return f"{NO_KNOWN_ALLERGY} (au {self.no_known_allergy_on:%d/%m/%Y})"
        return ALLERGIES_UNKNOWN

    def as_dict(self) -> dict:
        """The API form of the banner (same parts, same rights)."""
        return {
            "usager": self.usager.pk,
            "name_in_use": self.name_in_use,
            "birth_name": self.birth_name,
            "age": self.age,
            "photo_url": self.photo_url or None,
            "room": self.room,
            "unit": self.unit_name,
            "allergies": None
            if self.allergies is None
            else [
                {"substance": a.substance, "severity": a.severity or None, "is_severe": a.is_severe}
                for a in self.allergies
            ],
            "no_known_allergy_on": self.no_known_allergy_on,
            "alerts": [{"code": a.code, "label": a.label, "level": a.level} for a in self.alerts],
        }


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def _readable_check(actor, own_essms_id: int | None):
    """Whether the actor may read a class of a person's dossier. For the active ESSMS the answer is
    the matrix's, the same for every person: decided once per class, not per person (a worklist
    asks it six times for each of 40 persons). A granted dossier of another ESSMS asks `can` on it."""
    own: dict[str, bool] = {}

    def readable(usager: Usager, code: str) -> bool:
        if usager.essms_id != own_essms_id:
            return can(actor, READ, DossierSection(usager, code))
        if code not in own:
            own[code] = can(actor, READ, code)
        return own[code]

    return readable


def _load_deferred(usagers: list[Usager]) -> None:
    """Fill the banner fields a light list left deferred, in one query for all (never one per person)."""
    missing = {name for usager in usagers for name in usager.get_deferred_fields()} & set(BANNER_FIELDS)
    if not missing:
        return
    names = sorted(missing)
    rows = {row["pk"]: row for row in Usager.objects.filter(pk__in=[u.pk for u in usagers]).values("pk", *names)}
    for usager in usagers:
        row = rows.get(usager.pk, {})
        for name in names:
            if name in row:
                setattr(usager, name, row[name])


def banners_for(
    actor, *, usagers, on_date: datetime.date | None = None, rooms: dict[int, tuple[str, str]] | None = None
) -> dict[int, Banner]:
    """Banners of already reachable persons (scoped by the caller), keyed by person id.

    Two queries whatever the number of persons (placements of the day, active allergies),
    plus the matrix row read once per request. A list that already knows each person's
    (room, unit name) passes `rooms` and saves the placements query.
    """
    usagers = list(usagers)
    day = on_date or timezone.localdate()
    membership = active_membership(actor)
    if membership is None or not usagers:
        return {}
    readable = _readable_check(actor, membership.essms_id)
    _load_deferred(usagers)
    banners: dict[int, Banner] = {}
    placement_ids, allergy_ids = [], []
    for usager in usagers:
        banner = Banner(usager=usager, age=age_on(usager.birth_date, day))
        if usager.photo and readable(usager, PHOTO_CLASS):
            banner.photo_url = usager.photo.url
        for code, label, level in ALERTS:
            if getattr(usager, code) and readable(usager, FLAG_CLASSES[code]):
                banner.alerts.append(BannerAlert(code, label, level))
        if readable(usager, PLACEMENT_CLASS):
            if rooms is not None and usager.pk in rooms:
                banner.room, banner.unit_name = rooms[usager.pk]
            else:
                placement_ids.append(usager.pk)
        if readable(usager, ALLERGY_CLASS):
            banner.allergies = []
            allergy_ids.append(usager.pk)
        banners[usager.pk] = banner
    if placement_ids:
        placements = (
            Placement.objects.filter(usager_id__in=placement_ids, starts_on__lte=day)
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
            .select_related("unit")
            .only("usager_id", "essms_id", "room", "unit__name", "starts_on")
            .order_by("usager_id", "-starts_on", "-id")
        )
        for placement in placements:
            banner = banners[placement.usager_id]
            if banner.room is None and placement.essms_id == banner.usager.essms_id:
                banner.room, banner.unit_name = placement.room, placement.unit.name
    if allergy_ids:
        # One query: the active allergies and, in the same answer, any "aucune allergie connue" in force.
        allergies = (
            Allergy.objects.filter(usager_id__in=allergy_ids, ended_at__isnull=True)
            .annotate(statement=Value(False))
            .order_by()
            .values_list("usager_id", "essms_id", "substance", "severity", "statement", "created_at")
        )
        statements = (
            AllergyStatement.objects.filter(usager_id__in=allergy_ids, ended_at__isnull=True)
            .annotate(substance=Value(""), severity=Value(""), statement=Value(True))
            .order_by()
            .values_list("usager_id", "essms_id", "substance", "severity", "statement", "created_at")
        )
        for usager_id, essms_id, substance, severity, statement, created_at in allergies.union(statements, all=True):
            banner = banners[usager_id]
            if essms_id != banner.usager.essms_id:
                continue
            if statement:
                banner.no_known_allergy_on = timezone.localtime(created_at).date()
            else:
                banner.allergies.append(BannerAllergy(substance, severity))
        for banner in banners.values():
            if banner.allergies:
                banner.no_known_allergy_on = None  # an allergy recorded ends the statement
                # Severe first: the one a nurse must see before anything else.
                banner.allergies.sort(key=lambda a: (not a.is_severe, a.substance.casefold()))
    return banners


def banner_for(actor, *, usager: Usager, on_date: datetime.date | None = None) -> Banner | None:
    """`actor`: the Actor (or the user) the banner is shown to."""
    return banners_for(actor, usagers=[usager], on_date=on_date).get(usager.pk)


def banner_page(actor, pk) -> Banner:
    """The banner of one reachable person, what it shows logged as read (the person and each part)."""
    usager = access_usager(actor, pk)
    banner = banner_for(actor, usager=usager)
    audit.log_reads(actor, [usager, *banner_sections(banner)], detail=BANNER_DETAIL)
    return banner


def banner_sections(banner: Banner) -> list[DossierSection]:
    """What a shown banner reveals, for the access log: its allergies and the class of each alert shown."""
    codes = [ALLERGY_CLASS] if banner.allergies is not None else []
    for alert in banner.alerts:
        if FLAG_CLASSES[alert.code] not in codes:
            codes.append(FLAG_CLASSES[alert.code])
    return [DossierSection(banner.usager, code) for code in codes]
