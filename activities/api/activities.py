"""REST routes of the activities: catalogue, sessions (with their attendance action) and registrations.

Reads go through the scoped selectors (registrations are logged as read), writes through the
services; the API's exception handler turns their refusals into 400/403/404.
"""

import datetime

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from activities.models import Activity, ActivityKind, ActivitySession, Attendance, Registration, SessionStatus
from activities.selectors import participation as participation_selectors
from activities.selectors import programme as programme_selectors
from activities.services import participation as participation_services
from activities.services import programme as programme_services
from dui import dates, selectors
from dui.actor import actor_of
from dui.catalogue import WRITE
from dui.errors import NotFound

ID_REGEX = r"[0-9]+"


class ActivitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Activity
        fields = ["id", "kind", "name", "default_place", "is_active", "created_at"]
        read_only_fields = fields


class ActivityWriteSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ActivityKind.choices, required=False)
    name = serializers.CharField(max_length=120, required=False)
    default_place = serializers.CharField(max_length=120, required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False)


class ActivityCreateSerializer(ActivityWriteSerializer):
    kind = serializers.ChoiceField(choices=ActivityKind.choices)
    name = serializers.CharField(max_length=120, error_messages={"required": "Le nom de l'activité est obligatoire."})


def _id(value, field: str, label: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise exceptions.ValidationError({field: [f"Identifiant {label} invalide."]}) from None
    if not 0 < number < 2**63:
        raise exceptions.ValidationError({field: [f"Identifiant {label} invalide."]})
    return number


@extend_schema_view(
    list=extend_schema(summary="Catalogue des activités de l'établissement"),
    retrieve=extend_schema(summary="Une activité"),
    create=extend_schema(
        summary="Ajouter une activité", request=ActivityCreateSerializer, responses={201: ActivitySerializer}
    ),
    partial_update=extend_schema(
        summary="Modifier une activité", request=ActivityWriteSerializer, responses=ActivitySerializer
    ),
)
class ActivityViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):  # fmt: skip
    serializer_class = ActivitySerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    lookup_value_regex = ID_REGEX
    filter_backends = []

    def get_queryset(self):
        return programme_selectors.activities_for_user(actor_of(self.request)).order_by("name", "pk")

    def retrieve(self, request, *args, **kwargs):
        return Response(ActivitySerializer(programme_selectors.access_activity(actor_of(request), kwargs["pk"])).data)

    def create(self, request, *args, **kwargs):
        data = ActivityCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values.pop("is_active", None)
        activity = programme_services.activity_create(actor_of(request), **values)
        return Response(ActivitySerializer(activity).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        if not kwargs.get("partial"):
            raise exceptions.MethodNotAllowed(request.method)
        actor = actor_of(request)
        activity = programme_selectors.access_activity(actor, kwargs["pk"], action=WRITE)
        data = ActivityWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        activity = programme_services.activity_update(actor, activity=activity, **data.validated_data)
        return Response(ActivitySerializer(activity).data)


class SessionSerializer(serializers.ModelSerializer):
    activity = serializers.IntegerField(source="activity_id", read_only=True)
    activity_name = serializers.CharField(source="activity.name", read_only=True)
    units = serializers.SerializerMethodField()
    facilitators = serializers.SerializerMethodField()

    class Meta:
        model = ActivitySession
        fields = [
            "id", "activity", "activity_name", "starts_at", "ends_at", "place", "status", "units", "facilitators",
            "comment", "created_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_units(self, obj) -> list[int]:
        return sorted(unit.pk for unit in obj.units.all())

    def get_facilitators(self, obj) -> list[int]:
        return sorted(user.pk for user in obj.facilitators.all())


class SessionCreateSerializer(serializers.Serializer):
    activity = serializers.IntegerField(min_value=1, max_value=2**63 - 1, help_text="Identifiant de l'activité.")
    starts_at = serializers.DateTimeField(error_messages={"required": "La date et l'heure de début sont obligatoires."})
    ends_at = serializers.DateTimeField(required=False, allow_null=True)
    place = serializers.CharField(
        max_length=120, required=False, allow_blank=True, help_text="Absent : le lieu habituel."
    )
    status = serializers.ChoiceField(choices=SessionStatus.choices, default=SessionStatus.PLANNED)
    units = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1), required=False, max_length=100
    )
    facilitators = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1), required=False, max_length=100
    )
    comment = serializers.CharField(max_length=300, required=False, allow_blank=True)


class SessionStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=SessionStatus.choices)


class AttendanceSerializer(serializers.Serializer):
    usager = serializers.IntegerField(
        min_value=1, max_value=2**63 - 1, help_text="Identifiant du dossier de la personne."
    )
    attendance = serializers.ChoiceField(choices=Attendance.choices)
    satisfaction = serializers.IntegerField(required=False, allow_null=True, help_text="Note de 1 à 5, facultative.")
    comment = serializers.CharField(max_length=300, required=False, allow_blank=True)


class RegistrationSerializer(serializers.ModelSerializer):
    session = serializers.IntegerField(source="session_id", read_only=True)
    usager = serializers.IntegerField(source="usager_id", read_only=True)
    usager_name = serializers.CharField(source="usager.__str__", read_only=True)
    attendance = serializers.ChoiceField(
        choices=Attendance.choices,
        allow_blank=True,
        read_only=True,
        help_text="Vide tant que la présence n'est pas saisie.",
    )

    class Meta:
        model = Registration
        fields = [
            "id", "session", "usager", "usager_name", "attendance", "attendance_recorded_at", "satisfaction",
            "satisfaction_comment", "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class RegistrationCreateSerializer(serializers.Serializer):
    session = serializers.IntegerField(min_value=1, max_value=2**63 - 1, help_text="Identifiant de la séance.")
    usager = serializers.IntegerField(
        min_value=1, max_value=2**63 - 1, help_text="Identifiant du dossier de la personne."
    )


def _parse_day(params, name: str, errors: dict) -> datetime.date | None:
    if not params.get(name):
        return None
    try:
        day = datetime.date.fromisoformat(params[name])
    except ValueError:
        errors[name] = ["Date invalide : format AAAA-MM-JJ attendu."]
        return None
    if not dates.in_range(day):
        errors[name] = [dates.OUT_OF_RANGE]
        return None
    return day


@extend_schema_view(
    list=extend_schema(
        summary="Séances d'activité (filtrables par période et par activité)",
        parameters=[
            OpenApiParameter("start", OpenApiTypes.DATE, description="Premier jour (AAAA-MM-JJ, heure de Paris)."),
            OpenApiParameter("end", OpenApiTypes.DATE, description="Dernier jour inclus."),
            OpenApiParameter("activity", OpenApiTypes.INT, description="Identifiant de l'activité."),
        ],
    ),
    retrieve=extend_schema(summary="Une séance"),
    create=extend_schema(
        summary="Planifier ou enregistrer une séance",
        request=SessionCreateSerializer,
        responses={201: SessionSerializer},
    ),
)
class SessionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    serializer_class = SessionSerializer
    http_method_names = ["get", "post", "head", "options"]
    lookup_value_regex = ID_REGEX
    filter_backends = []

    def get_queryset(self):
        return programme_selectors.sessions_for_user(actor_of(self.request)).order_by("starts_at", "pk")

    def _filtered(self):
        qs = self.get_queryset()
        params, errors = self.request.query_params, {}
        start, end = _parse_day(params, "start", errors), _parse_day(params, "end", errors)
        if start:
            qs = qs.filter(starts_at__gte=programme_selectors.day_bounds(start)[0])
        if end:
            qs = qs.filter(starts_at__lt=programme_selectors.day_bounds(end)[1])
        if start and end and end < start:
            errors["end"] = ["La fin de la période précède son début."]
        if params.get("activity"):
            qs = qs.filter(activity_id=_id(params["activity"], "activity", "d'activité"))
        if errors:
            raise exceptions.ValidationError(errors)
        return qs

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self._filtered())
        return self.get_paginated_response(SessionSerializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        return Response(SessionSerializer(programme_selectors.access_session(actor_of(request), kwargs["pk"])).data)

    def create(self, request, *args, **kwargs):
        data = SessionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        actor = actor_of(request)
        try:
            activity = programme_selectors.access_activity(actor, values.pop("activity"), action=WRITE)
        except NotFound:
            raise exceptions.ValidationError({"activity": ["Activité inconnue dans cet établissement."]}) from None
        session = programme_services.session_create(
            actor,
            activity=activity,
            unit_ids=values.pop("units", []),
            facilitator_ids=values.pop("facilitators", []),
            **values,
        )
        return Response(SessionSerializer(session).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Marquer une séance réalisée ou annulée", request=SessionStatusSerializer, responses=SessionSerializer
    )
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request, pk=None, **kwargs):
        actor = actor_of(request)
        session = programme_selectors.access_session(actor, pk, action=WRITE)
        data = SessionStatusSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        session = programme_services.session_set_status(actor, session=session, status=data.validated_data["status"])
        return Response(SessionSerializer(session).data)

    @extend_schema(
        summary="Saisir la présence (et la satisfaction) d'une personne inscrite",
        request=AttendanceSerializer,
        responses=RegistrationSerializer,
    )
    @action(detail=True, methods=["post"], url_path="attendance")
    def attendance(self, request, pk=None, **kwargs):
        actor = actor_of(request)
        session = programme_selectors.access_session(actor, pk)
        data = AttendanceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        registration = participation_services.attendance_record(
            actor, session=session, usager_id=values.pop("usager"), **values
        )
        return Response(RegistrationSerializer(registration).data)


