"""The drug referential over the API (public BDPM data, read-only): ids for prescriptions and allergies."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets

from dui.actor import actor_of
from dui.models import Drug, Substance
from dui.selectors.drugs import drugs_found, substances_listed


class SubstanceClassRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class SubstanceSerializer(serializers.ModelSerializer):
    classes = SubstanceClassRefSerializer(many=True, read_only=True)

    class Meta:
        model = Substance
        fields = ["id", "code", "name", "classes", "max_daily_mg_frail", "max_daily_mg_adult"]
        read_only_fields = fields


class ComponentSerializer(serializers.Serializer):
    substance = serializers.IntegerField(source="substance_id")
    substance_name = serializers.CharField(source="substance.name")
    dosage = serializers.CharField()
    strength_mg = serializers.DecimalField(max_digits=12, decimal_places=3, allow_null=True)


class DrugSerializer(serializers.ModelSerializer):
    components = ComponentSerializer(many=True, read_only=True)

    class Meta:
        model = Drug
        fields = ["id", "cis", "name", "form", "routes", "marketed", "components"]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(
        summary="Spécialités du référentiel (recherche par nom ou substance)",
        parameters=[OpenApiParameter("q", str, description="Au moins 2 lettres ; 20 résultats au plus.")],
    )
)
class DrugViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = DrugSerializer
    filter_backends = []
    pagination_class = None

    def get_queryset(self):
        return drugs_found(actor_of(self.request), self.request.query_params.get("q", ""))


@extend_schema_view(list=extend_schema(summary="Substances et leurs classes (codage des allergies)"))
class SubstanceViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = SubstanceSerializer
    filter_backends = []

    def get_queryset(self):
        return substances_listed(actor_of(self.request))


routes = [("drugs", DrugViewSet, "drug"), ("substances", SubstanceViewSet, "substance")]
