"""REST routes of the plan de soins, registered by config/api_urls.py under /api/v1/.

- `GET care-actions/`: the catalogue of the ESSMS (the default one is created on first use).
- `GET care-plan-items/?usager=`, `GET care-plan-items/{id}/`, `POST care-plan-items/`,
  `POST care-plan-items/{id}/end/`: each person's schedule; a restraint only under an active
  prescription; an item is ended, never erased.
- the worklist and its validations: soins.api.worklist (registered with these routes).

Reads go through the selectors and are audited there; writes through the services (French messages).
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from dui import selectors
from dui.actor import actor_of
from dui.models import Metier
from dui.permissions import active_membership
from dui.shifts import Poste
from soins.api import worklist as worklist_api
from soins.api.worklist import MAX_BIGINT, id_param
from soins.models import CareAction, CareCategory, CarePlanItem
from soins.selectors import care as care_selectors
from soins.services import care as care_services

# --- Catalogue ----------------------------------------------------------------------------------


class CareActionSerializer(serializers.ModelSerializer):
    category = serializers.ChoiceField(choices=CareCategory.choices, read_only=True)
    category_label = serializers.CharField(source="get_category_display", read_only=True)

    class Meta:
        model = CareAction
        fields = ["id", "label", "category", "category_label", "default_metier", "requires_prescription", "is_active"]
        read_only_fields = fields


@extend_schema_view(list=extend_schema(summary="Catalogue des soins de l'établissement (soins actifs)"))
class CareActionViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = CareActionSerializer
    filter_backends = []

    def get_queryset(self):
        return care_selectors.care_actions_for_user(actor_of(self.request))

    def list(self, request, *args, **kwargs):
        actor = actor_of(request)
        membership = active_membership(actor)
        if membership is not None and care_selectors.may_read_plan(actor):
            care_services.catalogue_ensure_default(membership.essms)
        return super().list(request, *args, **kwargs)


# --- Plan items ---------------------------------------------------------------------------------


class CarePlanItemSerializer(serializers.ModelSerializer):
    usager = serializers.IntegerField(source="usager_id", read_only=True)
    action = serializers.IntegerField(source="action_id", read_only=True)
    action_label = serializers.CharField(source="action.label", read_only=True)
    restraint = serializers.SerializerMethodField(help_text="Contention (sous prescription uniquement).")
    poste = serializers.ChoiceField(choices=Poste.choices, read_only=True)
    time = serializers.SerializerMethodField(help_text="Heure locale (HH:MM), null : pendant le poste.")
    prescription = serializers.IntegerField(source="prescription_id", read_only=True, allow_null=True)
    ended = serializers.SerializerMethodField()
    end_reason = serializers.CharField(read_only=True, help_text="Motif de l'arrêt.")

    class Meta:
        model = CarePlanItem
        fields = [
            "id",
            "usager",
            "action",
            "action_label",
            "restraint",
            "metier",
            "weekdays",
            "poste",
            "time",
            "starts_on",
            "ends_on",
            "prescription",
            "instructions",
            "ended",
            "ended_at",
            "end_reason",
            "created_at",
        ]
        read_only_fields = fields

    def get_time(self, item) -> str | None:
        return f"{item.time:%H:%M}" if item.time else None

    def get_restraint(self, item) -> bool:
        return care_services.is_restraint(item.action)

    def get_ended(self, item) -> bool:
        return item.ended_at is not None


class CarePlanItemCreateSerializer(serializers.Serializer):
    usager = serializers.IntegerField(min_value=1, max_value=MAX_BIGINT, help_text="Identifiant du dossier.")
    action = serializers.IntegerField(min_value=1, max_value=MAX_BIGINT, help_text="Soin du catalogue.")
    poste = serializers.ChoiceField(
        choices=Poste.choices, error_messages={"invalid_choice": "Poste inconnu : « jour » ou « nuit »."}
    )
    time = serializers.TimeField(required=False, allow_null=True, help_text="Heure (HH:MM), facultative.")
    weekdays = serializers.RegexField(
        r"^[1-7]{1,7}$",
        required=False,
        default="1234567",
        help_text="Jours : chiffres 1 (lundi) à 7 (dimanche).",
        error_messages={"invalid": "Jours invalides : chiffres 1 (lundi) à 7 (dimanche)."},
    )
    metier = serializers.ChoiceField(
        choices=Metier.choices, required=False, allow_blank=True, help_text="Par défaut : métier habituel du soin."
    )
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(required=False, allow_null=True)
    instructions = serializers.CharField(required=False, allow_blank=True, max_length=300)
    prescription = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=MAX_BIGINT,
        help_text="Ligne de prescription (obligatoire pour une contention : validée, en cours, de la personne).",
    )


class EndSerializer(serializers.Serializer):
    ends_on = serializers.DateField(required=False, allow_null=True, help_text="Dernier jour (aujourd'hui par défaut).")
    reason = serializers.CharField(
        max_length=300,
        help_text="Motif de l'arrêt (obligatoire), gardé et affiché avec le soin.",
        error_messages={"required": "Indiquez le motif de l'arrêt.", "blank": "Indiquez le motif de l'arrêt."},
    )


@extend_schema_view(
    list=extend_schema(
        summary="Soins planifiés",
        parameters=[OpenApiParameter("usager", OpenApiTypes.INT, description="Identifiant du dossier de la personne.")],
    ),
    retrieve=extend_schema(summary="Un soin planifié"),
    create=extend_schema(
        summary="Planifier un soin pour une personne",
        request=CarePlanItemCreateSerializer,
        responses={201: CarePlanItemSerializer},
    ),
)
class CarePlanItemViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    serializer_class = CarePlanItemSerializer
    http_method_names = ["get", "post", "head", "options"]
    lookup_value_regex = r"[0-9]+"
    filter_backends = []

    def get_queryset(self):
        return care_selectors.plan_items_for_user(actor_of(self.request)).order_by("usager_id", "poste", "time", "id")

    def list(self, request, *args, **kwargs):
        items = self.get_queryset()
        raw = request.query_params.get("usager", "")
        if raw.strip():
            items = items.filter(usager_id=id_param(raw, "usager", "de personne"))
        page = care_selectors.plan_items_page(actor_of(request), self.paginate_queryset(items))
        return self.get_paginated_response(CarePlanItemSerializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        item = care_selectors.access_plan_item(actor_of(request), kwargs["pk"], log=True)
        return Response(CarePlanItemSerializer(item).data)

    def create(self, request, *args, **kwargs):
        data = CarePlanItemCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        actor = actor_of(request)
        membership = active_membership(actor)
        usager = selectors.usagers_for_user(actor).filter(pk=values["usager"], essms_id=membership.essms_id).first()
        if usager is None:
            raise exceptions.ValidationError({"usager": ["Personne introuvable."]})
        care_services.catalogue_ensure_default(membership.essms)
        action_row = care_selectors.care_actions_for_user(actor).filter(pk=values["action"]).first()
        if action_row is None:
            raise exceptions.ValidationError({"action": ["Soin introuvable dans le catalogue."]})
        prescription = None
        if values.get("prescription"):
            prescription = care_selectors.prescriptions_for_plan(actor, usager).filter(pk=values["prescription"])
            prescription = prescription.first()
            if prescription is None:
                raise exceptions.ValidationError({"prescription": ["Prescription introuvable pour cette personne."]})
        item = care_services.plan_item_create(
            actor,
            usager=usager,
            action=action_row,
            poste=values["poste"],
            time=values["time"].replace(tzinfo=None) if values.get("time") else None,
            weekdays=values.get("weekdays") or "1234567",
            metier=values.get("metier") or "",
            starts_on=values["starts_on"],
            ends_on=values.get("ends_on"),
            instructions=values.get("instructions", ""),
            prescription=prescription,
        )
        return Response(CarePlanItemSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Arrêter un soin planifié (gardé dans l'historique), avec un motif obligatoire",
        request=EndSerializer,
        responses={
            200: CarePlanItemSerializer,
            400: OpenApiResponse(description="Motif manquant, date invalide ou soin déjà arrêté."),
            403: OpenApiResponse(description="Métier non habilité à planifier ce soin."),
        },
    )
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None, **kwargs):
        actor = actor_of(request)
        item = care_selectors.access_plan_item(actor, pk)
        data = EndSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = care_services.plan_item_end(
            actor,
            item,
            reason=data.validated_data["reason"],
            ends_on=data.validated_data.get("ends_on"),
        )
        return Response(CarePlanItemSerializer(item).data)


routes = [
    ("care-actions", CareActionViewSet, "care-action"),
    ("care-plan-items", CarePlanItemViewSet, "care-plan-item"),
    *worklist_api.routes,
]