@extend_schema_view(
    list=extend_schema(
        summary="Inscriptions aux séances (par séance ou par personne)",
        parameters=[
            OpenApiParameter("session", OpenApiTypes.INT, description="Identifiant de la séance."),
            OpenApiParameter("usager", OpenApiTypes.INT, description="Identifiant du dossier de la personne."),
        ],
    ),
    retrieve=extend_schema(summary="Une inscription"),
    create=extend_schema(
        summary="Inscrire une personne à une séance",
        request=RegistrationCreateSerializer,
        responses={201: RegistrationSerializer},
    ),
)
class RegistrationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    serializer_class = RegistrationSerializer
    http_method_names = ["get", "post", "head", "options"]
    lookup_value_regex = ID_REGEX
    filter_backends = []

    def get_queryset(self):
        return participation_selectors.registrations_for_user(actor_of(self.request)).order_by("session_id", "pk")

    def list(self, request, *args, **kwargs):
        qs = self.get_queryset()
        params = request.query_params
        if params.get("session"):
            qs = qs.filter(session_id=_id(params["session"], "session", "de séance"))
        if params.get("usager"):
            qs = qs.filter(usager_id=_id(params["usager"], "usager", "de personne"))
        page = participation_selectors.registrations_listed(actor_of(request), self.paginate_queryset(qs))
        return self.get_paginated_response(RegistrationSerializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        registration = participation_selectors.access_registration(actor_of(request), kwargs["pk"])
        return Response(RegistrationSerializer(registration).data)

    def create(self, request, *args, **kwargs):
        data = RegistrationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        actor = actor_of(request)
        try:
            session = programme_selectors.access_session(actor, data.validated_data["session"])
        except NotFound:
            raise exceptions.ValidationError({"session": ["Séance introuvable."]}) from None
        usager = selectors.usagers_for_user(actor).filter(pk=data.validated_data["usager"]).first()
        if usager is None:
            raise exceptions.ValidationError({"usager": ["Personne introuvable."]})
        registration = participation_services.registration_create(actor, session=session, usager=usager)
        return Response(RegistrationSerializer(registration).data, status=status.HTTP_201_CREATED)


routes = [
    ("activities", ActivityViewSet, "activity"),
    ("activity-sessions", SessionViewSet, "activity-session"),
    ("activity-registrations", RegistrationViewSet, "activity-registration"),
]
