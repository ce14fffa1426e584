"""Scale data: the people of one ESSMS, their identity, séjours, placements, absences and Creton
decisions."""

import datetime

from demo.scale.base import BIRTH_PLACES, _add_years, _poisson, _weighted
from demo.scale.planning import DOCUMENT_SOURCES
from demo.scale.profiles import CHILDREN_KINDS, Profile, _Establishment
from dui.ins import IdentityProof, IdentityStatus, matricule_oid, search_key
from dui.models import (
    Absence,
    AbsenceKind,
    CretonDecision,
    EssmsKind,
    ExitReason,
    Metier,
    Placement,
    Sejour,
    SejourStatus,
    Unit,
    Usager,
)


class DossiersMixin:
    """Part of Generator: the persons accompanied and their séjours."""

    def people(self, e: _Establishment) -> None:
        profile = e.profile
        exited = round(e.persons * self.years * profile.exits_per_place_year)
        waiting = max(1, round(e.persons * 0.04))
        abandoned = max(1, round(e.persons * 0.02))
        for _ in range(e.persons):
            self.person(e, "current")
        for _ in range(exited):
            self.person(e, "exited")
        for _ in range(waiting):
            self.person(e, "waiting")
        for _ in range(abandoned):
            self.person(e, "abandoned")

    def person(self, e: _Establishment, fate: str) -> None:
        rng, profile, today = self.rng, e.profile, self.today
        # The séjours first, as (first contact, admission, end, exit reason); the last one decides the fate.
        periods: list[tuple[datetime.date, datetime.date | None, datetime.date | None, str]] = []
        if fate == "current":
            stay = min(rng.expovariate(1 / profile.mean_stay_years), profile.max_stay_years)
            admitted = today - datetime.timedelta(days=max(1, round(stay * 365.25)))
            periods.append((admitted, admitted, None, ""))
        elif fate == "exited":
            ended = self.day_between(self.window_start, today - datetime.timedelta(days=1))
            stay = min(rng.expovariate(1 / profile.mean_stay_years), profile.max_stay_years)
            admitted = ended - datetime.timedelta(days=max(7, round(stay * 365.25)))
            periods.append((admitted, admitted, ended, str(_weighted(rng, profile.exit_reasons))))
        elif fate == "waiting":
            contact = today - datetime.timedelta(days=rng.randint(3, 180))
            periods.append((contact, None, None, ""))
        else:  # a pré-admission abandoned
            contact = self.day_between(self.window_start, today - datetime.timedelta(days=60))
            ended = contact + datetime.timedelta(days=rng.randint(10, 50))
            periods.append((contact, None, ended, ExitReason.AUTRE))
        # Re-admissions: an earlier séjour that ended (never by death) before the first one.
        if fate in {"current", "exited"} and rng.random() < 0.08:
            first_admitted = periods[0][1]
            prior_end = first_admitted - datetime.timedelta(days=rng.randint(30, 500))
            prior_start = prior_end - datetime.timedelta(days=rng.randint(15, 700))
            reason = rng.choice((ExitReason.RETOUR_DOMICILE, ExitReason.HOSPITALISATION, ExitReason.AUTRE))
            periods.insert(0, (prior_start, prior_start, prior_end, reason))

        first_admission = next((p[1] for p in periods if p[1]), periods[0][0])
        usager = self.usager(e, fate, first_admission)
        self.queue(usager)
        last_open_day = today
        for index, (start, admitted, ended, reason) in enumerate(periods):
            first_contact = start - datetime.timedelta(days=rng.randint(10, 120)) if admitted else start
            if index > 0 and periods[index - 1][2] is not None:
                first_contact = max(first_contact, periods[index - 1][2] + datetime.timedelta(days=1))
            self.sejour(e, usager, first_contact, admitted, ended, reason)
            last_open_day = ended or today
        if fate in {"exited", "abandoned"}:
            usager.archived_at = self.at(last_open_day, 18)
        self.entourage(e, usager, fate)
        self.medical(e, usager, fate, first_admission, last_open_day)
        self.appointments(e, usager, fate, first_admission, last_open_day)
        self.identity_documents(e, usager, first_admission)
        if fate == "current":
            self.referents(e, usager, periods[-1][1])
        if profile.kind in CHILDREN_KINDS:
            self.creton(e, usager, last_open_day)

    def usager(self, e: _Establishment, fate: str, first_admission: datetime.date) -> Usager:
        rng, profile = self.rng, e.profile
        sex = "F" if rng.random() < profile.female_share else "M"
        low, high = profile.age_at_admission
        birth_date = first_admission - datetime.timedelta(days=rng.randint(low * 365, high * 365 + 364))
        generation = profile.generation
        count = rng.choices((1, 2, 3), weights=(0.35, 0.45, 0.2))[0]
        names: list[str] = []
        while len(names) < count:
            name = self.first_name(generation, sex)
            if name not in names:
                names.append(name)
        birth_name = self.surname().upper()
        used_name = ""
        if generation == "elderly" and sex == "F" and rng.random() < 0.7:
            used_name = self.surname().upper()
        used_first_name = names[1] if len(names) > 1 and rng.random() < 0.08 else ""
        birth_place = str(_weighted(rng, BIRTH_PLACES))
        status = str(
            _weighted(
                rng,
                (
                    (IdentityStatus.QUALIFIEE, 0.55),
                    (IdentityStatus.RECUPEREE, 0.2),
                    (IdentityStatus.VALIDEE, 0.1),
                    (IdentityStatus.PROVISOIRE, 0.15),
                ),
            )
        )
        if fate == "waiting" and status == IdentityStatus.QUALIFIEE:
            status = IdentityStatus.RECUPEREE
        retrieved = status in {IdentityStatus.RECUPEREE, IdentityStatus.QUALIFIEE}
        proved = status in {IdentityStatus.VALIDEE, IdentityStatus.QUALIFIEE}
        matricule = self.new_matricule(sex=sex, birth_date=birth_date, birth_place=birth_place) if retrieved else ""
        checked_on = max(first_admission - datetime.timedelta(days=rng.randint(0, 30)), birth_date)
        proofs = (
            (IdentityProof.CNI, 0.6),
            (IdentityProof.PASSEPORT, 0.15),
            (IdentityProof.TITRE_SEJOUR, 0.05),
            *(((IdentityProof.LIVRET_FAMILLE, 0.15),) if profile.kind == EssmsKind.EHPAD else ()),
        )
        is_current_elder = fate == "current" and profile.kind == EssmsKind.EHPAD
        return Usager(
            essms=e.essms,
            birth_name=birth_name,
            first_names=" ".join(names),
            used_name=used_name,
            used_first_name=used_first_name,
            birth_date=birth_date,
            sex=sex,
            birth_place_code=birth_place,
            ins_matricule=matricule,
            ins_oid=matricule_oid(matricule) if matricule else "",
            identity_status=status,
            identity_attribute="homonyme" if rng.random() < 0.005 else "",
            insi_retrieved_at=self.at(checked_on, 9) if retrieved else None,
            identity_proof=str(_weighted(rng, proofs)) if proved else "",
            identity_validated_at=self.at(checked_on, 11) if proved else None,
            identity_validated_by=self.staff_member(e, Metier.SECRETAIRE_MEDICALE, Metier.ACCUEIL) if proved else None,
            palliative_care=is_current_elder and rng.random() < 0.04,
            has_advance_directives=profile.generation == "elderly" and rng.random() < 0.25,
            search_text=search_key(birth_name, used_name, " ".join(names), used_first_name),
        )

    def sejour(self, e, usager, first_contact, admitted, ended, reason) -> None:
        rng = self.rng
        clerk = self.staff_member(e, Metier.SECRETAIRE_MEDICALE, Metier.ASSISTANT_DIRECTION, Metier.CADRE_SANTE)
        if admitted is None:
            status = SejourStatus.CANCELLED if ended else SejourStatus.PRE_ADMISSION
        else:
            status = SejourStatus.CLOSED if ended else SejourStatus.ACTIVE
        destination = ""
        if reason == ExitReason.TRANSFERT_ESSMS:
            destination = rng.choice(("EHPAD Les Jardins de Riom", "MAS Le Grand Chêne", "FAM La Prairie", "ESAT"))
        elif reason == ExitReason.RETOUR_DOMICILE:
            destination = "Domicile familial"
        elif reason == ExitReason.HOSPITALISATION:
            destination = rng.choice(DOCUMENT_SOURCES[:4])
        sejour = Sejour(
            essms=e.essms,
            usager=usager,
            status=status,
            first_contact_on=first_contact,
            admitted_on=admitted,
            contract_signed_on=(
                min(admitted + datetime.timedelta(days=rng.randint(0, 10)), ended or self.today) if admitted else None
            ),
            ended_on=ended,
            exit_reason=reason if ended else "",
            exit_destination=destination,
            created_by=clerk,
        )
        self.queue(sejour)
        self.document(e, usager, "pre_admission", first_contact, "Dossier de pré-admission", "Famille", clerk)
        if admitted is None:
            return
        self.document(e, usager, "contrat_sejour", sejour.contract_signed_on, "Contrat de séjour", "", clerk)
        last_day = ended or self.today
        self.placements(e, usager, sejour, admitted, ended, last_day)
        self.absences(e, usager, sejour, admitted, ended, last_day)

    def placements(self, e, usager, sejour, admitted, ended, last_day) -> None:
        rng, profile = self.rng, e.profile
        years = (last_day - admitted).days / 365.25
        changes = min(8, _poisson(rng, years * profile.changes_per_year))
        span = (last_day - admitted).days
        starts = sorted(
            {admitted + datetime.timedelta(days=rng.randint(1, span)) for _ in range(changes)} if span > 1 else ()
        )
        starts = [admitted, *starts]
        unit = rng.choice(e.units)
        modality = str(_weighted(rng, profile.modalities))
        room = self.room(profile, unit)
        author = self.staff_member(e, Metier.CADRE_SANTE, Metier.SECRETAIRE_MEDICALE)
        for index, start in enumerate(starts):
            if index > 0:
                change = rng.random()
                if change < 0.45 and len(e.units) > 1:
                    unit = rng.choice([u for u in e.units if u is not unit])
                    room = self.room(profile, unit)
                elif change < 0.8 and profile.rooms:
                    room = self.room(profile, unit, avoid=room)
                elif len(profile.modalities) > 1:
                    modality = rng.choice([m for m, _ in profile.modalities if m != modality])
                else:
                    unit = rng.choice([u for u in e.units if u is not unit]) if len(e.units) > 1 else unit
            end = starts[index + 1] - datetime.timedelta(days=1) if index + 1 < len(starts) else ended
            self.queue(
                Placement(
                    essms=e.essms,
                    sejour=sejour,
                    usager=usager,
                    unit=unit,
                    room=room,
                    modality=modality,
                    starts_on=start,
                    ends_on=end,
                    created_by=author,
                )
            )

    def room(self, profile: Profile, unit: Unit, avoid: str = "") -> str:
        if not profile.rooms:
            return ""
        while True:
            room = f"{self.rng.randint(1, 3)}{self.rng.randint(1, 40):02d}"
            if room != avoid:
                return room

    def absences(self, e, usager, sejour, admitted, ended, last_day) -> None:
        rng, profile = self.rng, e.profile
        years = (last_day - admitted).days / 365.25
        count = min(12, _poisson(rng, years * profile.absences_per_year))
        span = (last_day - admitted).days
        if span < 3:
            return
        author = self.staff_member(e, Metier.IDE, Metier.EDUCATEUR, Metier.SECRETAIRE_MEDICALE)
        drafts = []
        for _ in range(count):
            kind = str(_weighted(rng, profile.absence_kinds))
            length = {
                AbsenceKind.HOSPITALISATION: rng.randint(1, 21),
                AbsenceKind.VACANCES: rng.randint(2, 21),
            }.get(kind, rng.randint(1, 4))
            start = admitted + datetime.timedelta(days=rng.randint(1, span - 1))
            drafts.append((start, start + datetime.timedelta(days=length - 1), kind))
        # Some people are away right now (in hospital, mostly): an open absence.
        if ended is None and rng.random() < 0.03:
            start = self.today - datetime.timedelta(days=rng.randint(0, 10))
            if start > admitted:
                drafts.append((start, None, AbsenceKind.HOSPITALISATION))
        previous_end = admitted
        for start, end, kind in sorted(drafts, key=lambda d: d[0]):
            if start <= previous_end:
                continue
            if end is not None:
                end = min(end, last_day if ended else self.today - datetime.timedelta(days=1))
                if end < start:
                    continue
            self.queue(
                Absence(
                    essms=e.essms,
                    sejour=sejour,
                    usager=usager,
                    kind=kind,
                    starts_on=start,
                    ends_on=end,
                    comment="Hospitalisation au " + rng.choice(DOCUMENT_SOURCES[:4])
                    if kind == AbsenceKind.HOSPITALISATION
                    else "",
                    created_by=author,
                )
            )
            if kind == AbsenceKind.HOSPITALISATION and end is not None and rng.random() < 0.5:
                self.document(
                    e,
                    usager,
                    "cr_hospitalisation",
                    end,
                    "Compte rendu d'hospitalisation",
                    rng.choice(DOCUMENT_SOURCES[:4]),
                )
            if end is None:
                break
            previous_end = end

    def creton(self, e, usager, last_day) -> None:
        adult_on = _add_years(usager.birth_date, 20)
        if adult_on > last_day:
            return
        author = self.staff_member(e, Metier.ASSISTANT_SOCIAL, Metier.DIRECTION)
        decided = adult_on - datetime.timedelta(days=self.rng.randint(30, 120))
        while decided <= last_day:
            self.queue(
                CretonDecision(
                    essms=e.essms,
                    usager=usager,
                    decided_on=decided,
                    valid_until=_add_years(decided, 1),
                    orientation=self.rng.choice(("MAS", "FAM", "Foyer de vie", "ESAT avec foyer d'hébergement")),
                    comment="Dans l'attente d'une place en établissement pour adultes.",
                    created_by=author,
                )
            )
            decided = _add_years(decided, 1)
