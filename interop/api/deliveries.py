"""REST routes of the outbox: deliveries with their attempts, and "renvoyer" for a dead letter."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from dui.actor import actor_of
from dui.selectors.shown import row_shown, rows_shown
from interop.outbox.models import Connector, Delivery, DeliveryAttempt, DeliveryState
from interop.outbox.selectors import deliveries_for_user, delivery_for_user
from interop.outbox.services import delivery_retry


class AttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = DeliveryAttempt
        fields = ["number", "connector", "started_at", "finished_at", "outcome", "partner_message"]


class DeliverySerializer(serializers.ModelSerializer):
    usager = serializers.IntegerField(source="usager_id", read_only=True)
    document = serializers.IntegerField(source="document_id", read_only=True)
    document_title = serializers.CharField(source="document.title", read_only=True)
    version = serializers.IntegerField(source="version.number", read_only=True)
    masking = serializers.ListField(source="masking_flags", child=serializers.CharField(), read_only=True)
    attempts = AttemptSerializer(many=True, read_only=True)

    class Meta:
        model = Delivery
        fields = [
            "id", "uid", "usager", "document", "document_title", "version", "connector", "recipient", "cause",
            "state", "confidentiality", "masking", "attempt_count", "next_attempt_at", "delivered_at",
            "partner_reference", "last_error", "created_at", "attempts",
        ]  # fmt: skip


def _choice(request, name: str, choices) -> str:
    value = request.query_params.get(name, "")
    if value and value not in choices:
        raise serializers.ValidationError({name: f"Valeur inconnue ; valeurs possibles : {', '.join(choices)}."})
    return value


@extend_schema_view(
    list=extend_schema(
        summary="Envois (DMP, MSSanté) et leurs tentatives",
        parameters=[
            OpenApiParameter("usager", int, description="Limiter à un dossier."),
            OpenApiParameter("state", str, enum=DeliveryState.values),
            OpenApiParameter("connector", str, enum=Connector.values),
        ],
    ),
    retrieve=extend_schema(summary="Un envoi et ses tentatives"),
)
class DeliveryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = DeliverySerializer
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        request = self.request
        usager = request.query_params.get("usager") or None
        if usager is not None and (not usager.isdigit() or not 0 < int(usager) < 2**63):
            raise serializers.ValidationError({"usager": "Identifiant de dossier invalide."})
        return deliveries_for_user(
            actor_of(request),
            usager_id=int(usager) if usager else None,
            state=_choice(request, "state", DeliveryState.values),
            connector=_choice(request, "connector", Connector.values),
        ).select_related("version")

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        page = rows_shown(actor_of(request), page, detail="liste des envois")
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        row = row_shown(actor_of(request), delivery_for_user(actor_of(request), kwargs["pk"]), detail="envoi")
        return Response(self.get_serializer(row).data)

    @extend_schema(summary="Renvoyer un envoi en échec", request=None, responses={200: DeliverySerializer})
    @action(detail=True, methods=["post"])
    def retry(self, request, pk=None, format=None):
        actor = actor_of(request)
        row = delivery_retry(actor, delivery=delivery_for_user(actor, pk))
        return Response(self.get_serializer(delivery_for_user(actor, row.pk)).data)


routes = [("deliveries", DeliveryViewSet, "delivery")]
