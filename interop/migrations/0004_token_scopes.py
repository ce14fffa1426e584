"""Scopes on API tokens. A token made before scopes could read whatever the partner métier reads:
it keeps exactly that, every read scope (FHIR and REST as of this migration), and no write."""

import django.db.models.deletion
from django.db import migrations, models


READ_SCOPES_BEFORE = [
    "system/*.read",
    *(
        f"{family}.read"
        for family in (
            "allergies", "antecedents", "appointments", "care-actions", "care-occurrences", "care-plan-items",
            "contacts", "creton-decisions", "documents", "drugs", "evaluation-grids", "evaluations", "events",
            "handover", "hydration-targets", "maintenance-requests", "medication-charts", "messages",
            "ppa-projects", "ppa-versions", "prescription-lines", "referents", "sejours", "substances", "synthese",
            "traitements", "transmissions", "units", "usagers", "usagers-bandeau", "usagers-indicateurs", "worklist",
        )
    ),
]  # fmt: skip


def existing_tokens_read_only(apps, schema_editor):
    ApiToken = apps.get_model("interop", "ApiToken")
    TokenAccess = apps.get_model("interop", "TokenAccess")
    TokenAccess.objects.bulk_create(
        [TokenAccess(token_id=pk, scopes=READ_SCOPES_BEFORE) for pk in ApiToken.objects.values_list("pk", flat=True)]
    )


class Migration(migrations.Migration):

    dependencies = [
        ('interop', '0003_outbox_inbox'),
    ]

    operations = [
        migrations.CreateModel(
            name='TokenAccess',
            fields=[
                ('token', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='access', serialize=False, to='interop.apitoken')),
                ('scopes', models.JSONField(default=list, verbose_name='portées')),
            ],
            options={
                'verbose_name': "portées d'un jeton d'API",
                'verbose_name_plural': "portées des jetons d'API",
            },
        ),
        migrations.RunPython(existing_tokens_read_only, migrations.RunPython.noop),
    ]
