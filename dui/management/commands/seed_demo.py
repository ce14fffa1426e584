"""Demo data: one organisme gestionnaire, an EHPAD and an IME, their units, staff and usagers.

Idempotent: every object is looked up by its natural key first, so a second run creates
nothing and never resets a password that was changed since.
"""

import datetime

from django.contrib.auth.password_validation import validate_password
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from dui import demo_alerts, demo_medical, demo_registry
from dui.demo_ward import seed_ward
from dui.models import (
    Antecedent,
    Essms,
    EssmsKind,
    Membership,
    Metier,
    Modality,
    OrganismeGestionnaire,
    Unit,
    Usager,
    User,
)
from dui.services import essms_create, membership_create, og_create, sync_document_classes, unit_create
from dui.services.medical import antecedent_add
from dui.services.sejours import sejour_admit, sejour_open_pre_admission
from ppa.demo import care as demo_care
from ppa.demo import evaluations as demo_evaluations
from ppa.demo import medication as demo_medication
from ppa.demo import projects as demo_projects

# Published on purpose (README, command output); set only when a demo account is created.
DEMO_PASSWORD = "Demo-DUI-2026!"  # noqa: S105

OG = {"name": "Association Les Cèdres", "finess_juridique": "630000529"}

ESSMS = {
    "ehpad": {
        "name": "EHPAD Les Cèdres",
        "finess": "630781227",
        "kind": EssmsKind.EHPAD,
        "capacity": 90,
        "units": ["Unité Glycine", "Unité Lilas", "UVP Les Iris"],
    },
    "ime": {
        "name": "IME Les Peupliers",
        "finess": "630786754",
        "kind": EssmsKind.IME,
        "capacity": 60,
        "units": ["Internat", "Semi-internat", "Atelier Horticulture"],
    },
}

# (username, first name, last name, métier, establishments)
ACCOUNTS = [
    ("ehpad.direction", "Hélène", "Marchand", Metier.DIRECTION, ["ehpad"]),
    ("ehpad.cadre_sante", "Sophie", "Girard", Metier.CADRE_SANTE, ["ehpad"]),
    ("ehpad.medecin_coordonnateur", "Philippe", "Rousseau", Metier.MEDECIN_COORDONNATEUR, ["ehpad"]),
    ("ehpad.ide", "Julie", "Bernard", Metier.IDE, ["ehpad"]),
    ("ehpad.aide_soignant", "Karim", "Benali", Metier.AIDE_SOIGNANT, ["ehpad"]),
    ("ehpad.ash", "Sandrine", "Petit", Metier.ASH, ["ehpad"]),
    ("ehpad.psychologue", "Claire", "Fontaine", Metier.PSYCHOLOGUE, ["ehpad"]),
    ("ehpad.animateur", "Thomas", "Lemoine", Metier.ANIMATEUR, ["ehpad"]),
    ("ehpad.secretaire_medicale", "Nadia", "Haddad", Metier.SECRETAIRE_MEDICALE, ["ehpad"]),
    ("ehpad.medecin", "Antoine", "Lefort", Metier.MEDECIN, ["ehpad"]),
    ("ehpad.pharmacien", "Valérie", "Caron", Metier.PHARMACIEN, ["ehpad"]),
    ("ime.direction", "Laurent", "Perrin", Metier.DIRECTION, ["ime"]),
    ("ime.cadre_sante", "Isabelle", "Roux", Metier.CADRE_SANTE, ["ime"]),
    ("ime.educateur", "Mathieu", "Garnier", Metier.EDUCATEUR, ["ime"]),
    ("ime.enseignant", "Aurélie", "Chevalier", Metier.ENSEIGNANT, ["ime"]),
    ("ime.ide", "Émilie", "Faure", Metier.IDE, ["ime"]),
    ("ime.psychologue", "Nicolas", "Blanc", Metier.PSYCHOLOGUE, ["ime"]),
    ("ime.animateur", "Yasmine", "Mercier", Metier.ANIMATEUR, ["ime"]),
    ("ime.secretaire_medicale", "Céline", "Lambert", Metier.SECRETAIRE_MEDICALE, ["ime"]),
    ("ime.assistant_social", "Marion", "Dupuis", Metier.ASSISTANT_SOCIAL, ["ime"]),
    ("og.direction", "François", "Morel", Metier.DIRECTION, ["ehpad", "ime"]),
    ("og.dpo", "Anne", "Lefort", Metier.DPO, ["ehpad", "ime"]),
    ("og.administrateur", "Olivier", "Renaud", Metier.ADMINISTRATEUR, ["ehpad", "ime"]),
]

