"""REST routes of the medication area.

- prescription-lines: list (?usager=), retrieve, create (médecin), validate and stop actions (médecin),
  interventions action (pharmacist comment or substitution), as-needed-doses action (a "si besoin"
  dose given or refused by an IDE, idempotent like a worklist validation: 201 recorded, 200 replay);
- medication-charts/{usager}/?date=: a person's day chart (plan d'administration).

Reads go through the scoped selectors (404 outside the active ESSMS) and are audited; writes go
through the services, whose French messages come back as 400 (403 for a métier that may not act).
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from dui import audit, selectors
from dui.models import AccessAction
from soins.api.worklist import IDEMPOTENT_RESPONSES, MomentField
from soins.models import (
    InterventionKind,
    OccurrenceStatus,
    PharmacistIntervention,
    PrescriptionKind,
    PrescriptionLine,
    Route,
)
from soins.selectors import medication as medication_selectors
from soins.selectors import worklist as worklist_selectors
from soins.selectors.drug_safety import with_allergy_matches
from soins.services import medication as medication_services

MAX_BIGINT = 2**63 - 1


def _name(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


class InterventionSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    author = serializers.SerializerMethodField()

    class Meta:
        model = PharmacistIntervention
        fields = ["id", "line", "kind", "kind_label", "text", "substitute", "author", "created_at"]
        read_only_fields = fields

    def get_author(self, obj) -> str:
        return _name(obj.created_by)


class AllergyMatchSerializer(serializers.Serializer):
    allergy = serializers.IntegerField(source="allergy.pk")
    substance = serializers.CharField(source="allergy.substance", help_text="Libellé de l'allergie.")
    severity = serializers.CharField(source="allergy.severity")
    via = serializers.CharField(help_text="Substance (et classe) du médicament en cause.")
    message = serializers.CharField()


class PrescriptionLineSerializer(serializers.ModelSerializer):
    usager = serializers.IntegerField(source="usager_id", read_only=True)
    usager_name = serializers.CharField(source="usager.__str__", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    route_label = serializers.CharField(source="get_route_display", read_only=True)
    times = serializers.ListField(child=serializers.CharField(), read_only=True, help_text="Heures HH:MM.")
    prescribed_by = serializers.SerializerMethodField()
    validated_by = serializers.SerializerMethodField()
    stopped_by = serializers.SerializerMethodField()
    is_validated = serializers.SerializerMethodField()
    is_current = serializers.SerializerMethodField()
    interventions = InterventionSerializer(many=True, read_only=True)
    referentiel = serializers.SerializerMethodField(
        help_text="« référentiel » (spécialité BDPM, contrôlée) ou « hors référentiel : non vérifiable »."
    )
    allergy_matches = serializers.SerializerMethodField(
        help_text="Allergies actives de la personne qui touchent une substance ou une classe de ce médicament."
    )

    class Meta:
        model = PrescriptionLine
        fields = [
            "id",
            "usager",
            "usager_name",
            "kind",
            "kind_label",
            "drug",
            "dose",
            "route",
            "route_label",
            "times",
            "weekdays",
            "as_needed",
            "as_needed_condition",
            "max_per_day",
            "starts_on",
            "ends_on",
            "instructions",
            "aide_a_la_prise",
            "dispensed_as",
            "prescribed_by",
            "created_at",
            "is_validated",
            "validated_by",
            "validated_at",
            "stopped_by",
            "stopped_at",
            "stop_reason",
            "is_current",
            "interventions",
            "drug_ref",
            "units_per_dose",
            "referentiel",
            "allergy_matches",
            "allergy_override_reason",
            "allergy_override_at",
        ]
        read_only_fields = fields

    def get_referentiel(self, obj) -> str:
        if obj.kind != PrescriptionKind.MEDICAMENT:
            return ""
        return medication_services.UNVERIFIABLE if obj.unverifiable else "référentiel"

    @extend_schema_field(AllergyMatchSerializer(many=True))
    def get_allergy_matches(self, obj):
        matches = getattr(obj, "allergy_matches", None)
        if matches is None:
            matches = with_allergy_matches(obj.usager_id, [obj])[0].allergy_matches
        return AllergyMatchSerializer(matches, many=True).data

    def get_prescribed_by(self, obj) -> str:
        return _name(obj.created_by)

    def get_validated_by(self, obj) -> str:
        return _name(obj.validated_by)

    def get_stopped_by(self, obj) -> str:
        return _name(obj.stopped_by)

    def get_is_validated(self, obj) -> bool:
        return obj.validated_at is not None

    def get_is_current(self, obj) -> bool:
        return medication_selectors.is_current(obj)


class PrescriptionLineCreateSerializer(serializers.Serializer):
    usager = serializers.IntegerField(min_value=1, max_value=MAX_BIGINT, help_text="Identifiant du dossier.")
    kind = serializers.ChoiceField(
        choices=PrescriptionKind.choices,
        default=PrescriptionKind.MEDICAMENT,
        error_messages={"invalid_choice": "Nature inconnue : medicament ou contention."},
    )
    drug = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        help_text="Médicament en texte libre (« hors référentiel : non vérifiable »), ou type de contention.",
    )
    drug_ref = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=MAX_BIGINT,
        help_text="Spécialité du référentiel (/api/v1/drugs/) ; son nom remplace `drug`.",
    )
    units_per_dose = serializers.DecimalField(
        max_digits=6,
        decimal_places=2,
        required=False,
        allow_null=True,
        min_value=0,
        help_text="Unités (comprimé, gélule, ml…) par prise ; obligatoire avec drug_ref (maximum journalier).",
    )
    allergy_override_reason = serializers.CharField(
        max_length=300,
        required=False,
        allow_blank=True,
        help_text="Motif écrit par un médecin pour prescrire malgré une allergie connue. Sans lui, une "
        "spécialité qui touche une allergie est refusée : 400 avec une erreur sur ce champ.",
    )
    dose = serializers.CharField(max_length=100, required=False, allow_blank=True)
    route = serializers.ChoiceField(
        choices=Route.choices,
        required=False,
        allow_blank=True,
        error_messages={"invalid_choice": "Voie d'administration inconnue « {input} »."},
    )
    times = serializers.ListField(
        child=serializers.CharField(max_length=10),
        required=False,
        max_length=24,
        help_text="Heures d'administration HH:MM (aucune pour un « si besoin »).",
    )
    weekdays = serializers.CharField(
        max_length=7, required=False, default="1234567", help_text="Jours : 1 = lundi … 7 = dimanche."
    )
    as_needed = serializers.BooleanField(required=False, default=False)
    as_needed_condition = serializers.CharField(max_length=200, required=False, allow_blank=True)
    max_per_day = serializers.IntegerField(min_value=1, max_value=24, required=False, allow_null=True)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(required=False, allow_null=True)
    instructions = serializers.CharField(max_length=300, required=False, allow_blank=True)
    aide_a_la_prise = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Aide à la prise (CASF L.313-26) : un(e) aide-soignant(e) ou AES peut valider ces prises ; "
        "sinon seule l'IDE (matrice : administration_medicaments).",
    )


class StopSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=200, error_messages={"required": "Indiquez le motif de l'arrêt.", "blank": "Indiquez le motif."}
    )


class InterventionCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=InterventionKind.choices,
        error_messages={"invalid_choice": "Nature inconnue : commentaire ou substitution."},
    )
    text = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    substitute = serializers.CharField(
        max_length=200, required=False, allow_blank=True, help_text="Substitution : la spécialité délivrée."
    )


class AsNeededDoseSerializer(serializers.Serializer):
    idempotency_key = serializers.UUIDField(
        help_text="Clé créée par le client avant l'envoi : renvoyée, elle n'enregistre rien deux fois.",
        error_messages={"invalid": "Clé d'idempotence invalide (UUID attendu)."},
    )
    status = serializers.ChoiceField(
        choices=[(OccurrenceStatus.DONE, "donné"), (OccurrenceStatus.REFUSED, "refusé")],
        default=OccurrenceStatus.DONE,
        error_messages={"invalid_choice": "État inconnu : done (donné) ou refused (refusé)."},
    )
    comment = serializers.CharField(
        required=False, allow_blank=True, max_length=300, help_text="Obligatoire pour un refus."
    )
    performed_at = MomentField(
        required=False, allow_null=True, help_text="Heure de la prise (par défaut : la réception)."
    )


class ChartDoseSerializer(serializers.Serializer):
    time = serializers.CharField(help_text="Heure HH:MM (heure de Paris).")
    due_at = serializers.DateTimeField(allow_null=True)
    state = serializers.ChoiceField(choices=list(medication_selectors.STATE_LABELS.items()))
    state_label = serializers.CharField(source="label")
    administration = serializers.IntegerField(source="occurrence.pk", allow_null=True, default=None)
    comment = serializers.CharField(source="occurrence.comment", default="")
    validated_by = serializers.CharField(source="who")
    performed_at = serializers.DateTimeField(source="occurrence.performed_at", allow_null=True, default=None)
    timing = serializers.CharField(
        source="occurrence.timing", default="", help_text="on_time, early ou late (validation hors créneau) ; vide."
    )
    timing_reason = serializers.CharField(source="occurrence.timing_reason", default="")


class ChartRowSerializer(serializers.Serializer):
    line = PrescriptionLineSerializer()
    scheduled_today = serializers.BooleanField(help_text="Le jour de la semaine fait partie des jours prescrits.")
    doses = ChartDoseSerializer(source="cells", many=True, help_text="Prises à heure fixe.")
    as_needed_doses = ChartDoseSerializer(source="as_needed", many=True, help_text="Prises « si besoin » du jour.")
    given_count = serializers.IntegerField()


class ChartSerializer(serializers.Serializer):
    usager = serializers.IntegerField(source="usager.pk")
    usager_name = serializers.CharField(source="usager.__str__")
    date = serializers.DateField(source="day")
    rows = ChartRowSerializer(many=True)


def _validation_error(error: DjangoValidationError) -> exceptions.ValidationError:
    if hasattr(error, "error_dict"):
        detail: dict[str, list[str]] = {}
        for field, texts in error.message_dict.items():
            detail.setdefault("non_field_errors" if field == "__all__" else field, []).extend(texts)
        return exceptions.ValidationError(detail)
    return exceptions.ValidationError({"non_field_errors": error.messages})


def _run(call):
    try:
        return call()
    except DjangoPermissionDenied as error:
        raise exceptions.PermissionDenied(str(error)) from None
    except DjangoValidationError as error:
        raise _validation_error(error) from None


def _meta(request) -> dict:
    return {"channel": audit.channel_of(request), "ip": audit.client_ip(request)}


@extend_schema_view(
    list=extend_schema(
        summary="Lignes de prescription (filtrables par personne)",
        parameters=[OpenApiParameter("usager", OpenApiTypes.INT, description="Identifiant du dossier de la personne.")],
    ),
    retrieve=extend_schema(summary="Une ligne de prescription, avec ses interventions pharmaceutiques"),
    create=extend_schema(
        summary="Prescrire une ligne (médecin) : elle attend sa validation",
        request=PrescriptionLineCreateSerializer,
        responses={
            201: PrescriptionLineSerializer,
            400: OpenApiResponse(
                description="Saisie refusée. Allergie : erreur sur `allergy_override_reason` (renvoyer avec un motif "
                "écrit par un médecin) ; maximum journalier dépassé : erreur sur `units_per_dose` ; "
                "spécialité inconnue : erreur sur `drug_ref`."
            ),
            403: OpenApiResponse(description="Métier non autorisé (seul un médecin prescrit ou passe outre)."),
        },
    ),
)
class PrescriptionLineViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    serializer_class = PrescriptionLineSerializer
    http_method_names = ["get", "post", "head", "options"]
    lookup_value_regex = r"[0-9]+"
    filter_backends = []

    def get_queryset(self):
        return medication_selectors.lines_for_user(self.request.user).order_by("usager_id", "-starts_on", "-pk")

    def _line(self, pk) -> PrescriptionLine:
        return medication_selectors.access_line(user=self.request.user, pk=pk)

    def list(self, request, *args, **kwargs):
        qs = self.get_queryset()
        raw = request.query_params.get("usager", "").strip()
        if raw:
            if not (raw.isascii() and raw.isdigit() and 0 < int(raw) <= MAX_BIGINT):
                raise exceptions.ValidationError({"usager": ["Identifiant de personne invalide."]})
            qs = qs.filter(usager_id=int(raw))
        page = self.paginate_queryset(qs)
        for usager_id in {line.usager_id for line in page}:
            with_allergy_matches(usager_id, [line for line in page if line.usager_id == usager_id])
        audit.log_reads(request.user, page, detail="lignes de prescription", **_meta(request))
        return self.get_paginated_response(PrescriptionLineSerializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        line = self._line(kwargs["pk"])
        audit.log_access(request.user, AccessAction.READ, line, **_meta(request))
        return Response(PrescriptionLineSerializer(line).data)

    def create(self, request, *args, **kwargs):
        data = PrescriptionLineCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        usager = selectors.usagers_for_user(request.user).filter(pk=values.pop("usager")).first()
        if usager is None:
            raise exceptions.ValidationError({"usager": ["Personne introuvable."]})
        line = _run(lambda: medication_services.prescription_create(request.user, usager, **_meta(request), **values))
        return Response(PrescriptionLineSerializer(self._line(line.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Valider une ligne (médecin)", request=None, responses=PrescriptionLineSerializer)
    @action(detail=True, methods=["post"], url_path="validate")
    def validate(self, request, pk=None, **kwargs):
        line = self._line(pk)
        _run(lambda: medication_services.prescription_validate(request.user, line, **_meta(request)))
        return Response(PrescriptionLineSerializer(self._line(pk)).data)

    @extend_schema(
        summary="Arrêter une ligne (médecin) : ses prises à venir quittent la liste de soins",
        request=StopSerializer,
        responses=PrescriptionLineSerializer,
    )
    @action(detail=True, methods=["post"], url_path="stop")
    def stop(self, request, pk=None, **kwargs):
        line = self._line(pk)
        data = StopSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        _run(lambda: medication_services.prescription_stop(request.user, line, **data.validated_data, **_meta(request)))
        return Response(PrescriptionLineSerializer(self._line(pk)).data)

    @extend_schema(
        summary="Intervention pharmaceutique (pharmacien) : commentaire ou substitution",
        request=InterventionCreateSerializer,
        responses={201: InterventionSerializer},
    )
    @action(detail=True, methods=["post"], url_path="interventions")
    def interventions(self, request, pk=None, **kwargs):
        line = self._line(pk)
        data = InterventionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        intervention = _run(
            lambda: medication_services.intervention_create(request.user, line, **data.validated_data, **_meta(request))
        )
        return Response(InterventionSerializer(intervention).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Enregistrer une prise « si besoin » (IDE) : donnée ou refusée, idempotente",
        request=AsNeededDoseSerializer,
        responses=IDEMPOTENT_RESPONSES,
    )
    @action(detail=True, methods=["post"], url_path="as-needed-doses")
    def as_needed_doses(self, request, pk=None, **kwargs):
        line = self._line(pk)
        data = AsNeededDoseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        dose, created = _run(
            lambda: medication_services.as_needed_record(request.user, line, **data.validated_data, **_meta(request))
        )
        return Response(
            worklist_selectors.validation_payload(dose, replay=not created),
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


@extend_schema_view(
    retrieve=extend_schema(
        summary="Plan d'administration d'une personne pour un jour",
        parameters=[
            OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Identifiant du dossier."),
            OpenApiParameter(
                "date", OpenApiTypes.DATE, description="Jour (AAAA-MM-JJ, heure de Paris) ; aujourd'hui par défaut."
            ),
        ],
        responses=ChartSerializer,
    ),
)
class MedicationChartViewSet(viewsets.GenericViewSet):
    serializer_class = ChartSerializer
    http_method_names = ["get", "head", "options"]
    lookup_value_regex = r"[0-9]+"
    filter_backends = []
    pagination_class = None

    def get_queryset(self):
        return selectors.usagers_for_user(self.request.user)

    def retrieve(self, request, pk=None, **kwargs):
        usager = selectors.access_usager(request.user, pk=pk)
        try:
            day = medication_selectors.parse_day(request.query_params.get("date"))
        except DjangoValidationError as error:
            raise exceptions.ValidationError({"date": error.messages}) from None
        chart = medication_selectors.day_chart(user=request.user, usager=usager, day=day)
        audit.log_reads(
            request.user,
            [row.line for row in chart.rows] + chart.occurrences,
            detail=f"plan d'administration du {day:%d/%m/%Y}",
            **_meta(request),
        )
        return Response(ChartSerializer(chart).data)


routes = [
    ("prescription-lines", PrescriptionLineViewSet, "prescription-line"),
    ("medication-charts", MedicationChartViewSet, "medication-chart"),
]
