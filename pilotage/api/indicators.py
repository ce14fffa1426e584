"""REST routes of the indicators (partner systems rely on these names).

- `GET /api/v1/indicators/?start=&end=[&unit=][&code=]`: the figures of the token's ESSMS, each
  {code, label, value, unit, numerator, denominator}; rates rounded to 2 decimals, null when the
  denominator is 0.
- `GET /api/v1/indicators/{code}/persons/?start=&end=[&unit=]`: the persons behind one figure,
  under the habilitation matrix (each person listed is logged as read).
Bad periods, unknown codes and units of another ESSMS are 400 with a French message.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from dui.actor import actor_of
from pilotage import selectors
from pilotage.periods import period_of, preset

PERIOD_PARAMETERS = [
    OpenApiParameter("start", OpenApiTypes.DATE, description="Premier jour de la période (défaut : mois en cours)."),
    OpenApiParameter("end", OpenApiTypes.DATE, description="Dernier jour (inclus), 5 ans au plus."),
    OpenApiParameter("unit", OpenApiTypes.INT, description="Une unité de l'établissement du jeton."),
]


def _period(request):
    """The asked period; the current month when neither date is given."""
    if not request.query_params.get("start") and not request.query_params.get("end"):
        return preset("month")
    return period_of(request.query_params.get("start"), request.query_params.get("end"))


class IndicatorSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    value = serializers.FloatField(allow_null=True, help_text="Taux arrondis à 2 décimales ; null si dénominateur 0.")
    unit = serializers.CharField()
    numerator = serializers.FloatField(allow_null=True)
    denominator = serializers.FloatField(allow_null=True)


class IndicatorPersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    birth_name = serializers.CharField()
    used_name = serializers.CharField()
    first_names = serializers.CharField()
    birth_date = serializers.DateField()


class IndicatorListApi(APIView):
    @extend_schema(
        summary="Indicateurs de l'établissement sur une période",
        parameters=[
            *PERIOD_PARAMETERS,
            OpenApiParameter("code", OpenApiTypes.STR, description="Un seul indicateur (ex. occupancy_rate)."),
        ],
        responses=IndicatorSerializer(many=True),
    )
    def get(self, request):
        actor = actor_of(request)
        period = _period(request)
        code = request.query_params.get("code")
        values = selectors.indicators_for(
            actor, period, unit_id=request.query_params.get("unit"), codes=[code] if code is not None else None
        )
        return Response(IndicatorSerializer([v.as_dict() for v in values], many=True).data)


class IndicatorPersonsApi(APIView):
    @extend_schema(
        summary="Personnes derrière un indicateur (selon les habilitations)",
        parameters=PERIOD_PARAMETERS,
        responses=IndicatorPersonSerializer(many=True),
    )
    def get(self, request, code: str):
        actor = actor_of(request)
        period = _period(request)
        usagers = selectors.persons_behind(actor, code, period, unit_id=request.query_params.get("unit"))
        return Response(IndicatorPersonSerializer(usagers, many=True).data)
