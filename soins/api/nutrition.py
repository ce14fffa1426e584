"""REST route of the persons' daily hydration targets: list (?usager=) and create (IDE, médecin).

The target in force is a person's latest row; the grid's default (1,500 mL/day) applies without one.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.response import Response

from dui import selectors
from dui.actor import actor_of
from soins.grids.hydration import MAX_DAILY_TARGET_ML, MIN_DAILY_TARGET_ML
from soins.selectors.nutrition import hydration_targets_for_user, hydration_targets_page
from soins.services import nutrition as nutrition_services

MAX_BIGINT = 2**63 - 1
IMPLAUSIBLE = (
    f"Objectif invraisemblable : il doit être compris entre {MIN_DAILY_TARGET_ML} et {MAX_DAILY_TARGET_ML} mL par jour."
)


class HydrationTargetSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    usager = serializers.IntegerField(source="usager_id")
    daily_ml = serializers.IntegerField(help_text="Objectif de boissons en mL par jour.")
    comment = serializers.CharField(help_text="Motif.")
    created_at = serializers.DateTimeField()
    created_by = serializers.SerializerMethodField()

    def get_created_by(self, target) -> str:
        return target.created_by.get_full_name() or target.created_by.username


class HydrationTargetCreateSerializer(serializers.Serializer):
    usager = serializers.IntegerField(min_value=1, max_value=MAX_BIGINT, help_text="Identifiant du dossier.")
    daily_ml = serializers.IntegerField(
        min_value=MIN_DAILY_TARGET_ML,
        max_value=MAX_DAILY_TARGET_ML,
        help_text="Objectif en mL par jour.",
        error_messages={
            "min_value": IMPLAUSIBLE,
            "max_value": IMPLAUSIBLE,
            "invalid": "Objectif invalide : un nombre entier de mL par jour est attendu.",
            "max_string_length": "Objectif invalide : un nombre entier de mL par jour est attendu.",
        },
    )
    comment = serializers.CharField(
        required=False, allow_blank=True, max_length=nutrition_services.MAX_COMMENT, help_text="Motif (facultatif)."
    )


@extend_schema_view(
    list=extend_schema(
        summary="Objectifs d'hydratation (le plus récent d'une personne est en vigueur)",
        parameters=[OpenApiParameter("usager", OpenApiTypes.INT, description="Identifiant du dossier.")],
        responses=HydrationTargetSerializer(many=True),
    ),
    create=extend_schema(
        summary="Fixer l'objectif d'hydratation d'une personne (IDE, médecin)",
        request=HydrationTargetCreateSerializer,
        responses={201: HydrationTargetSerializer},
    ),
)
class HydrationTargetViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    serializer_class = HydrationTargetSerializer
    http_method_names = ["get", "post", "head", "options"]
    filter_backends = []

    def get_queryset(self):
        return hydration_targets_for_user(actor_of(self.request))

    def list(self, request, *args, **kwargs):
        qs = self.get_queryset()
        raw = request.query_params.get("usager", "").strip()
        if raw:
            if not (raw.isascii() and raw.isdigit() and 0 < int(raw) <= MAX_BIGINT):
                raise exceptions.ValidationError({"usager": ["Identifiant de personne invalide."]})
            qs = qs.filter(usager_id=int(raw))
        page = hydration_targets_page(actor_of(request), self.paginate_queryset(qs))
        return self.get_paginated_response(HydrationTargetSerializer(page, many=True).data)

    def create(self, request, *args, **kwargs):
        data = HydrationTargetCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        actor = actor_of(request)
        usager = selectors.usagers_for_user(actor).filter(pk=values["usager"]).first()
        if usager is None:
            raise exceptions.ValidationError({"usager": ["Personne introuvable."]})
        target = nutrition_services.hydration_target_set(
            actor,
            usager=usager,
            daily_ml=values["daily_ml"],
            comment=values.get("comment", ""),
        )
        return Response(HydrationTargetSerializer(target).data, status=status.HTTP_201_CREATED)


routes = [("hydration-targets", HydrationTargetViewSet, "hydration-target")]