# (birth name, first names, used name, used first name, birth date, sex)
USAGERS = {
    "ehpad": [
        ("MOREAU", "Marthe Louise", "LEFEBVRE", "", datetime.date(1934, 3, 14), "F"),
        ("DUBOIS", "Henri Marcel", "", "", datetime.date(1931, 11, 2), "M"),
        ("GAUTHIER", "Suzanne Jeanne", "ROBERT", "Suzy", datetime.date(1938, 7, 25), "F"),
        ("FOURNIER", "Jean Pierre", "", "", datetime.date(1940, 1, 9), "M"),
        ("MARTIN", "Yvonne Marie", "BONNET", "", datetime.date(1929, 5, 30), "F"),
    ],
    "ime": [
        ("NGUYEN", "Lucas Minh", "", "", datetime.date(2012, 9, 18), "M"),
        ("DIALLO", "Aïssata", "", "", datetime.date(2010, 4, 6), "F"),
        ("LEROY", "Théo Antoine", "", "", datetime.date(2013, 2, 21), "M"),
        ("MICHEL", "Inès Sarah", "", "", datetime.date(2009, 12, 3), "F"),
        ("DA SILVA", "Enzo", "", "", datetime.date(2011, 6, 15), "M"),
    ],
}


# The EHPAD résident whose dossier records epilepsy: the seizure form is offered for him only there
# (dui.essms_kinds), while every child of the IME has it.
EPILEPSY_DEMO = ("ehpad", "DUBOIS", "Épilepsie généralisée", 1998)

# How long ago each demo person was admitted (days), in turn: projects due, overdue and up to date.
ADMISSION_AGES_DAYS = (700, 400, 200, 150, 40)

# (label in the report, seed function) of the projet personnalisé, soins and médicaments areas.
PPA_DEMO = (
    ("allergies", demo_medical.seed),
    ("prescriptions", demo_medication.seed),
    ("plan de soins", demo_care.seed),
    ("évaluations", demo_evaluations.seed),
    ("projets personnalisés", demo_projects.seed),
    ("alertes du bandeau patient", demo_alerts.seed),
)


