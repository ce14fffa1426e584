"""REST routes of the worklist, registered with the plan de soins' routes under /api/v1/.

- `GET worklist/?unit=&poste=&date=`: the shift's worklist of a unit, grouped by person.
- `POST care-occurrences/{id}/validate/`: done / not done / refused with a client idempotency
  key: 201 recorded, 200 replay of the same key (nothing doubled), 409 validated by someone else,
  400 bad input (a later shift; outside the ESSMS's window without `reason`), 403 a métier the
  matrix does not let give this dose, 404 outside the ESSMS.
- `POST care-occurrences/{id}/cancel/`: "Annuler / corriger" with a reason, within the shift, by the
  author or a validator of the class; the cancelled validation is kept in `corrections`.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from dui import selectors
from dui.actor import actor_of
from dui.shifts import Poste, ShiftError, parse_shift
from soins.models import OccurrenceStatus, Timing
from soins.selectors import worklist as worklist_selectors
from soins.services import corrections as correction_services
from soins.services import worklist as worklist_services

MAX_BIGINT = 2**63 - 1
VALIDATION_STATUSES = [(s.value, s.label) for s in worklist_services.VALIDATION_STATUSES]


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "Ce soin a déjà été validé."
    default_code = "conflict"


def id_param(raw: str, field: str, label: str) -> int:
    """A positive id from a query parameter, or a French 400 on `field`."""
    raw = (raw or "").strip()
    if not (raw.isascii() and raw.isdigit() and 0 < int(raw) <= MAX_BIGINT):
        raise exceptions.ValidationError({field: [f"Identifiant {label} invalide."]})
    return int(raw)


# --- Worklist -----------------------------------------------------------------------------------


class OccurrenceSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="occurrence.pk")
    kind = serializers.ChoiceField(
        choices=[("soin", "Soin"), ("medicament", "Médicament"), ("suivi", "Suivi d'évaluation")]
    )
    label = serializers.CharField(source="occurrence.label")
    instructions = serializers.CharField()
    metier = serializers.CharField(source="occurrence.metier")
    due_at = serializers.DateTimeField(source="occurrence.due_at")
    due_before = serializers.DateTimeField(source="occurrence.due_before")
    status = serializers.ChoiceField(choices=OccurrenceStatus.choices, source="occurrence.status")
    late = serializers.BooleanField(help_text="À faire, heure limite dépassée.")
    missed = serializers.BooleanField(help_text="À faire, poste terminé.")
    can_validate = serializers.BooleanField(help_text="Selon la matrice, la prescription et le poste.")
    can_correct = serializers.BooleanField(help_text="« Annuler / corriger » possible (auteur ou IDE, même poste).")
    outside_window = serializers.BooleanField(help_text="À faire, hors du créneau : un motif sera demandé.")
    comment = serializers.CharField(source="occurrence.comment")
    timing = serializers.ChoiceField(choices=Timing.choices, allow_blank=True, source="occurrence.timing")
    timing_reason = serializers.CharField(source="occurrence.timing_reason")
    corrections = serializers.ListField(
        child=serializers.CharField(),
        help_text="Validations annulées (« Annuler / corriger »), gardées : qui, quand, motif.",
    )
    performed_at = serializers.DateTimeField(source="occurrence.performed_at", allow_null=True)
    validated_by = serializers.SerializerMethodField()
    prescription = serializers.IntegerField(source="occurrence.prescription_id", allow_null=True)

    def get_validated_by(self, item) -> str:
        return item.occurrence.validated_by_name


class WorklistPersonSerializer(serializers.Serializer):
    usager = serializers.IntegerField(source="usager.pk")
    name = serializers.CharField(source="usager.__str__")
    room = serializers.CharField(allow_blank=True)
    items = OccurrenceSerializer(many=True)


class WorklistSerializer(serializers.Serializer):
    unit = serializers.IntegerField(source="unit.pk")
    unit_name = serializers.CharField(source="unit.name")
    poste = serializers.ChoiceField(choices=Poste.choices, source="shift.poste")
    date = serializers.DateField(source="shift.date")
    start = serializers.DateTimeField(source="shift.start")
    end = serializers.DateTimeField(source="shift.end")
    persons = WorklistPersonSerializer(many=True)
    absents = serializers.SerializerMethodField()

    def get_absents(self, worklist) -> list[int]:
        return [usager.pk for usager in worklist.absents]


class OneObjectSchema(AutoSchema):
    """The worklist `list` answers one object (the unit's shift), not an array."""

    def _is_list_view(self, serializer=None) -> bool:
        return False


class WorklistViewSet(viewsets.GenericViewSet):
    serializer_class = WorklistSerializer
    schema = OneObjectSchema()
    pagination_class = None
    filter_backends = []

    @extend_schema(
        summary="Liste de soins d'une unité pour un poste, par personne",
        parameters=[
            OpenApiParameter(
                "unit", OpenApiTypes.INT, description="Unité (la première de l'établissement par défaut)."
            ),
            OpenApiParameter("poste", OpenApiTypes.STR, enum=Poste.values, description="Poste (en cours par défaut)."),
            OpenApiParameter("date", OpenApiTypes.DATE, description="Date du poste (AAAA-MM-JJ)."),
        ],
        responses={200: WorklistSerializer},
    )
    def list(self, request, *args, **kwargs):
        actor = actor_of(request)
        if not worklist_selectors.may_read_worklist(actor):
            raise exceptions.NotFound()
        raw = request.query_params.get("unit", "")
        if raw.strip():
            unit = selectors.access_unit(actor, pk=id_param(raw, "unit", "d'unité"))
        else:
            unit = worklist_selectors.default_unit(actor)
            if unit is None:
                raise exceptions.NotFound("Aucune unité dans cet établissement.")
        now = timezone.now()
        try:
            shift = parse_shift(request.query_params.get("poste"), request.query_params.get("date"), now=now)
        except ShiftError as error:
            raise exceptions.ValidationError({error.field: [error.message]}) from None
        worklist = worklist_services.worklist_open(actor, unit, shift, now=now)
        return Response(WorklistSerializer(worklist).data)


# --- Validation ---------------------------------------------------------------------------------


class MomentField(serializers.DateTimeField):
    """A date and time; one too far to convert between time zones is invalid, never a 500."""

    def to_internal_value(self, value):
        try:
            return super().to_internal_value(value)
        except OverflowError:
            raise serializers.ValidationError("Heure de réalisation invalide.") from None


class ValidationInputSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=VALIDATION_STATUSES,
        error_messages={"invalid_choice": "État inconnu : choisissez done (fait), not_done (non fait) ou refused."},
    )
    idempotency_key = serializers.UUIDField(
        help_text="Clé créée par le client avant l'envoi : renvoyée, elle ne compte rien deux fois.",
        error_messages={"invalid": "Clé d'idempotence invalide (UUID attendu)."},
    )
    comment = serializers.CharField(
        required=False, allow_blank=True, max_length=300, help_text="Obligatoire pour non fait et refusé."
    )
    performed_at = MomentField(
        required=False,
        allow_null=True,
        help_text=(
            "Heure où le soignant a validé sur la tablette (par défaut : la réception) ; c'est elle qui compte "
            "pour le créneau. Refusée si elle est dans le futur (au-delà de 5 min) ou date de plus de 24 h."
        ),
    )
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=300,
        help_text="Motif de l'écart : obligatoire hors du créneau de l'ESSMS (± 60 min par défaut pour un médicament, "
        "le poste pour un soin).",
    )
    unit = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=MAX_BIGINT,
        help_text="Unité de la liste de soins (par défaut : l'unité de la personne ce jour-là).",
    )


class ValidationResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=OccurrenceStatus.choices)
    status_label = serializers.CharField()
    comment = serializers.CharField(allow_blank=True)
    validated_by = serializers.CharField()
    performed_at = serializers.DateTimeField(allow_null=True)
    performed_at_label = serializers.CharField(allow_blank=True)
    recorded_at = serializers.DateTimeField(allow_null=True)
    timing = serializers.ChoiceField(
        choices=Timing.choices, allow_blank=True, help_text="Dans le créneau, en avance ou en retard."
    )
    timing_reason = serializers.CharField(allow_blank=True)
    replay = serializers.BooleanField(help_text="Vrai si cette clé avait déjà été reçue : rien n'a été compté.")


CANCEL_REASON = "Indiquez le motif de l'annulation."


class CancelInputSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=300,
        help_text="Motif de l'annulation (obligatoire).",
        error_messages={
            "required": "Indiquez le motif de l'annulation.",
            "blank": "Indiquez le motif de l'annulation.",
        },
    )


# What an idempotent recording answers: 201 the first time, 200 (nothing doubled) for a key already received.
IDEMPOTENT_RESPONSES = {
    201: ValidationResultSerializer,
    200: OpenApiResponse(ValidationResultSerializer, description="Même clé déjà reçue : rien n'est doublé."),
}


