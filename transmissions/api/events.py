"""REST routes of the structured events: list (?usager=, ?kind=, ?since=), retrieve, create.

Reads go through the scoped selector (active ESSMS, 'evenements' class, visibility of the event's
transmission) and are audited (lists in bulk); a create goes through the kind's service, which
also writes the transmission; its French messages come back as 400.
"""

import datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.response import Response

from dui import selectors
from dui.actor import actor_of
from transmissions.forms_events import SEVERITY_CHOICES
from transmissions.models import Event, EventKind, Visibility
from transmissions.selectors import events as event_selectors
from transmissions.services import events as event_services
from transmissions.visibility import may_use_level

MAX_BIGINT = 2**63 - 1
EARLIEST = datetime.datetime(1900, 1, 1, tzinfo=datetime.UTC)
LATEST = datetime.datetime(3000, 1, 1, tzinfo=datetime.UTC)

# The fields each kind takes besides usager, kind, occurred_at, visibility and family_visible.
KIND_FIELDS = {
    EventKind.EPILEPSIE: {"duration_seconds", "seizure_type", "circumstances", "treatment_given"},
    EventKind.CHUTE: {"place", "circumstances", "consequences", "severity"},
    EventKind.INCIDENT: {"place", "circumstances", "consequences", "severity"},
    EventKind.COMPORTEMENT: {"place", "circumstances", "consequences", "severity"},
}
ALL_KIND_FIELDS = set().union(*KIND_FIELDS.values())
# Service error keys → API fields.
FIELD_OF = {"started_at": "occurred_at", "observed_at": "occurred_at", "cible": "kind", "theme": "kind"}


class MomentField(serializers.DateTimeField):
    """A date and time; one too far in the past to convert between time zones is invalid, never a 500."""

    def to_internal_value(self, value):
        try:
            return super().to_internal_value(value)
        except OverflowError:
            raise serializers.ValidationError("Date et heure de l'événement invalides.") from None


class EventSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    usager = serializers.IntegerField(source="usager_id", read_only=True)
    usager_name = serializers.CharField(source="usager.__str__", read_only=True)
    transmission = serializers.IntegerField(
        source="transmission_id", read_only=True, help_text="La transmission écrite avec l'événement."
    )
    visibility = serializers.ChoiceField(choices=Visibility.choices, source="transmission.visibility", read_only=True)
    author_metier = serializers.CharField(source="transmission.author_metier", read_only=True)
    severity = serializers.ChoiceField(
        choices=SEVERITY_CHOICES, allow_blank=True, read_only=True, help_text="Vide : gravité non précisée."
    )
    written_at = serializers.DateTimeField(source="transmission.written_at", read_only=True)

    class Meta:
        model = Event
        fields = [
            "id",
            "kind",
            "kind_label",
            "usager",
            "usager_name",
            "occurred_at",
            "duration_seconds",
            "seizure_type",
            "place",
            "circumstances",
            "consequences",
            "treatment_given",
            "severity",
            "transmission",
            "visibility",
            "author_metier",
            "written_at",
        ]
        read_only_fields = fields


class EventCreateSerializer(serializers.Serializer):
    """Input of a create: the kind, the person, when, and the kind's own fields."""

    kind = serializers.ChoiceField(
        choices=EventKind.choices,
        help_text=(
            "epilepsie : duration_seconds, seizure_type (obligatoires), circumstances, treatment_given ; "
            "chute : place (obligatoire), circumstances, consequences, severity ; "
            "incident / comportement : circumstances (obligatoire), place, consequences, severity."
        ),
        error_messages={"invalid_choice": "Type d'événement inconnu : epilepsie, chute, incident ou comportement."},
    )
    usager = serializers.IntegerField(
        min_value=1, max_value=MAX_BIGINT, help_text="Identifiant du dossier de la personne."
    )
    occurred_at = MomentField(help_text="Début de la crise ou heure de l'événement (ISO 8601).")
    duration_seconds = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=event_services.MAX_DURATION_SECONDS,
        help_text="Crise : durée en secondes (1 à 86 400).",
        error_messages={
            "min_value": "La durée de la crise doit être supérieure à zéro.",
            "max_value": "La durée de la crise ne peut pas dépasser 24 heures.",
        },
    )
    seizure_type = serializers.CharField(required=False, allow_blank=True, max_length=80)
    place = serializers.CharField(required=False, allow_blank=True, max_length=120)
    circumstances = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    consequences = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    treatment_given = serializers.CharField(required=False, allow_blank=True, max_length=200)
    severity = serializers.ChoiceField(choices=SEVERITY_CHOICES, required=False, allow_blank=True)
    visibility = serializers.ChoiceField(
        choices=Visibility.choices,
        required=False,
        help_text="Par défaut : équipe soignante si votre métier y a accès, sinon tous les professionnels.",
    )
    family_visible = serializers.BooleanField(required=False, default=False)

    def validate(self, attrs):
        kind = attrs["kind"]
        extra = sorted(field for field in ALL_KIND_FIELDS - KIND_FIELDS[kind] if attrs.get(field) not in (None, ""))
        if extra:
            raise serializers.ValidationError(
                {field: [f"Champ sans objet pour « {EventKind(kind).label} »."] for field in extra}
            )
        return attrs


