"""REST routes of the plan de soins, registered by config/api_urls.py under /api/v1/.

- `GET care-actions/`: the catalogue of the ESSMS (the default one is created on first use).
- `GET care-plan-items/?usager=`, `GET care-plan-items/{id}/`, `POST care-plan-items/`,
  `POST care-plan-items/{id}/end/`: each person's schedule; a restraint only under an active
  prescription; an item is ended, never erased.
- `GET worklist/?unit=&poste=&date=`: the shift's worklist of a unit, grouped by person.
- `POST care-occurrences/{id}/validate/`: done / not done / refused with a client idempotency
  key: 201 recorded, 200 replay of the same key (nothing doubled), 409 validated by someone else,
  400 bad input (a later shift; outside the ESSMS's window without `reason`), 403 a métier the
  matrix does not let give this dose, 404 outside the ESSMS.
- `POST care-occurrences/{id}/cancel/`: "Annuler / corriger" with a reason, within the shift, by the
  author or a validator of the class; the cancelled validation is kept in `corrections`.

Reads go through the selectors and are audited; writes through the services (French messages).
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from dui import selectors
from dui.actor import actor_of
from dui.models import Metier
from dui.permissions import active_membership
from dui.shifts import Poste, ShiftError, parse_shift
from soins.models import CareAction, CareCategory, CarePlanItem, OccurrenceStatus, Timing
from soins.selectors import care as care_selectors
from soins.selectors import worklist as worklist_selectors
from soins.services import care as care_services
from soins.services import corrections as correction_services
from soins.services import worklist as worklist_services

MAX_BIGINT = 2**63 - 1
VALIDATION_STATUSES = [(s.value, s.label) for s in worklist_services.VALIDATION_STATUSES]


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "Ce soin a déjà été validé."
    default_code = "conflict"


def _id(raw: str, field: str, label: str) -> int:
    raw = (raw or "").strip()
    if not (raw.isascii() and raw.isdigit() and 0 < int(raw) <= MAX_BIGINT):
        raise exceptions.ValidationError({field: [f"Identifiant {label} invalide."]})
    return int(raw)


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
            items = items.filter(usager_id=_id(raw, "usager", "de personne"))
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
            unit = selectors.access_unit(actor, pk=_id(raw, "unit", "d'unité"))
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
            actor.user,
            occurrence_id=occurrence.pk,
            reason=data.validated_data["reason"],
            channel=actor.channel,
            ip=actor.ip,
        )
        occurrence.refresh_from_db()
        return Response(worklist_selectors.validation_payload(occurrence, replay=False))


routes = [
    ("care-actions", CareActionViewSet, "care-action"),
    ("care-plan-items", CarePlanItemViewSet, "care-plan-item"),
    ("worklist", WorklistViewSet, "worklist"),
    ("care-occurrences", CareOccurrenceViewSet, "care-occurrence"),
]
