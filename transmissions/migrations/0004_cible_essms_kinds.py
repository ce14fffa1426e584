import unicodedata

from django.db import migrations, models

import transmissions.models

# Frozen here (the catalogue data may change later): children's cibles at the time of this migration.
CHILDREN_KINDS = ["ime", "impro", "sessad", "camsp", "mecs"]
CHILDREN_CIBLES = {"scolarite", "apprentissages et autonomie"}


def _key(label: str) -> str:
    decomposed = unicodedata.normalize("NFKD", " ".join(label.split()))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def set_kinds_of_existing_cibles(apps, schema_editor):
    """Existing catalogue rows: the children's cibles are offered in children's establishments only."""
    Cible = apps.get_model("transmissions", "Cible")
    ids = [pk for pk, label in Cible.objects.values_list("pk", "label") if _key(label) in CHILDREN_CIBLES]
    Cible.objects.filter(pk__in=ids).update(essms_kinds=CHILDREN_KINDS)


class Migration(migrations.Migration):
    dependencies = [
        ("transmissions", "0003_default_cibles"),
    ]

    operations = [
        migrations.AddField(
            model_name="cible",
            name="essms_kinds",
            field=models.JSONField(default=transmissions.models.every_essms_kind, verbose_name="types d'établissement"),
        ),
        migrations.RunPython(set_kinds_of_existing_cibles, migrations.RunPython.noop),
    ]
