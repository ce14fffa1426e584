"""Scale data: the entourage (contacts, protection measures), referents and medical basics
(antecedents, allergies, treatments, AGGIR, life notes) of a person."""

import datetime

from demo.scale.base import _address, _phone, _weighted, ascii_slug
from demo.scale.profiles import _Establishment
from dui.models import (
    AggirEvaluation,
    Allergy,
    Antecedent,
    Contact,
    ContactRole,
    LifeNote,
    LifeNoteKind,
    Metier,
    ProtectionMeasure,
    Referent,
    ReferentRole,
    Treatment,
    Usager,
)

ALLERGENS = (
    ("Pénicilline", "Éruption cutanée", "moderee"), ("Iode", "Urticaire", "moderee"),
    ("Arachide", "Œdème de Quincke", "severe"), ("Lactose", "Troubles digestifs", "legere"),
    ("Aspirine", "Bronchospasme", "severe"), ("Latex", "Eczéma de contact", "legere"),
    ("Gluten", "Intolérance digestive", "legere"), ("Pollens de graminées", "Rhinite", "legere"),
    ("Sulfamides", "Érythème", "moderee"), ("Fruits à coque", "Prurit buccal", "moderee"),
)  # fmt: skip
TREATMENTS = (
    "Paracétamol 1 g — 3 fois par jour si douleur", "Amlodipine 5 mg — 1 cp le matin",
    "Metformine 850 mg — matin et soir", "Lévothyroxine 75 µg — 1 cp à jeun", "Furosémide 40 mg — 1 cp le matin",
    "Apixaban 2,5 mg — matin et soir", "Donépézil 10 mg — 1 cp le soir", "Oméprazole 20 mg — 1 gél. le matin",
    "Macrogol 4000 — 1 sachet par jour", "Vitamine D 100 000 UI — 1 ampoule tous les 3 mois",
    "Valproate de sodium 500 mg — matin et soir", "Rispéridone 1 mg — 1 cp le soir",
    "Mélatonine 2 mg — 1 cp au coucher", "Lévétiracétam 500 mg — matin et soir", "Sertraline 50 mg — 1 cp le matin",
    "Bisoprolol 2,5 mg — 1 cp le matin", "Atorvastatine 20 mg — 1 cp le soir", "Calcium 500 mg — midi",
)  # fmt: skip
HABITS = (
    ("Réveil", "Aime se lever tôt, vers 6 h 30, et prendre son café avant la toilette."),
    ("Toilette", "Préfère la douche le soir ; a besoin d'aide pour le dos et les pieds."),
    ("Repas", "Mange seul(e) si l'assiette est prédécoupée ; apprécie la soupe le soir."),
    ("Sommeil", "Se couche vers 21 h ; veilleuse allumée, porte entrouverte."),
    ("Habillement", "Choisit ses vêtements la veille avec l'équipe."),
    ("Sieste", "Sieste d'une heure après le déjeuner, dans le fauteuil."),
    ("Communication", "Comprend mieux les phrases courtes ; utilise quelques pictogrammes."),
)  # fmt: skip
INTERESTS = (
    ("Jardinage", "Aime s'occuper des tomates et des fleurs du potager."),
    ("Musique", "Chansons françaises : Brassens, Piaf, Aznavour."),
    ("Jeux de cartes", "Belote l'après-midi avec les autres résidents."),
    ("Cuisine", "Participe volontiers à l'atelier pâtisserie."),
    ("Sport", "Marche, piscine une fois par semaine."),
    ("Animaux", "Très attaché(e) au chat de l'établissement."),
    ("Lecture", "Journal local tous les matins ; romans en gros caractères."),
    ("Dessin", "Peinture et coloriage, expose ses œuvres au couloir."),
)  # fmt: skip
EXTERNAL_PROS = ("Kinésithérapeute", "Orthophoniste", "Pédicure-podologue", "Psychiatre", "Orthoptiste")


