"""REST routes of the séjour domain, registered by config/api_urls.py.

`/api/v1/sejours/`: list (`?usager=<id>`), retrieve, POST opens a pré-admission; POST actions
`admit`, `exit`, `placements` (dated change), `absences`, `absence-end`.
`/api/v1/creton-decisions/`: list (`?usager=<id>`), retrieve, POST records a CDAPH decision;
`renewals-due` lists the decisions to renew. Reads go through the selectors and are audited;
writes go through the services (a rule broken → 400 with the French message, by the one handler).
"""

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from dui import selectors
from dui.actor import actor_of
from dui.models import (
    Absence,
    AbsenceKind,
    CretonDecision,
    ExitReason,
    Modality,
    Placement,
    Sejour,
    SejourStatus,
)
from dui.selectors import sejours as sejour_selectors
from dui.selectors.shown import row_shown, rows_shown
from dui.services import creton as creton_services
from dui.services import placements as placements_services
from dui.services import sejours as services


@extend_schema_field(
    {
        "type": "string",
        "enum": AbsenceKind.values,
        "description": " ; ".join(f"`{value}` : {label}" for value, label in AbsenceKind.choices),
    },
    component_name="AbsenceKindEnum",
)
class AbsenceKindField(serializers.ChoiceField):
    """The absence kind, as its own named component (other domains also have a `kind` with other choices)."""

    def __init__(self, **kwargs):
        super().__init__(choices=AbsenceKind.choices, **kwargs)


# --- Output -------------------------------------------------------------------------------------


class PlacementSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = Placement
        fields = ["id", "unit", "unit_name", "room", "modality", "starts_on", "ends_on"]


class AbsenceSerializer(serializers.ModelSerializer):
    kind = AbsenceKindField(read_only=True)

    class Meta:
        model = Absence
        fields = ["id", "kind", "starts_on", "ends_on", "comment"]


class SejourSerializer(serializers.ModelSerializer):
    placements = PlacementSerializer(many=True, read_only=True)
    absences = AbsenceSerializer(many=True, read_only=True)

    class Meta:
        model = Sejour
        fields = [
            "id",
            "usager",
            "status",
            "first_contact_on",
            "admitted_on",
            "contract_signed_on",
            "ended_on",
            "exit_reason",
            "exit_destination",
            "placements",
            "absences",
        ]


class CretonDecisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = CretonDecision
        fields = ["id", "usager", "decided_on", "valid_until", "orientation", "comment"]


# --- Input --------------------------------------------------------------------------------------


class SejourCreateInput(serializers.Serializer):
    usager = serializers.IntegerField(help_text="Identifiant du dossier usager.")
    first_contact_on = serializers.DateField(help_text="Date du premier contact (début de la pré-admission).")


class AdmitInput(serializers.Serializer):
    admitted_on = serializers.DateField()
    contract_signed_on = serializers.DateField(help_text="Signature du contrat de séjour.")
    unit = serializers.IntegerField(help_text="Unité de l'établissement du séjour.")
    modality = serializers.ChoiceField(choices=Modality.choices)
    room = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")


class PlacementInput(serializers.Serializer):
    starts_on = serializers.DateField(
        help_text="Premier jour de la nouvelle affectation ; la précédente finit la veille."
    )
    unit = serializers.IntegerField(required=False, help_text="Absent : unité inchangée.")
    modality = serializers.ChoiceField(choices=Modality.choices, required=False, help_text="Absent : inchangée.")
    room = serializers.CharField(max_length=20, required=False, allow_blank=True, help_text="Absent : inchangée.")


class AbsenceInput(serializers.Serializer):
    kind = AbsenceKindField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(required=False, allow_null=True, default=None, help_text="Dernier jour d'absence.")
    comment = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class AbsenceEndInput(serializers.Serializer):
    ends_on = serializers.DateField(help_text="Dernier jour d'absence de l'absence en cours.")


class ExitInput(serializers.Serializer):
    ended_on = serializers.DateField()
    exit_reason = serializers.ChoiceField(choices=ExitReason.choices)
    exit_destination = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class CretonInput(serializers.Serializer):
    usager = serializers.IntegerField()
    decided_on = serializers.DateField(help_text="Date de la décision CDAPH.")
    valid_until = serializers.DateField()
    orientation = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    comment = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


# --- Helpers ------------------------------------------------------------------------------------


def _input(serializer_class, request):
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _unit(request, sejour: Sejour, pk):
    unit = sejour_selectors.units_for_sejour(actor_of(request), usager=sejour.usager).filter(pk=pk).first()
    if unit is None:
        raise serializers.ValidationError({"unit": ["Unité inconnue ou fermée dans l'établissement du séjour."]})
    return unit


class UsagerFilter(django_filters.FilterSet):
    usager = django_filters.NumberFilter(
        field_name="usager_id", min_value=1, max_value=2**63 - 1, help_text="Identifiant du dossier usager."
    )


