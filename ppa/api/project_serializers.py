"""Serializers of the projet personnalisé API: the answers (a project, a version with its content)
and the inputs of each action, with the French help texts the schema shows."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ppa import serafin
from ppa.models import (
    AgreementBy,
    AgreementHow,
    ExpressedBy,
    Expression,
    ExpressionKind,
    Objective,
    ObjectiveEvaluation,
    ObjectiveResult,
    Participant,
    ParticipantKind,
    PpaStep,
    ProjectAction,
    Projet,
    ProjetVersion,
)

# --- Output -------------------------------------------------------------------------------------


class PpaSerafinMixin(serializers.Serializer):
    serafin_label = serializers.SerializerMethodField(help_text="Libellé officiel SERAFIN-PH du code.")
    serafin_plain = serializers.SerializerMethodField(help_text="Formulation simple du code SERAFIN-PH.")

    def get_serafin_label(self, obj) -> str | None:
        found = serafin.concept(obj.serafin_code) if obj.serafin_code else None
        return found.label if found else None

    def get_serafin_plain(self, obj) -> str | None:
        found = serafin.concept(obj.serafin_code) if obj.serafin_code else None
        return found.plain if found else None


class PpaNeedSerializer(PpaSerafinMixin, serializers.ModelSerializer):
    class Meta:
        model = Expression
        fields = ["id", "kind", "expressed_by", "expressed_by_name", "text", "serafin_code", "serafin_label",
                  "serafin_plain"]  # fmt: skip
        read_only_fields = fields


class PpaActionSerializer(PpaSerafinMixin, serializers.ModelSerializer):
    class Meta:
        model = ProjectAction
        fields = ["id", "objective", "text", "who", "frequency", "serafin_code", "serafin_label", "serafin_plain"]
        read_only_fields = fields


class PpaObjectiveEvaluationSerializer(serializers.ModelSerializer):
    class Meta:
        model = ObjectiveEvaluation
        fields = ["id", "objective", "result", "comment", "evaluated_on", "created_at"]
        read_only_fields = fields


class PpaObjectiveSerializer(serializers.ModelSerializer):
    needs = serializers.SerializerMethodField(help_text="Identifiants des attentes et besoins auxquels il répond.")
    actions = PpaActionSerializer(many=True, read_only=True)
    evaluations = PpaObjectiveEvaluationSerializer(many=True, read_only=True)

    class Meta:
        model = Objective
        fields = ["id", "text", "target_on", "needs", "actions", "evaluations"]
        read_only_fields = fields

    def get_needs(self, obj) -> list[int]:
        return [need.pk for need in obj.needs.all()]


class PpaParticipantSerializer(serializers.ModelSerializer):
    class Meta:
        model = Participant
        fields = ["id", "kind", "name", "role"]
        read_only_fields = fields


class PpaVersionSerializer(serializers.ModelSerializer):
    projet = serializers.IntegerField(source="projet_id", read_only=True)
    usager = serializers.IntegerField(source="usager_id", read_only=True)
    is_agreed = serializers.BooleanField(read_only=True)
    agreement_by = serializers.CharField(
        read_only=True, help_text="personne ou representant ; vide tant que l'accord n'est pas recueilli."
    )
    agreement_how = serializers.CharField(
        read_only=True, help_text="signature, oral, pictogrammes ou refus ; vide tant que l'accord n'est pas recueilli."
    )
    needs = PpaNeedSerializer(source="expressions", many=True, read_only=True)
    objectives = PpaObjectiveSerializer(many=True, read_only=True)
    participants = PpaParticipantSerializer(many=True, read_only=True)

    class Meta:
        model = ProjetVersion
        fields = [
            "id",
            "projet",
            "usager",
            "number",
            "summary",
            "meeting_on",
            "person_present",
            "person_absence_reason",
            "agreement_on",
            "agreement_by",
            "agreement_name",
            "agreement_how",
            "agreement_comment",
            "is_agreed",
            "created_at",
            "needs",
            "objectives",
            "participants",
        ]
        read_only_fields = fields


class PpaVersionSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = ProjetVersion
        fields = ["id", "number", "agreement_on", "created_at"]
        read_only_fields = fields


class PpaProjetSerializer(serializers.ModelSerializer):
    usager = serializers.IntegerField(source="usager_id", read_only=True)
    usager_name = serializers.CharField(source="usager.__str__", read_only=True)
    sejour = serializers.IntegerField(source="sejour_id", read_only=True)
    referent = serializers.IntegerField(source="referent_id", read_only=True, allow_null=True)
    step_label = serializers.CharField(source="get_step_display", read_only=True)
    versions = PpaVersionSummarySerializer(many=True, read_only=True)

    class Meta:
        model = Projet
        fields = ["id", "usager", "usager_name", "sejour", "step", "step_label", "due_on", "referent", "closed_at",
                  "created_at", "versions"]  # fmt: skip
        read_only_fields = fields


class PpaProjetDetailSerializer(PpaProjetSerializer):
    current_version = serializers.SerializerMethodField()

    class Meta(PpaProjetSerializer.Meta):
        fields = [*PpaProjetSerializer.Meta.fields, "current_version"]
        read_only_fields = fields

    @extend_schema_field(PpaVersionSerializer)
    def get_current_version(self, obj) -> dict:
        return PpaVersionSerializer(self.context["current_version"]).data


# --- Input --------------------------------------------------------------------------------------


class PpaProjetCreateSerializer(serializers.Serializer):
    usager = serializers.IntegerField(
        min_value=1, max_value=2**63 - 1, help_text="Dossier de la personne (son séjour en cours reçoit le projet)."
    )


class PpaStepSerializer(serializers.Serializer):
    step = serializers.ChoiceField(choices=PpaStep.choices, help_text="Étape du cycle (la fin passe par close).")


class PpaCloseSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=200)


class PpaNeedCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ExpressionKind.choices)
    expressed_by = serializers.ChoiceField(choices=ExpressedBy.choices)
    expressed_by_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    text = serializers.CharField(max_length=4000)
    serafin_code = serializers.CharField(
        required=False, allow_blank=True, max_length=12, help_text="Code besoin SERAFIN-PH (1.x), facultatif."
    )


class PpaObjectiveCreateSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=4000)
    needs = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        help_text="Au moins une attente ou un besoin de la même version.",
    )
    target_on = serializers.DateField(required=False, allow_null=True)


class PpaActionCreateSerializer(serializers.Serializer):
    objective = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    text = serializers.CharField(max_length=4000)
    who = serializers.CharField(max_length=200)
    frequency = serializers.CharField(required=False, allow_blank=True, max_length=120)
    serafin_code = serializers.CharField(
        required=False, allow_blank=True, max_length=12, help_text="Code prestation SERAFIN-PH (2.x, 3.x), facultatif."
    )


class PpaObjectiveEvaluationCreateSerializer(serializers.Serializer):
    objective = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    result = serializers.ChoiceField(choices=ObjectiveResult.choices)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    evaluated_on = serializers.DateField(required=False, allow_null=True)


class PpaParticipantCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ParticipantKind.choices)
    name = serializers.CharField(max_length=200)
    role = serializers.CharField(required=False, allow_blank=True, max_length=200)


class PpaMeetingSerializer(serializers.Serializer):
    meeting_on = serializers.DateField()
    person_present = serializers.BooleanField()
    person_absence_reason = serializers.CharField(required=False, allow_blank=True, max_length=300)
    summary = serializers.CharField(required=False, allow_blank=True, max_length=10000)


class PpaAgreementSerializer(serializers.Serializer):
    agreement_on = serializers.DateField()
    agreement_by = serializers.ChoiceField(choices=AgreementBy.choices)
    agreement_name = serializers.CharField(max_length=200)
    agreement_how = serializers.ChoiceField(choices=AgreementHow.choices)
    agreement_comment = serializers.CharField(required=False, allow_blank=True, max_length=300)