class EntourageMixin:
    """Part of Generator: around the person."""

    def entourage(self, e: _Establishment, usager: Usager, fate: str) -> None:
        rng, profile = self.rng, e.profile
        family_name = (usager.used_name or usager.birth_name).title()
        rows = []
        if rng.random() < 0.9:
            rows.append(
                Contact(
                    role=ContactRole.MEDECIN_TRAITANT,
                    last_name=self.surname(),
                    first_name=self.first_name("adult", rng.choice("FM")),
                    relationship="Médecin généraliste",
                    phone=_phone(rng, mobile=False),
                    address=_address(rng),
                    rpps=self.rpps(),
                )
            )
        if profile.generation == "child":
            for relationship, sex in (("Mère", "F"), ("Père", "M")):
                if rng.random() < 0.85:
                    rows.append(
                        Contact(
                            role=ContactRole.REPRESENTANT_LEGAL,
                            last_name=family_name if rng.random() < 0.8 else self.surname(),
                            first_name=self.first_name("adult", sex),
                            relationship=relationship,
                            phone=_phone(rng),
                            email=f"{ascii_slug(family_name)}.{rng.randint(1, 999)}@exemple.fr",
                            address=_address(rng),
                            is_emergency_contact=True,
                        )
                    )
        else:
            if rng.random() < 0.7:
                relationship, sex = rng.choice(
                    (("Fille", "F"), ("Fils", "M"), ("Nièce", "F"), ("Époux", "M"), ("Sœur", "F"))
                )
                rows.append(
                    Contact(
                        role=ContactRole.PERSONNE_CONFIANCE,
                        last_name=family_name if rng.random() < 0.6 else self.surname(),
                        first_name=self.first_name("adult", sex),
                        relationship=relationship,
                        phone=_phone(rng),
                        address=_address(rng),
                        is_emergency_contact=True,
                    )
                )
            protected = rng.random() < (0.2 if profile.generation == "elderly" else 0.6)
            if protected:
                measure = str(
                    _weighted(
                        rng,
                        (
                            (ProtectionMeasure.TUTELLE, 0.4),
                            (ProtectionMeasure.CURATELLE_RENFORCEE, 0.25),
                            (ProtectionMeasure.CURATELLE, 0.15),
                            (ProtectionMeasure.HABILITATION_FAMILIALE, 0.12),
                            (ProtectionMeasure.SAUVEGARDE_JUSTICE, 0.04),
                            (ProtectionMeasure.MANDAT_PROTECTION_FUTURE, 0.04),
                        ),
                    )
                )
                by_family = measure in {
                    ProtectionMeasure.HABILITATION_FAMILIALE,
                    ProtectionMeasure.MANDAT_PROTECTION_FUTURE,
                }
                rows.append(
                    Contact(
                        role=ContactRole.REPRESENTANT_LEGAL,
                        last_name=family_name if by_family else "UDAF du Puy-de-Dôme",
                        first_name=self.first_name("adult", rng.choice("FM")) if by_family else "",
                        relationship="Famille" if by_family else "Mandataire judiciaire",
                        phone=_phone(rng, mobile=by_family),
                        address=_address(rng),
                        protection_measure=measure,
                        protection_until=self.today + datetime.timedelta(days=rng.randint(-200, 1800)),
                    )
                )
        for _ in range(rng.choice((0, 1, 1, 2))):
            relationship, sex = rng.choice((("Petite-fille", "F"), ("Neveu", "M"), ("Frère", "M"), ("Cousine", "F")))
            rows.append(
                Contact(
                    role=rng.choice((ContactRole.FAMILLE, ContactRole.FAMILLE, ContactRole.AIDANT)),
                    last_name=family_name if rng.random() < 0.5 else self.surname(),
                    first_name=self.first_name("adult", sex),
                    relationship=relationship,
                    phone=_phone(rng),
                )
            )
        if rng.random() < 0.25:
            rows.append(
                Contact(
                    role=ContactRole.PROFESSIONNEL_EXTERNE,
                    last_name=self.surname(),
                    first_name=self.first_name("adult", rng.choice("FM")),
                    relationship=rng.choice(EXTERNAL_PROS),
                    phone=_phone(rng, mobile=False),
                    rpps=self.rpps(),
                )
            )
        for contact in rows:
            contact.essms = e.essms
            contact.usager = usager
            self.queue(contact)

    def referents(self, e: _Establishment, usager: Usager, admitted: datetime.date) -> None:
        pool = [user for metier in e.profile.referent_metiers for user in e.staff.get(metier, [])]
        if not pool:
            return
        chosen = self.rng.sample(pool, min(2, len(pool)))
        roles = (ReferentRole.REFERENT, ReferentRole.SUPPLEANT)
        for user, role in zip(chosen, roles, strict=False):
            if role == ReferentRole.SUPPLEANT and self.rng.random() < 0.4:
                continue
            self.queue(
                Referent(
                    essms=e.essms,
                    usager=usager,
                    user=user,
                    role=role,
                    starts_on=self.day_between(admitted, min(admitted + datetime.timedelta(days=60), self.today)),
                )
            )

    def medical(self, e, usager, fate, first_admission, last_day) -> None:
        rng, profile = self.rng, e.profile
        doctor = self.staff_member(e, Metier.MEDECIN_COORDONNATEUR, Metier.MEDECIN, Metier.IDE)
        nurse = self.staff_member(e, Metier.IDE, Metier.CADRE_SANTE)
        common = {"essms": e.essms, "usager": usager}
        closed = self.at(last_day, 18) if fate in {"exited", "abandoned"} else None
        count = rng.randint(2, 6) if profile.generation == "elderly" else rng.randint(1, 3)
        for label, kind in rng.sample(profile.antecedents, min(count, len(profile.antecedents))):
            year = rng.randint(max(usager.birth_date.year, first_admission.year - 40), first_admission.year)
            self.queue(Antecedent(**common, label=label, kind=kind, year=year, created_by=doctor))
        for substance, reaction, severity in rng.sample(ALLERGENS, rng.choices((0, 1, 2), weights=(0.6, 0.3, 0.1))[0]):
            self.queue(Allergy(**common, substance=substance, reaction=reaction, severity=severity, created_by=nurse))
        for line in rng.sample(TREATMENTS, rng.randint(0, 6 if profile.generation == "elderly" else 3)):
            started = self.day_between(first_admission - datetime.timedelta(days=700), last_day)
            ended_at = closed
            if ended_at is None and rng.random() < 0.15:  # stopped since
                ended_at = self.at(self.day_between(started, last_day), 18)
            self.queue(Treatment(**common, line=line, started_on=started, created_by=doctor, ended_at=ended_at))
        if profile.aggir and fate != "abandoned":
            evaluations = 1 + min(3, (last_day - first_admission).days // 365)
            gir = rng.choices(range(1, 7), weights=(0.15, 0.3, 0.2, 0.25, 0.05, 0.05))[0]
            for index in range(evaluations):
                day = min(first_admission + datetime.timedelta(days=365 * index + rng.randint(0, 30)), last_day)
                self.queue(
                    AggirEvaluation(
                        **common,
                        gir=gir,
                        evaluated_on=day,
                        evaluator=f"Dr {doctor.last_name}",
                        created_by=doctor,
                    )
                )
                gir = max(1, gir - (1 if rng.random() < 0.35 else 0))
        if fate != "abandoned":
            for kind, pool, count in (
                (LifeNoteKind.HABITUDES, HABITS, rng.randint(1, 3)),
                (LifeNoteKind.INTERETS, INTERESTS, rng.randint(0, 2)),
            ):
                for topic, text in rng.sample(pool, count):
                    self.queue(LifeNote(**common, kind=kind, topic=topic, text=text, created_by=nurse, ended_at=closed))