class CareOccurrenceViewSet(viewsets.GenericViewSet):
    serializer_class = ValidationResultSerializer
    lookup_value_regex = r"[0-9]+"
    filter_backends = []

    def get_queryset(self):
        return worklist_selectors.occurrences_for_user(actor_of(self.request))

    @extend_schema(
        summary="Valider un soin : fait, non fait ou refusé (idempotent)",
        request=ValidationInputSerializer,
        responses={
            **IDEMPOTENT_RESPONSES,
            400: OpenApiResponse(
                description="Saisie invalide ; soin d'un poste à venir (refusé) ; hors du créneau sans motif : "
                "l'erreur porte sur `reason`."
            ),
            403: OpenApiResponse(
                description="Métier non habilité par la matrice (une prise non marquée « aide à la prise » revient "
                "à l'IDE)."
            ),
            409: OpenApiResponse(description="Déjà validé par quelqu'un d'autre (qui, quand)."),
        },
    )
    @action(detail=True, methods=["post"])
    def validate(self, request, pk=None, **kwargs):
        actor = actor_of(request)
        occurrence = worklist_selectors.access_occurrence(actor, pk)
        data = ValidationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        unit = worklist_selectors.unit_for_validation(actor, raw_unit=values.get("unit"), occurrence=occurrence)
        try:
            occurrence, created = worklist_services.occurrence_validate(
                actor,
                occurrence_id=occurrence.pk,
                unit=unit,
                status=values["status"],
                idempotency_key=values["idempotency_key"],
                comment=values.get("comment", ""),
                reason=values.get("reason", ""),
                performed_at=values.get("performed_at"),
            )
        except DjangoValidationError as error:
            # Already validated by someone else: a 409 (the one answer the shared handler does not give).
            if getattr(error, "code", None) == "conflict":
                raise Conflict(" ".join(error.messages)) from None
            raise
        return Response(
            worklist_selectors.validation_payload(occurrence, replay=not created),
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(
        summary="Annuler / corriger une validation (motif obligatoire ; l'original reste dans l'historique)",
        request=CancelInputSerializer,
        responses={
            200: ValidationResultSerializer,
            400: OpenApiResponse(description="Motif manquant ou trop long ; soin pas encore validé."),
            403: OpenApiResponse(description="Ni l'auteur ni un(e) IDE ; ou poste de la validation terminé."),
        },
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None, **kwargs):
        actor = actor_of(request)
        occurrence = worklist_selectors.access_occurrence(actor, pk)
        data = CancelInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        correction_services.validation_cancel(
            actor,
            occurrence_id=occurrence.pk,
            reason=data.validated_data["reason"],
        )
        occurrence.refresh_from_db()
        return Response(worklist_selectors.validation_payload(occurrence, replay=False))


routes = [
    ("worklist", WorklistViewSet, "worklist"),
    ("care-occurrences", CareOccurrenceViewSet, "care-occurrence"),
]
