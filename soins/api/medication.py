"""REST routes of the medication area.

- prescription-lines: list (?usager=), retrieve, create (médecin), validate and stop actions (médecin),
  interventions action (pharmacist comment or substitution), as-needed-doses action (a "si besoin"
  dose given or refused by an IDE, idempotent like a worklist validation: 201 recorded, 200 replay);
- medication-charts/{usager}/?date=: a person's day chart (plan d'administration, soins.api.medication_charts).

Reads go through the scoped selectors (404 outside the active ESSMS), which log them; writes go
through the services, whose French messages come back through the API's exception handler as 400
(403 for a métier that may not act).
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from dui import selectors
from dui.actor import actor_of
from soins.api import medication_charts as medication_charts_api
from soins.api.prescription_lines import InterventionSerializer, PrescriptionLineSerializer
from soins.api.worklist import IDEMPOTENT_RESPONSES, MomentField
from soins.models import (
    InterventionKind,
    OccurrenceStatus,
    PrescriptionKind,
    PrescriptionLine,
    Route,
)
from soins.selectors import medication as medication_selectors
from soins.selectors import worklist as worklist_selectors
from soins.services import doses as dose_services
from soins.services import medication as medication_services

MAX_BIGINT = 2**63 - 1


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
        return medication_selectors.lines_for_user(actor_of(self.request)).order_by("usager_id", "-starts_on", "-pk")

    def _line(self, pk) -> PrescriptionLine:
        return medication_selectors.access_line(actor_of(self.request), pk)

    def list(self, request, *args, **kwargs):
        qs = self.get_queryset()
        raw = request.query_params.get("usager", "").strip()
        if raw:
            if not (raw.isascii() and raw.isdigit() and 0 < int(raw) <= MAX_BIGINT):
                raise exceptions.ValidationError({"usager": ["Identifiant de personne invalide."]})
            qs = qs.filter(usager_id=int(raw))
        page = medication_selectors.lines_page(actor_of(request), self.paginate_queryset(qs))
        return self.get_paginated_response(PrescriptionLineSerializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        line = medication_selectors.line_detail(actor_of(request), kwargs["pk"])
        return Response(PrescriptionLineSerializer(line).data)

    def create(self, request, *args, **kwargs):
        data = PrescriptionLineCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        actor = actor_of(request)
        usager = selectors.usagers_for_user(actor).filter(pk=values.pop("usager")).first()
        if usager is None:
            raise exceptions.ValidationError({"usager": ["Personne introuvable."]})
        line = medication_services.prescription_create(actor, usager, **values)
        return Response(PrescriptionLineSerializer(self._line(line.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Valider une ligne (médecin)", request=None, responses=PrescriptionLineSerializer)
    @action(detail=True, methods=["post"], url_path="validate")
    def validate(self, request, pk=None, **kwargs):
        line = self._line(pk)
        medication_services.prescription_validate(actor_of(request), line)
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
        medication_services.prescription_stop(actor_of(request), line, **data.validated_data)
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
        intervention = medication_services.intervention_create(actor_of(request), line, **data.validated_data)
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
        dose, created = dose_services.as_needed_record(actor_of(request), line, **data.validated_data)
        return Response(
            worklist_selectors.validation_payload(dose, replay=not created),
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


routes = [
    ("prescription-lines", PrescriptionLineViewSet, "prescription-line"),
    *medication_charts_api.routes,
]