# --- Viewsets -----------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Séjours des dossiers accessibles (filtre ?usager=)"),
    retrieve=extend_schema(summary="Un séjour, avec ses affectations et absences"),
)
class SejourViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = SejourSerializer
    filterset_class = UsagerFilter

    def get_queryset(self):
        return sejour_selectors.sejours_for_user(actor_of(self.request)).order_by("-first_contact_on", "-id")

    def _output(self, sejour_pk, code=status.HTTP_200_OK):
        sejour = self.get_queryset().get(pk=sejour_pk)
        return Response(SejourSerializer(sejour).data, status=code)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        page = rows_shown(actor_of(request), page, detail="liste des séjours")
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        sejour = row_shown(actor_of(request), self.get_object())
        return Response(self.get_serializer(sejour).data)

    @extend_schema(request=SejourCreateInput, responses={201: SejourSerializer}, summary="Ouvrir une pré-admission")
    def create(self, request, *args, **kwargs):
        data = _input(SejourCreateInput, request)
        usager = selectors.access_usager(actor_of(request), data["usager"])
        sejour = services.sejour_open_pre_admission(
            actor_of(request),
            usager=usager,
            first_contact_on=data["first_contact_on"],
        )
        return self._output(sejour.pk, status.HTTP_201_CREATED)

    @extend_schema(request=AdmitInput, responses=SejourSerializer, summary="Admission (contrat de séjour signé)")
    @action(detail=True, methods=["post"])
    def admit(self, request, pk=None, **kwargs):
        sejour = self.get_object()
        data = _input(AdmitInput, request)
        unit = _unit(request, sejour, data.pop("unit"))
        services.sejour_admit(actor_of(request), sejour=sejour, unit=unit, **data)
        return self._output(sejour.pk)

    @extend_schema(
        request=PlacementInput,
        responses={201: PlacementSerializer},
        summary="Changement daté d'unité, de chambre ou de modalité",
    )
    @action(detail=True, methods=["post"])
    def placements(self, request, pk=None, **kwargs):
        sejour = self.get_object()
        data = _input(PlacementInput, request)
        if "unit" in data:
            data["unit"] = _unit(request, sejour, data["unit"])
        placement = placements_services.placement_change(actor_of(request), sejour=sejour, **data)
        return Response(PlacementSerializer(placement).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AbsenceInput, responses={201: AbsenceSerializer}, summary="Déclarer une absence")
    @action(detail=True, methods=["post"])
    def absences(self, request, pk=None, **kwargs):
        sejour = self.get_object()
        data = _input(AbsenceInput, request)
        absence = placements_services.absence_record(actor_of(request), sejour=sejour, **data)
        return Response(AbsenceSerializer(absence).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AbsenceEndInput, responses=AbsenceSerializer, summary="Retour de l'absence en cours")
    @action(detail=True, methods=["post"], url_path="absence-end")
    def absence_end(self, request, pk=None, **kwargs):
        sejour = self.get_object()
        data = _input(AbsenceEndInput, request)
        absence = sejour_selectors.open_absence(sejour)
        if absence is None:
            raise serializers.ValidationError({"non_field_errors": ["Aucune absence en cours pour ce séjour."]})
        absence = placements_services.absence_end(actor_of(request), absence=absence, **data)
        return Response(AbsenceSerializer(absence).data)

    @extend_schema(
        request=ExitInput,
        responses=SejourSerializer,
        summary="Sortie (ou abandon d'une pré-admission) ; archive le dossier sans autre séjour ouvert",
    )
    @action(detail=True, methods=["post"])
    def exit(self, request, pk=None, **kwargs):
        sejour = self.get_object()
        data = _input(ExitInput, request)
        service = services.sejour_cancel if sejour.status == SejourStatus.PRE_ADMISSION else services.sejour_exit
        service(actor_of(request), sejour=sejour, **data)
        return self._output(sejour.pk)


@extend_schema_view(
    list=extend_schema(summary="Décisions Amendement Creton des dossiers accessibles (filtre ?usager=)"),
    retrieve=extend_schema(summary="Une décision Amendement Creton"),
)
class CretonDecisionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = CretonDecisionSerializer
    filterset_class = UsagerFilter

    def get_queryset(self):
        return sejour_selectors.creton_decisions_for_user(actor_of(self.request)).order_by("-decided_on", "-id")

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        page = rows_shown(actor_of(request), page, detail="décisions Creton")
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        decision = row_shown(actor_of(request), self.get_object())
        return Response(self.get_serializer(decision).data)

    @extend_schema(request=CretonInput, responses={201: CretonDecisionSerializer}, summary="Saisir une décision CDAPH")
    def create(self, request, *args, **kwargs):
        data = _input(CretonInput, request)
        usager = selectors.access_usager(actor_of(request), data.pop("usager"))
        decision = creton_services.creton_decision_record(actor_of(request), usager=usager, **data)
        return Response(CretonDecisionSerializer(decision).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        responses=CretonDecisionSerializer(many=True),
        summary="Décisions à renouveler (échues ou échéance dans les 60 jours)",
    )
    @action(detail=False, methods=["get"], url_path="renewals-due", filterset_class=None, pagination_class=None)
    def renewals_due(self, request, *args, **kwargs):
        decisions = sejour_selectors.creton_alerts_page(actor_of(request))
        return Response(CretonDecisionSerializer(decisions, many=True).data)


routes = [
    ("sejours", SejourViewSet, "sejour"),
    ("creton-decisions", CretonDecisionViewSet, "creton-decision"),
]