def _api_fields(error: DjangoValidationError) -> DjangoValidationError:
    """The service's error with its fields named as the API input names them (the handler answers it)."""
    if not hasattr(error, "error_dict"):
        return error
    renamed: dict[str, list[str]] = {}
    for field, messages in error.message_dict.items():
        renamed.setdefault(FIELD_OF.get(field, field), []).extend(messages)
    return DjangoValidationError(renamed)


@extend_schema_view(
    list=extend_schema(
        summary="Événements structurés (crises, chutes, incidents, comportement)",
        parameters=[
            OpenApiParameter("usager", OpenApiTypes.INT, description="Identifiant du dossier de la personne."),
            OpenApiParameter("kind", OpenApiTypes.STR, enum=EventKind.values, description="Type d'événement."),
            OpenApiParameter(
                "since", OpenApiTypes.DATETIME, description="Survenus à partir de cette date et heure (ISO 8601)."
            ),
        ],
    ),
    retrieve=extend_schema(summary="Un événement"),
    create=extend_schema(
        summary="Enregistrer un événement (écrit aussi sa transmission)",
        request=EventCreateSerializer,
        responses={201: EventSerializer},
    ),
)
class EventViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    serializer_class = EventSerializer
    http_method_names = ["get", "post", "head", "options"]
    lookup_value_regex = r"[0-9]+"  # any other id is a 404 from the router, never a 500
    filter_backends = []

    def get_queryset(self):
        return event_selectors.events_for_user(actor_of(self.request)).order_by("-occurred_at", "-pk")

    def _filtered(self):
        qs = self.get_queryset()
        params = self.request.query_params
        errors = {}
        raw = params.get("usager", "").strip()
        if raw:
            if raw.isascii() and raw.isdigit() and 0 < int(raw) <= MAX_BIGINT:
                qs = qs.filter(usager_id=int(raw))
            else:
                errors["usager"] = ["Identifiant de personne invalide."]
        raw = params.get("kind", "").strip()
        if raw:
            if raw in EventKind.values:
                qs = qs.filter(kind=raw)
            else:
                errors["kind"] = ["Type d'événement inconnu : epilepsie, chute, incident ou comportement."]
        raw = params.get("since", "").strip()
        if raw:
            try:
                since = parse_datetime(raw)
            except ValueError:
                since = None
            if since is None:
                errors["since"] = ["Date et heure invalides : format ISO 8601 attendu (AAAA-MM-JJTHH:MM)."]
            else:
                if timezone.is_naive(since):
                    since = timezone.make_aware(since)
                # Far dates mean "everything" or "nothing"; kept in range so the database conversion cannot overflow.
                qs = qs.filter(occurred_at__gte=min(max(since, EARLIEST), LATEST))
        if errors:
            raise exceptions.ValidationError(errors)
        return qs

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self._filtered())
        event_selectors.events_shown(actor_of(request), page, detail="liste des événements")
        return self.get_paginated_response(EventSerializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        event = event_selectors.access_event(actor_of(request), kwargs["pk"], log=True)
        return Response(EventSerializer(event).data)

    def create(self, request, *args, **kwargs):
        data = EventCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        actor = actor_of(request)
        usager = selectors.usagers_for_user(actor.user).filter(pk=values.pop("usager")).first()
        if usager is None:
            raise exceptions.ValidationError({"usager": ["Personne introuvable."]})
        kind = values.pop("kind")
        occurred_at = values.pop("occurred_at")
        if "visibility" not in values:
            values["visibility"] = Visibility.CARE_STAFF if may_use_level(actor, Visibility.CARE_STAFF) else "all"
        common = {
            "usager": usager,
            "visibility": values.pop("visibility"),
            "family_visible": values.pop("family_visible", False),
        }
        try:
            if kind == EventKind.EPILEPSIE:
                event = event_services.event_record_epilepsy(
                    actor,
                    started_at=occurred_at,
                    duration_seconds=values.get("duration_seconds"),
                    seizure_type=values.get("seizure_type", ""),
                    circumstances=values.get("circumstances", ""),
                    treatment_given=values.get("treatment_given", ""),
                    **common,
                )
            elif kind == EventKind.CHUTE:
                event = event_services.event_record_fall(
                    actor,
                    occurred_at=occurred_at,
                    place=values.get("place", ""),
                    circumstances=values.get("circumstances", ""),
                    consequences=values.get("consequences", ""),
                    severity=values.get("severity", ""),
                    **common,
                )
            else:
                event = event_services.event_record_incident(
                    actor,
                    occurred_at=occurred_at,
                    kind=kind,
                    place=values.get("place", ""),
                    circumstances=values.get("circumstances", ""),
                    consequences=values.get("consequences", ""),
                    severity=values.get("severity", ""),
                    **common,
                )
        except DjangoValidationError as error:
            raise _api_fields(error) from None
        event = event_selectors.events_for_user(actor).filter(pk=event.pk).first() or event
        return Response(EventSerializer(event).data, status=status.HTTP_201_CREATED)


routes = [("events", EventViewSet, "event")]
