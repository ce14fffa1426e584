"""The care plan, medication, evaluations and nutrition models now belong to the `soins` app.

State only: their tables keep their names (`ppa_<model>`, set as `db_table` in soins) and their
rows; soins 0001_initial declares the same models on the same tables.
"""

from django.db import migrations

MOVED = (  # dependants first, so no model of the state points at a deleted one
    "ValidationCorrection",
    "ValidationPolicy",
    "CareOccurrence",
    "CarePlanItem",
    "CareAction",
    "PharmacistIntervention",
    "PrescriptionLine",
    "Evaluation",
    "HydrationTarget",
)


class Migration(migrations.Migration):
    dependencies = [
        ("ppa", "0005_prescription_drug_referential_allergy_override"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name=name) for name in MOVED],
            database_operations=[],
        ),
    ]
