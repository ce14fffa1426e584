"""The default cible catalogue for every existing organisme gestionnaire (entries it lacks only).

The list is frozen here as it was at this migration; new OGs get the current list from
transmissions.services.cibles.cibles_fill_defaults.
"""

import unicodedata

from django.db import migrations

DEFAULT_CIBLES = (
    ("Douleur", "douleur"),
    ("Chute", "mobilite"),
    ("Mobilité", "mobilite"),
    ("Contention", "mobilite"),
    ("Sommeil", "sommeil"),
    ("Alimentation", "alimentation"),
    ("Hydratation", "alimentation"),
    ("Fausse route", "alimentation"),
    ("Élimination", "elimination"),
    ("Agitation", "comportement"),
    ("Anxiété", "comportement"),
    ("Humeur", "comportement"),
    ("Comportement en groupe", "comportement"),
    ("Crise d'épilepsie", "soins"),
    ("Plaie / escarre", "soins"),
    ("Fièvre", "soins"),
    ("Troubles respiratoires", "soins"),
    ("Refus de soins", "soins"),
    ("Traitement", "soins"),
    ("Rendez-vous médical", "soins"),
    ("Fin de vie", "soins"),
    ("Toilette", "hygiene"),
    ("Confort", "hygiene"),
    ("Relations familiales", "famille"),
    ("Visite", "famille"),
    ("Activité", "vie_sociale"),
    ("Sortie", "vie_sociale"),
    ("Scolarité", "educatif"),
    ("Apprentissages et autonomie", "educatif"),
    ("Démarches administratives", "administratif"),
)


def _key(label: str) -> str:
    decomposed = unicodedata.normalize("NFKD", label)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def fill(apps, schema_editor):
    OrganismeGestionnaire = apps.get_model("dui", "OrganismeGestionnaire")
    Cible = apps.get_model("transmissions", "Cible")
    for og in OrganismeGestionnaire.objects.all():
        present = {_key(label) for label in Cible.objects.filter(og=og).values_list("label", flat=True)}
        Cible.objects.bulk_create(
            [Cible(og=og, label=label, theme=theme) for label, theme in DEFAULT_CIBLES if _key(label) not in present],
            ignore_conflicts=True,
        )


class Migration(migrations.Migration):
    dependencies = [("transmissions", "0002_transmission_search_fr")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
