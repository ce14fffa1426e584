"""REST routes of technical requests: list (?status=), create, retrieve with history, change status.

The requester sees their own requests; the technical team and the management see all the
requests of the ESSMS and move them along. Writes go through the services (French 400s).
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from dui.actor import actor_of
from transmissions.models import MaintenanceRequest, MaintenanceStatusChange, RequestCategory, RequestStatus
from transmissions.selectors import maintenance as selectors
from transmissions.services import maintenance as services


@extend_schema_field(
    {
        "type": "string",
        "enum": RequestCategory.values,
        "description": " ; ".join(f"`{value}` : {label}" for value, label in RequestCategory.choices),
    },
    component_name="RequestCategoryEnum",
)
class CategoryField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=RequestCategory.choices, **kwargs)


@extend_schema_field(
    {
        "type": "string",
        "enum": RequestStatus.values,
        "description": " ; ".join(f"`{value}` : {label}" for value, label in RequestStatus.choices),
    },
    component_name="RequestStatusEnum",
)
class StatusField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=RequestStatus.choices, **kwargs)


def _name(user) -> str:
    return user.get_full_name() or user.username


class StatusChangeSerializer(serializers.ModelSerializer):
    status = StatusField(read_only=True)
    changed_by_name = serializers.SerializerMethodField()

    class Meta:
        model = MaintenanceStatusChange
        fields = ["status", "changed_by", "changed_by_name", "changed_at", "comment"]
        read_only_fields = fields

    def get_changed_by_name(self, obj) -> str:
        return _name(obj.changed_by)


class MaintenanceRequestSerializer(serializers.ModelSerializer):
    category = CategoryField(read_only=True)
    category_label = serializers.CharField(source="get_category_display", read_only=True)
    status = StatusField(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    requester_name = serializers.SerializerMethodField()

    class Meta:
        model = MaintenanceRequest
        fields = [
            "id",
            "place",
            "category",
            "category_label",
            "description",
            "status",
            "status_label",
            "requester",
            "requester_name",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_requester_name(self, obj) -> str:
        return _name(obj.requester)


class MaintenanceRequestDetailSerializer(MaintenanceRequestSerializer):
    history = serializers.SerializerMethodField()

    class Meta(MaintenanceRequestSerializer.Meta):
        fields = [*MaintenanceRequestSerializer.Meta.fields, "history"]
        read_only_fields = fields

    @extend_schema_field(StatusChangeSerializer(many=True))
    def get_history(self, obj) -> list:
        return StatusChangeSerializer(self.context["history"], many=True).data


class MaintenanceRequestCreateSerializer(serializers.Serializer):
    place = serializers.CharField(
        max_length=services.PLACE_MAX_LENGTH,
        help_text="Chambre, salle, étage, bâtiment…",
        error_messages={
            "required": "Indiquez le lieu (chambre, salle, étage…).",
            "blank": "Indiquez le lieu (chambre, salle, étage…).",
            "null": "Indiquez le lieu (chambre, salle, étage…).",
            "max_length": f"Le lieu ne peut pas dépasser {services.PLACE_MAX_LENGTH} caractères.",
        },
    )
    category = CategoryField(
        error_messages={
            "required": "Choisissez une catégorie de la liste.",
            "invalid_choice": "Choisissez une catégorie de la liste.",
            "null": "Choisissez une catégorie de la liste.",
        }
    )
    description = serializers.CharField(
        max_length=services.DESCRIPTION_MAX_LENGTH,
        error_messages={
            "required": "Décrivez le problème ou le besoin.",
            "blank": "Décrivez le problème ou le besoin.",
            "null": "Décrivez le problème ou le besoin.",
            "max_length": f"La description ne peut pas dépasser {services.DESCRIPTION_MAX_LENGTH} caractères.",
        },
    )


class MaintenanceStatusSerializer(serializers.Serializer):
    status = StatusField(
        error_messages={
            "required": "Indiquez le nouveau statut.",
            "invalid_choice": "Statut inconnu.",
            "null": "Indiquez le nouveau statut.",
        }
    )
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=services.COMMENT_MAX_LENGTH,
        error_messages={"max_length": f"Le commentaire ne peut pas dépasser {services.COMMENT_MAX_LENGTH} caractères."},
    )


@extend_schema_view(
    list=extend_schema(
        summary="Demandes techniques (les siennes ; toutes pour les services techniques et l'encadrement)",
        parameters=[
            OpenApiParameter(
                "status", OpenApiTypes.STR, enum=RequestStatus.values, description="Ne garder que ce statut."
            )
        ],
    ),
    retrieve=extend_schema(summary="Une demande technique, avec l'historique de ses statuts"),
    create=extend_schema(
        summary="Créer une demande technique",
        request=MaintenanceRequestCreateSerializer,
        responses={201: MaintenanceRequestDetailSerializer},
    ),
)
class MaintenanceRequestViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    serializer_class = MaintenanceRequestSerializer
    lookup_value_regex = r"[0-9]+"
    filter_backends = []

    def get_queryset(self):
        return selectors.maintenance_requests_for_user(actor_of(self.request))

    def _detail(self, obj: MaintenanceRequest) -> dict:
        history = selectors.maintenance_history(actor_of(self.request), maintenance_request=obj)
        return MaintenanceRequestDetailSerializer(obj, context={"history": history}).data

    def list(self, request, *args, **kwargs):
        qs = self.get_queryset()
        wanted = request.query_params.get("status")
        if wanted:
            if wanted not in RequestStatus.values:
                raise exceptions.ValidationError({"status": ["Statut inconnu."]})
            qs = qs.filter(status=wanted)
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(MaintenanceRequestSerializer(page, many=True).data)

    @extend_schema(responses=MaintenanceRequestDetailSerializer)
    def retrieve(self, request, *args, **kwargs):
        obj = selectors.access_maintenance_request(actor_of(request), kwargs["pk"], log=True)
        return Response(self._detail(obj))

    def create(self, request, *args, **kwargs):
        data = MaintenanceRequestCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        created = services.maintenance_request_create(actor_of(request), **data.validated_data)
        return Response(self._detail(created), status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Changer le statut (nouvelle → prise en charge → faite / annulée)",
        request=MaintenanceStatusSerializer,
        responses=MaintenanceRequestDetailSerializer,
    )
    @action(detail=True, methods=["post"], url_path="status", url_name="status")
    def set_status(self, request, pk=None, **kwargs):
        actor = actor_of(request)
        obj = selectors.access_maintenance_request(actor, pk)
        data = MaintenanceStatusSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        updated = services.maintenance_request_set_status(
            actor,
            maintenance_request=obj,
            status=data.validated_data["status"],
            comment=data.validated_data.get("comment", ""),
        )
        return Response(self._detail(updated))


routes = [("maintenance-requests", MaintenanceRequestViewSet, "maintenance-request")]