class Command(BaseCommand):
    help = "Crée (ou complète) les données de démonstration : organisme, EHPAD, IME, unités, comptes et usagers."

    def handle(self, *args, **options):
        created = {"organismes": 0, "ESSMS": 0, "unités": 0, "comptes": 0, "affectations": 0, "usagers": 0}
        created |= {"séjours": 0} | {area: 0 for area, _ in PPA_DEMO}
        created |= {"rendez-vous et documents": 0} | {area: 0 for area, _ in demo_registry.seeders()}
        with transaction.atomic():
            sync_document_classes()
            og = OrganismeGestionnaire.objects.filter(finess_juridique=OG["finess_juridique"]).first()
            if og is None:
                og = og_create(**OG)
                created["organismes"] += 1

            establishments: dict[str, Essms] = {}
            for key, spec in ESSMS.items():
                essms = Essms.objects.filter(finess=spec["finess"]).first()
                if essms is None:
                    essms = essms_create(
                        og=og, name=spec["name"], finess=spec["finess"], kind=spec["kind"], capacity=spec["capacity"]
                    )
                    created["ESSMS"] += 1
                establishments[key] = essms
                for unit_name in spec["units"]:
                    if not Unit.objects.filter(essms=essms, name=unit_name).exists():
                        unit_create(essms=essms, name=unit_name)
                        created["unités"] += 1

            for username, first_name, last_name, metier, keys in ACCOUNTS:
                user = User.objects.filter(username=username).first()
                if user is None:
                    user = User(username=username, first_name=first_name, last_name=last_name)
                    validate_password(DEMO_PASSWORD, user)
                    user.set_password(DEMO_PASSWORD)
                    user.full_clean()
                    user.save()
                    created["comptes"] += 1
                for key in keys:
                    essms = establishments[key]
                    if not Membership.objects.active().filter(user=user, essms=essms, metier=metier).exists():
                        membership_create(user=user, essms_finess=essms.finess, metier=metier)
                        created["affectations"] += 1

            for key, rows in USAGERS.items():
                essms = establishments[key]
                for birth_name, first_names, used_name, used_first_name, birth_date, sex in rows:
                    natural_key = {
                        "essms": essms,
                        "birth_name": birth_name,
                        "first_names": first_names,
                        "birth_date": birth_date,
                    }
                    if Usager.objects.filter(**natural_key).exists():
                        continue
                    usager = Usager(**natural_key, used_name=used_name, used_first_name=used_first_name, sex=sex)
                    usager.full_clean()
                    usager.save()
                    created["usagers"] += 1
                    created["séjours"] += self._admit(usager, key=key)

            created["antécédents"] = self._epilepsy(establishments)
            users = {user.username: user for user in User.objects.filter(username__in=[a[0] for a in ACCOUNTS])}
            for key in ("ehpad", "ime"):
                for area, seed_area in PPA_DEMO:
                    created[area] += seed_area(establishments[key], users)
                created["rendez-vous et documents"] += seed_ward(establishments[key], users)
                for area, seed_area in demo_registry.seeders():
                    created[area] += seed_area(establishments[key], users)

        self._report(created, establishments)

    def _admit(self, usager: Usager, *, key: str) -> int:
        """Admit a new demo person into a unit, admissions spread over the last two years."""
        essms = Essms.objects.get(pk=usager.essms_id)
        director = User.objects.get(username=f"{key}.direction")
        director.membership = Membership.objects.active().get(user=director, essms=essms)
        units = list(Unit.objects.filter(essms=essms).order_by("name"))
        position = Usager.objects.filter(essms=essms, pk__lt=usager.pk).count()
        age_days = ADMISSION_AGES_DAYS[position % len(ADMISSION_AGES_DAYS)]
        admitted_on = timezone.localdate() - datetime.timedelta(days=age_days)
        sejour = sejour_open_pre_admission(
            director, usager=usager, first_contact_on=admitted_on - datetime.timedelta(days=20)
        )
        sejour_admit(
            director,
            sejour=sejour,
            admitted_on=admitted_on,
            contract_signed_on=admitted_on,
            unit=units[position % len(units)],
            modality=Modality.HEBERGEMENT_PERMANENT if essms.kind == EssmsKind.EHPAD else Modality.INTERNAT,
            room=f"{101 + position}",
        )
        return 1

    def _epilepsy(self, establishments: dict[str, Essms]) -> int:
        key, birth_name, label, year = EPILEPSY_DEMO
        essms = establishments[key]
        usager = Usager.objects.filter(essms=essms, birth_name=birth_name).first()
        if usager is None or Antecedent.objects.filter(usager=usager, label=label).exists():
            return 0
        doctor = User.objects.get(username=f"{key}.medecin")
        doctor.membership = Membership.objects.active().get(user=doctor, essms=essms)
        antecedent_add(doctor, usager=usager, label=label, year=year)
        return 1

    def _report(self, created: dict[str, int], establishments: dict[str, Essms]) -> None:
        summary = ", ".join(f"{label} : {count}" for label, count in created.items())
        if any(created.values()):
            self.stdout.write(self.style.SUCCESS(f"Données de démonstration créées : {summary}."))
        else:
            self.stdout.write("Données de démonstration déjà présentes : rien à créer.")

        rows = [("Identifiant", "Nom", "Métier", "Établissement(s)")]
        labels = dict(Metier.choices)
        for username, first_name, last_name, metier, keys in ACCOUNTS:
            places = " + ".join(establishments[key].name for key in keys)
            rows.append((username, f"{first_name} {last_name}", labels[metier], places))
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]

        def line(row):
            return "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()

        self.stdout.write("")
        self.stdout.write("Comptes de démonstration")
        self.stdout.write(line(rows[0]))
        self.stdout.write("  ".join("-" * width for width in widths))
        for row in rows[1:]:
            self.stdout.write(line(row))
        self.stdout.write("")
        self.stdout.write(f"Mot de passe de tous les comptes (à la création) : {DEMO_PASSWORD}")
        self.stdout.write("")
        self.stdout.write("Numéros FINESS des établissements (jetons d'API : create_api_token --essms <FINESS>)")
        for essms in establishments.values():
            self.stdout.write(f"{essms.finess}  {essms.name}")
        first = next(iter(establishments.values()))
        self.stdout.write(f"Exemple : python manage.py create_api_token --essms {first.finess} --name essai")
