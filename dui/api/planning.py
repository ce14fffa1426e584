"""REST routes of the planning: appointments (list ?usager=&date=, create, retrieve, partial update, cancel).

Reads go through the scoped selectors, which log them (lists in bulk); writes go through the
services, whose refusals the API's exception handler turns into 400/403/404.
"""

import datetime

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from dui import dates, selectors
from dui.actor import actor_of
from dui.models import Appointment, Transport
from dui.selectors import planning as planning_selectors
from dui.services import planning as planning_services


class AppointmentSerializer(serializers.ModelSerializer):
    usager = serializers.IntegerField(source="usager_id", read_only=True)
    usager_name = serializers.CharField(source="usager.__str__", read_only=True)
    is_cancelled = serializers.SerializerMethodField()

    class Meta:
        model = Appointment
        fields = [
            "id",
            "usager",
            "usager_name",
            "starts_at",
            "ends_at",
            "title",
            "place",
            "practitioner",
            "transport",
            "transport_booked",
            "accompanied_by",
            "notes",
            "is_cancelled",
            "cancelled_at",
            "created_at",
        ]
        read_only_fields = fields

    def get_is_cancelled(self, obj) -> bool:
        return obj.cancelled_at is not None


class AppointmentUpdateSerializer(serializers.Serializer):
    """Input of a partial update: only the fields sent are changed."""

    starts_at = serializers.DateTimeField(required=False)
    ends_at = serializers.DateTimeField(required=False, allow_null=True)
    title = serializers.CharField(required=False, max_length=200)
    place = serializers.CharField(required=False, allow_blank=True, max_length=200)
    practitioner = serializers.CharField(required=False, allow_blank=True, max_length=200)
    transport = serializers.ChoiceField(required=False, choices=Transport.choices)
    transport_booked = serializers.BooleanField(required=False)
    accompanied_by = serializers.CharField(required=False, allow_blank=True, max_length=200)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=500)


class AppointmentCreateSerializer(AppointmentUpdateSerializer):
    usager = serializers.IntegerField(help_text="Identifiant du dossier de la personne.")
    starts_at = serializers.DateTimeField(
        error_messages={"required": "La date et l'heure de début sont obligatoires."},
    )
    title = serializers.CharField(
        max_length=200, error_messages={"required": "L'objet du rendez-vous est obligatoire."}
    )


@extend_schema_view(
    list=extend_schema(
        summary="Rendez-vous (filtrables par personne et par jour)",
        parameters=[
            OpenApiParameter("usager", OpenApiTypes.INT, description="Identifiant du dossier de la personne."),
            OpenApiParameter("date", OpenApiTypes.DATE, description="Jour (AAAA-MM-JJ, heure de Paris)."),
        ],
    ),
    retrieve=extend_schema(summary="Un rendez-vous"),
    create=extend_schema(
        summary="Créer un rendez-vous", request=AppointmentCreateSerializer, responses={201: AppointmentSerializer}
    ),
    partial_update=extend_schema(
        summary="Modifier un rendez-vous", request=AppointmentUpdateSerializer, responses=AppointmentSerializer
    ),
)
class AppointmentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = AppointmentSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    lookup_value_regex = r"[0-9]+"  # any other id is a 404 from the router, never a 500
    filter_backends = []

    def get_queryset(self):
        return planning_selectors.appointments_for_user(actor_of(self.request)).order_by("starts_at", "pk")

    def _filtered(self):
        qs = self.get_queryset()
        params = self.request.query_params
        errors = {}
        if params.get("usager"):
            try:
                usager_id = int(params["usager"])
                if not 0 < usager_id < 2**63:  # beyond a bigint the database would fail
                    raise ValueError
                qs = qs.filter(usager_id=usager_id)
            except ValueError:
                errors["usager"] = ["Identifiant de personne invalide."]
        if params.get("date"):
            try:
                day = datetime.date.fromisoformat(params["date"])
            except ValueError:
                errors["date"] = ["Date invalide : format AAAA-MM-JJ attendu."]
            else:
                if dates.in_range(day):
                    start, end = planning_selectors.day_bounds(day)
                    qs = qs.filter(starts_at__gte=start, starts_at__lt=end)
                else:
                    errors["date"] = [dates.OUT_OF_RANGE]
        if errors:
            raise exceptions.ValidationError(errors)
        return qs

    def list(self, request, *args, **kwargs):
        page = planning_selectors.appointments_listed(actor_of(request), self.paginate_queryset(self._filtered()))
        return self.get_paginated_response(AppointmentSerializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        appointment = planning_selectors.access_appointment(actor_of(request), kwargs["pk"])
        return Response(AppointmentSerializer(appointment).data)

    def create(self, request, *args, **kwargs):
        data = AppointmentCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        usager_id = values.pop("usager")
        actor = actor_of(request)
        usager = selectors.usagers_for_user(actor).filter(pk=usager_id).first()
        if usager is None:
            raise exceptions.ValidationError({"usager": ["Personne introuvable."]})
        appointment = planning_services.appointment_create(actor, usager=usager, **values)
        return Response(AppointmentSerializer(appointment).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        if not kwargs.get("partial"):
            raise exceptions.MethodNotAllowed(request.method)
        actor = actor_of(request)
        appointment = planning_selectors.access_appointment(actor, kwargs["pk"], log_read=False)
        data = AppointmentUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        appointment = planning_services.appointment_update(actor, appointment=appointment, **data.validated_data)
        return Response(AppointmentSerializer(appointment).data)

    @extend_schema(summary="Annuler un rendez-vous", request=None, responses=AppointmentSerializer)
    @action(detail=True, methods=["post"], url_path="cancel")
    def cancel(self, request, pk=None, **kwargs):
        actor = actor_of(request)
        appointment = planning_selectors.access_appointment(actor, pk, log_read=False)
        appointment = planning_services.appointment_cancel(actor, appointment=appointment)
        return Response(AppointmentSerializer(appointment).data)


routes = [("appointments", AppointmentViewSet, "appointment")]
