"""How the API shows a prescription line (with its pharmacist interventions and allergy matches): shared by
the prescription-lines routes and the day chart."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from soins.models import PharmacistIntervention, PrescriptionKind, PrescriptionLine
from soins.selectors import medication as medication_selectors
from soins.selectors.drug_safety import with_allergy_matches
from soins.services import medication as medication_services


def _name(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


class InterventionSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    author = serializers.SerializerMethodField()

    class Meta:
        model = PharmacistIntervention
        fields = ["id", "line", "kind", "kind_label", "text", "substitute", "author", "created_at"]
        read_only_fields = fields

    def get_author(self, obj) -> str:
        return _name(obj.created_by)


class AllergyMatchSerializer(serializers.Serializer):
    allergy = serializers.IntegerField(source="allergy.pk")
    substance = serializers.CharField(source="allergy.substance", help_text="Libellé de l'allergie.")
    severity = serializers.CharField(source="allergy.severity")
    via = serializers.CharField(help_text="Substance (et classe) du médicament en cause.")
    message = serializers.CharField()


class PrescriptionLineSerializer(serializers.ModelSerializer):
    usager = serializers.IntegerField(source="usager_id", read_only=True)
    usager_name = serializers.CharField(source="usager.__str__", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    route_label = serializers.CharField(source="get_route_display", read_only=True)
    times = serializers.ListField(child=serializers.CharField(), read_only=True, help_text="Heures HH:MM.")
    prescribed_by = serializers.SerializerMethodField()
    validated_by = serializers.SerializerMethodField()
    stopped_by = serializers.SerializerMethodField()
    is_validated = serializers.SerializerMethodField()
    is_current = serializers.SerializerMethodField()
    interventions = InterventionSerializer(many=True, read_only=True)
    referentiel = serializers.SerializerMethodField(
        help_text="« référentiel » (spécialité BDPM, contrôlée) ou « hors référentiel : non vérifiable »."
    )
    allergy_matches = serializers.SerializerMethodField(
        help_text="Allergies actives de la personne qui touchent une substance ou une classe de ce médicament."
    )

    class Meta:
        model = PrescriptionLine
        fields = [
            "id",
            "usager",
            "usager_name",
            "kind",
            "kind_label",
            "drug",
            "dose",
            "route",
            "route_label",
            "times",
            "weekdays",
            "as_needed",
            "as_needed_condition",
            "max_per_day",
            "starts_on",
            "ends_on",
            "instructions",
            "aide_a_la_prise",
            "dispensed_as",
            "prescribed_by",
            "created_at",
            "is_validated",
            "validated_by",
            "validated_at",
            "stopped_by",
            "stopped_at",
            "stop_reason",
            "is_current",
            "interventions",
            "drug_ref",
            "units_per_dose",
            "referentiel",
            "allergy_matches",
            "allergy_override_reason",
            "allergy_override_at",
        ]
        read_only_fields = fields

    def get_referentiel(self, obj) -> str:
        if obj.kind != PrescriptionKind.MEDICAMENT:
            return ""
        return medication_services.UNVERIFIABLE if obj.unverifiable else "référentiel"

    @extend_schema_field(AllergyMatchSerializer(many=True))
    def get_allergy_matches(self, obj):
        matches = getattr(obj, "allergy_matches", None)
        if matches is None:
            matches = with_allergy_matches(obj.usager_id, [obj])[0].allergy_matches
        return AllergyMatchSerializer(matches, many=True).data

    def get_prescribed_by(self, obj) -> str:
        return _name(obj.created_by)

    def get_validated_by(self, obj) -> str:
        return _name(obj.validated_by)

    def get_stopped_by(self, obj) -> str:
        return _name(obj.stopped_by)

    def get_is_validated(self, obj) -> bool:
        return obj.validated_at is not None

    def get_is_current(self, obj) -> bool:
        return medication_selectors.is_current(obj)
