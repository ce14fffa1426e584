"""The care plan, medication, evaluations and nutrition models, moved from `ppa` with their tables.

State only: the tables (`ppa_<model>`) and their rows were created by ppa's migrations and stay
as they are. The content types follow the models (app_label ppa -> soins), so permissions and
object grants attached to them keep working.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MOVED_MODELS = (
    "careaction",
    "careoccurrence",
    "careplanitem",
    "evaluation",
    "hydrationtarget",
    "pharmacistintervention",
    "prescriptionline",
    "validationcorrection",
    "validationpolicy",
)


def _relabel_content_types(apps, old, new):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED_MODELS:
        if ContentType.objects.filter(app_label=new, model=model).exists():
            continue  # already there: leave both rows as they are rather than lose what points at one
        ContentType.objects.filter(app_label=old, model=model).update(app_label=new)


def content_types_to_soins(apps, schema_editor):
    _relabel_content_types(apps, "ppa", "soins")


def content_types_to_ppa(apps, schema_editor):
    _relabel_content_types(apps, "soins", "ppa")


STATE_OPERATIONS = [
    migrations.CreateModel(
        name='CareAction',
        fields=[
            ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
            ('label', models.CharField(max_length=120, verbose_name='soin')),
            ('category', models.CharField(choices=[('hygiene', 'Hygiène et confort'), ('repas', 'Repas et hydratation'), ('medicaments', 'Médicaments'), ('elimination', 'Élimination'), ('mobilite', 'Mobilité et installation'), ('surveillance', 'Surveillance et constantes'), ('prevention', 'Prévention (escarres, chutes…)'), ('materiel', 'Entretien du matériel'), ('contention', 'Contention'), ('autre', 'Autre')], max_length=16, verbose_name='catégorie')),
            ('default_metier', models.CharField(blank=True, max_length=32, verbose_name='métier habituel')),
            ('requires_prescription', models.BooleanField(default=False, verbose_name='sur prescription uniquement')),
            ('is_active', models.BooleanField(default=True, verbose_name='actif')),
            ('essms', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='care_actions', to='dui.essms')),
        ],
        options={
            'verbose_name': 'soin du catalogue',
            'verbose_name_plural': 'catalogue des soins',
            'db_table': 'ppa_careaction',
            'ordering': ['essms', 'category', 'label'],
        },
    ),
    migrations.CreateModel(
        name='Evaluation',
        fields=[
            ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
            ('created_at', models.DateTimeField(auto_now_add=True)),
            ('grid', models.CharField(max_length=32, verbose_name='grille')),
            ('answers', models.JSONField(verbose_name='réponses')),
            ('score', models.DecimalField(blank=True, decimal_places=2, max_digits=8, null=True, verbose_name='score')),
            ('results', models.JSONField(default=dict, verbose_name='résultats calculés')),
            ('interpretation', models.CharField(blank=True, max_length=300, verbose_name='interprétation')),
            ('evaluated_at', models.DateTimeField(verbose_name='évalué le')),
            ('comment', models.TextField(blank=True, verbose_name='commentaire')),
            ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ('essms', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='dui.essms')),
            ('usager', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='dui.usager')),
        ],
        options={
            'verbose_name': 'évaluation',
            'db_table': 'ppa_evaluation',
            'ordering': ['-evaluated_at', '-id'],
        },
    ),
    migrations.CreateModel(
        name='HydrationTarget',
        fields=[
            ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
            ('created_at', models.DateTimeField(auto_now_add=True)),
            ('daily_ml', models.PositiveIntegerField(verbose_name="objectif d'hydratation (mL/jour)")),
            ('comment', models.CharField(blank=True, max_length=300, verbose_name='motif')),
            ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ('essms', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='dui.essms')),
            ('usager', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='dui.usager')),
        ],
        options={
            'verbose_name': "objectif d'hydratation",
            'db_table': 'ppa_hydrationtarget',
            'ordering': ['-created_at', '-id'],
        },
    ),
    migrations.CreateModel(
        name='PrescriptionLine',
        fields=[
            ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
            ('created_at', models.DateTimeField(auto_now_add=True)),
            ('kind', models.CharField(choices=[('medicament', 'Médicament'), ('contention', 'Contention')], default='medicament', max_length=12, verbose_name='nature')),
            ('drug', models.CharField(max_length=200, verbose_name='médicament ou type de contention')),
            ('units_per_dose', models.DecimalField(blank=True, decimal_places=2, max_digits=6, null=True, verbose_name='unités par prise (comprimé, gélule, sachet, ml…)')),
            ('allergy_override_reason', models.CharField(blank=True, max_length=300, verbose_name="motif de prescription malgré l'allergie")),
            ('allergy_override_at', models.DateTimeField(blank=True, null=True, verbose_name='allergie passée outre le')),
            ('dose', models.CharField(blank=True, max_length=100, verbose_name='dose')),
            ('route', models.CharField(blank=True, choices=[('orale', 'Voie orale'), ('sublinguale', 'Sublinguale'), ('cutanee', 'Cutanée / transdermique'), ('sous_cutanee', 'Sous-cutanée'), ('intramusculaire', 'Intramusculaire'), ('intraveineuse', 'Intraveineuse'), ('inhalee', 'Inhalée'), ('oculaire', 'Oculaire'), ('rectale', 'Rectale'), ('autre', 'Autre')], max_length=16, verbose_name='voie')),
            ('times', models.JSONField(blank=True, default=list, verbose_name="heures d'administration")),
            ('weekdays', models.CharField(default='1234567', max_length=7, verbose_name='jours (1 = lundi … 7 = dimanche)')),
            ('as_needed', models.BooleanField(default=False, verbose_name='si besoin')),
            ('as_needed_condition', models.CharField(blank=True, max_length=200, verbose_name='condition du si besoin')),
            ('aide_a_la_prise', models.BooleanField(default=False, verbose_name='aide à la prise (CASF L.313-26)')),
            ('max_per_day', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='maximum par jour (si besoin)')),
            ('starts_on', models.DateField(verbose_name='début')),
            ('ends_on', models.DateField(blank=True, null=True, verbose_name='fin')),
            ('instructions', models.CharField(blank=True, max_length=300, verbose_name='consignes')),
            ('dispensed_as', models.CharField(blank=True, max_length=200, verbose_name='délivré sous le nom (substitution)')),
            ('validated_at', models.DateTimeField(blank=True, null=True, verbose_name='validée le')),
            ('stopped_at', models.DateTimeField(blank=True, null=True, verbose_name='arrêtée le')),
            ('stop_reason', models.CharField(blank=True, max_length=200, verbose_name="motif d'arrêt")),
            ('allergy_override_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ('drug_ref', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='dui.drug', verbose_name='spécialité')),
            ('essms', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='dui.essms')),
            ('stopped_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ('usager', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='dui.usager')),
            ('validated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
        ],
        options={
            'verbose_name': 'ligne de prescription',
            'verbose_name_plural': 'lignes de prescription',
            'db_table': 'ppa_prescriptionline',
            'ordering': ['usager', '-starts_on', '-id'],
        },
    ),
    migrations.CreateModel(
        name='PharmacistIntervention',
        fields=[
            ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
            ('kind', models.CharField(choices=[('commentaire', 'Commentaire pharmaceutique'), ('substitution', 'Substitution')], max_length=12, verbose_name='nature')),
            ('text', models.TextField(verbose_name='commentaire')),
            ('substitute', models.CharField(blank=True, max_length=200, verbose_name='spécialité substituée')),
            ('created_at', models.DateTimeField(auto_now_add=True)),
            ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ('essms', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='dui.essms')),
            ('line', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='interventions', to='soins.prescriptionline')),
        ],
        options={
            'verbose_name': 'intervention pharmaceutique',
            'db_table': 'ppa_pharmacistintervention',
            'ordering': ['line', 'created_at'],
        },
    ),
    migrations.CreateModel(
        name='CarePlanItem',
        fields=[
            ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
            ('created_at', models.DateTimeField(auto_now_add=True)),
            ('metier', models.CharField(max_length=32, verbose_name='métier')),
            ('weekdays', models.CharField(default='1234567', max_length=7, verbose_name='jours (1 = lundi … 7 = dimanche)')),
            ('poste', models.CharField(choices=[('jour', 'Jour'), ('nuit', 'Nuit')], max_length=4, verbose_name='poste')),
            ('time', models.TimeField(blank=True, null=True, verbose_name='heure')),
            ('starts_on', models.DateField(verbose_name='à partir du')),
            ('ends_on', models.DateField(blank=True, null=True, verbose_name="jusqu'au")),
            ('instructions', models.CharField(blank=True, max_length=300, verbose_name='consignes')),
            ('ended_at', models.DateTimeField(blank=True, null=True, verbose_name='arrêté le')),
            ('end_reason', models.CharField(blank=True, max_length=300, verbose_name="motif d'arrêt")),
            ('action', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='plan_items', to='soins.careaction', verbose_name='soin')),
            ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ('ended_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ('essms', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='dui.essms')),
            ('usager', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='dui.usager')),
            ('prescription', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='plan_items', to='soins.prescriptionline')),
        ],
        options={
            'verbose_name': 'soin planifié',
            'verbose_name_plural': 'plan de soins',
            'db_table': 'ppa_careplanitem',
            'ordering': ['usager', 'poste', 'time', 'id'],
        },
    ),
    migrations.CreateModel(
        name='CareOccurrence',
        fields=[
            ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
            ('created_at', models.DateTimeField(auto_now_add=True)),
            ('label', models.CharField(max_length=200, verbose_name='libellé')),
            ('metier', models.CharField(blank=True, max_length=32, verbose_name='métier')),
            ('due_at', models.DateTimeField(verbose_name='prévu à')),
            ('due_before', models.DateTimeField(verbose_name='à faire avant')),
            ('status', models.CharField(choices=[('pending', 'À faire'), ('done', 'Fait'), ('not_done', 'Non fait'), ('refused', 'Refusé')], default='pending', max_length=10, verbose_name='état')),
            ('comment', models.CharField(blank=True, max_length=300, verbose_name='commentaire')),
            ('performed_at', models.DateTimeField(blank=True, null=True, verbose_name='réalisé le')),
            ('recorded_at', models.DateTimeField(blank=True, null=True, verbose_name='enregistré le')),
            ('idempotency_key', models.UUIDField(blank=True, null=True, unique=True, verbose_name="clé d'idempotence")),
            ('timing', models.CharField(blank=True, choices=[('on_time', 'Dans le créneau'), ('early', 'En avance'), ('late', 'En retard')], max_length=8, verbose_name='créneau')),
            ('timing_reason', models.CharField(blank=True, max_length=300, verbose_name="motif de l'écart au créneau")),
            ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ('essms', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='dui.essms')),
            ('usager', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='dui.usager')),
            ('validated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ('plan_item', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='occurrences', to='soins.careplanitem')),
            ('evaluation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='follow_ups', to='soins.evaluation')),
            ('prescription', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='administrations', to='soins.prescriptionline')),
        ],
        options={
            'verbose_name': 'soin à valider',
            'verbose_name_plural': 'soins à valider',
            'db_table': 'ppa_careoccurrence',
            'ordering': ['due_at', 'id'],
        },
    ),
    migrations.CreateModel(
        name='ValidationCorrection',
        fields=[
            ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
            ('status', models.CharField(choices=[('pending', 'À faire'), ('done', 'Fait'), ('not_done', 'Non fait'), ('refused', 'Refusé')], max_length=10, verbose_name='état annulé')),
            ('comment', models.CharField(blank=True, max_length=300, verbose_name='commentaire')),
            ('performed_at', models.DateTimeField(blank=True, null=True, verbose_name='réalisé le')),
            ('recorded_at', models.DateTimeField(verbose_name='enregistré le')),
            ('idempotency_key', models.UUIDField(blank=True, null=True, unique=True, verbose_name="clé d'idempotence")),
            ('timing', models.CharField(blank=True, choices=[('on_time', 'Dans le créneau'), ('early', 'En avance'), ('late', 'En retard')], max_length=8, verbose_name='créneau')),
            ('timing_reason', models.CharField(blank=True, max_length=300, verbose_name="motif de l'écart au créneau")),
            ('corrected_at', models.DateTimeField(verbose_name='annulé le')),
            ('reason', models.CharField(max_length=300, verbose_name="motif de l'annulation")),
            ('corrected_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ('essms', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='dui.essms')),
            ('occurrence', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='corrections', to='soins.careoccurrence')),
            ('validated_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
        ],
        options={
            'verbose_name': 'validation annulée',
            'verbose_name_plural': 'validations annulées',
            'db_table': 'ppa_validationcorrection',
            'ordering': ['occurrence', 'corrected_at', 'id'],
        },
    ),
    migrations.CreateModel(
        name='ValidationPolicy',
        fields=[
            ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
            ('medication_window_minutes', models.PositiveSmallIntegerField(default=60, verbose_name="créneau des médicaments (± minutes autour de l'heure prévue)")),
            ('care_window_minutes', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='créneau des soins à heure fixe (± minutes ; vide : tout le poste)')),
            ('essms', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='validation_policy', to='dui.essms')),
        ],
        options={
            'verbose_name': 'règle de validation des soins',
            'verbose_name_plural': 'règles de validation des soins',
            'db_table': 'ppa_validationpolicy',
        },
    ),
    migrations.AddConstraint(
        model_name='careaction',
        constraint=models.UniqueConstraint(fields=('essms', 'label'), name='care_action_label_unique'),
    ),
    migrations.AddIndex(
        model_name='evaluation',
        index=models.Index(fields=['usager', 'grid', '-evaluated_at'], name='evaluation_usager_grid'),
    ),
    migrations.AddIndex(
        model_name='hydrationtarget',
        index=models.Index(fields=['usager', '-created_at'], name='hydration_target_usager'),
    ),
    migrations.AddIndex(
        model_name='prescriptionline',
        index=models.Index(fields=['essms', 'usager', 'ends_on'], name='prescription_essms_usager'),
    ),
    migrations.AddIndex(
        model_name='careplanitem',
        index=models.Index(fields=['essms', 'usager', 'ends_on'], name='careplan_essms_usager'),
    ),
    migrations.AddIndex(
        model_name='careoccurrence',
        index=models.Index(fields=['essms', 'usager', 'due_at'], name='occurrence_usager_due'),
    ),
    migrations.AddConstraint(
        model_name='careoccurrence',
        constraint=models.UniqueConstraint(fields=('plan_item', 'due_at'), name='occurrence_plan_item_due_unique'),
    ),
    migrations.AddConstraint(
        model_name='careoccurrence',
        constraint=models.UniqueConstraint(condition=models.Q(('evaluation__isnull', True)), fields=('prescription', 'due_at'), name='occurrence_prescription_due_unique'),
    ),
    migrations.AddIndex(
        model_name='validationcorrection',
        index=models.Index(fields=['essms', 'occurrence'], name='correction_essms_occurrence'),
    ),
]


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('dui', '0008_usager_name_rniv_charset'),
        ('ppa', '0006_move_care_to_soins'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=STATE_OPERATIONS, database_operations=[]),
        migrations.RunPython(content_types_to_soins, content_types_to_ppa),
    ]
