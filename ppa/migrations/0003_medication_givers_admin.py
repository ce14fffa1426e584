"""Existing OGs: the métiers that got "write" on administration_medicaments from the old care-tier
default (aide-soignant, éducateur…) lose it; doses marked "aide à la prise" go through their own class."""

from django.db import migrations

NOT_GIVERS = ("aide_soignant", "aes", "educateur", "psychologue", "ergotherapeute", "dieteticien")


def forwards(apps, schema_editor):
    Habilitation = apps.get_model("dui", "Habilitation")
    Habilitation.objects.filter(document_class__code="administration_medicaments", metier__in=NOT_GIVERS).update(
        can_write=False, can_validate=False
    )


class Migration(migrations.Migration):
    dependencies = [
        ("dui", "0004_aes_metier_admin"),
        ("ppa", "0002_administration_rules_admin"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
