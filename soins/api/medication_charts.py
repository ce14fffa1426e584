"""REST route of a person's day chart (plan d'administration): medication-charts/{usager}/?date=.

The read goes through the scoped selector (404 outside the active ESSMS, 400 for a bad date), which logs it.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from dui import selectors
from dui.actor import actor_of
from soins.api.prescription_lines import PrescriptionLineSerializer
from soins.selectors import medication as medication_selectors


class ChartDoseSerializer(serializers.Serializer):
    time = serializers.CharField(help_text="Heure HH:MM (heure de Paris).")
    due_at = serializers.DateTimeField(allow_null=True)
    state = serializers.ChoiceField(choices=list(medication_selectors.STATE_LABELS.items()))
    state_label = serializers.CharField(source="label")
    administration = serializers.IntegerField(source="occurrence.pk", allow_null=True, default=None)
    comment = serializers.CharField(source="occurrence.comment", default="")
    validated_by = serializers.CharField(source="who")
    performed_at = serializers.DateTimeField(source="occurrence.performed_at", allow_null=True, default=None)
    timing = serializers.CharField(
        source="occurrence.timing", default="", help_text="on_time, early ou late (validation hors créneau) ; vide."
    )
    timing_reason = serializers.CharField(source="occurrence.timing_reason", default="")


class ChartRowSerializer(serializers.Serializer):
    line = PrescriptionLineSerializer()
    scheduled_today = serializers.BooleanField(help_text="Le jour de la semaine fait partie des jours prescrits.")
    doses = ChartDoseSerializer(source="cells", many=True, help_text="Prises à heure fixe.")
    as_needed_doses = ChartDoseSerializer(source="as_needed", many=True, help_text="Prises « si besoin » du jour.")
    given_count = serializers.IntegerField()


class ChartSerializer(serializers.Serializer):
    usager = serializers.IntegerField(source="usager.pk")
    usager_name = serializers.CharField(source="usager.__str__")
    date = serializers.DateField(source="day")
    rows = ChartRowSerializer(many=True)


@extend_schema_view(
    retrieve=extend_schema(
        summary="Plan d'administration d'une personne pour un jour",
        parameters=[
            OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Identifiant du dossier."),
            OpenApiParameter(
                "date", OpenApiTypes.DATE, description="Jour (AAAA-MM-JJ, heure de Paris) ; aujourd'hui par défaut."
            ),
        ],
        responses=ChartSerializer,
    ),
)
class MedicationChartViewSet(viewsets.GenericViewSet):
    serializer_class = ChartSerializer
    http_method_names = ["get", "head", "options"]
    lookup_value_regex = r"[0-9]+"
    filter_backends = []
    pagination_class = None

    def get_queryset(self):
        return selectors.usagers_for_user(actor_of(self.request))

    def retrieve(self, request, pk=None, **kwargs):
        actor = actor_of(request)
        usager = selectors.access_usager(actor, pk=pk)
        day = medication_selectors.parse_day(request.query_params.get("date"))
        chart = medication_selectors.day_chart(actor, usager, day)
        return Response(ChartSerializer(chart).data)


routes = [("medication-charts", MedicationChartViewSet, "medication-chart")]
