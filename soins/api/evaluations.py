"""REST routes of the evaluations: the grids' definitions (to render them on a tablet or in a
partner's software), and evaluations: list (?usager=, ?grid=), retrieve, create.

A create sends the answers as a JSON object {item code: value}; the grid engine validates them
and its French messages come back as 400, keyed under "answers" by item code.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.response import Response

from dui import selectors
from dui.actor import actor_of
from soins.api import nutrition as nutrition_api
from soins.grids import GRID_CODES, GRIDS
from soins.selectors import evaluations as evaluation_selectors
from soins.services import evaluations as evaluation_services

MAX_BIGINT = 2**63 - 1


class ChoiceOptionSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()


class ScalePointSerializer(serializers.Serializer):
    value = serializers.IntegerField()
    label = serializers.CharField()


class GridItemSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    type = serializers.CharField(
        help_text="booleen (true/false), entier, decimal, choix (une valeur de choices), choix_multiple (liste), "
        'adverbes (AGGIR : {S, T, C, H: true/false} ou la modalité "A", "B", "C").'
    )
    required = serializers.BooleanField()
    help = serializers.CharField(help_text="Aide au remplissage affichée sous la question.")
    unit = serializers.CharField()
    minimum = serializers.FloatField(allow_null=True)
    maximum = serializers.FloatField(allow_null=True)
    decimals = serializers.IntegerField()
    choices = ChoiceOptionSerializer(many=True)
    scale = ScalePointSerializer(many=True, help_text="Libellés des valeurs d'un item entier (Bristol, EN).")
    group = serializers.CharField()


class AdverbSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    help = serializers.CharField()


class GridSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    description = serializers.CharField()
    document_class = serializers.CharField(help_text="Classe documentaire de la matrice d'habilitation.")
    source = serializers.CharField()
    score_label = serializers.CharField()
    items = GridItemSerializer(many=True)
    adverbs = AdverbSerializer(many=True)


class FollowUpSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField()
    due_at = serializers.DateTimeField()
    status = serializers.CharField(help_text="pending, done, not_done ou refused.")


class EvaluationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    usager = serializers.IntegerField(source="usager_id")
    usager_name = serializers.CharField(source="usager.__str__")
    grid = serializers.CharField()
    grid_label = serializers.SerializerMethodField()
    answers = serializers.JSONField(help_text="Les réponses validées, par code d'item.")
    score = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    results = serializers.JSONField(help_text="Ce que la grille a calculé (IMC, GIR et rang, valeurs hors normes…).")
    interpretation = serializers.CharField()
    evaluated_at = serializers.DateTimeField()
    comment = serializers.CharField()
    created_by = serializers.SerializerMethodField()
    follow_ups = FollowUpSerializer(many=True, help_text="Soins de suivi programmés dans la liste de travail.")

    def get_grid_label(self, evaluation) -> str:
        return evaluation_selectors.grid_of(evaluation).label

    def get_created_by(self, evaluation) -> str:
        user = evaluation.created_by
        return user.get_full_name() or user.username


class MomentField(serializers.DateTimeField):
    """A date and time; one too far in the past to convert between time zones is invalid, never a 500."""

    def to_internal_value(self, value):
        try:
            return super().to_internal_value(value)
        except OverflowError:
            raise serializers.ValidationError("Date et heure de l'évaluation invalides.") from None


class EvaluationCreateSerializer(serializers.Serializer):
    usager = serializers.IntegerField(min_value=1, max_value=MAX_BIGINT, help_text="Identifiant du dossier.")
    grid = serializers.ChoiceField(
        choices=[(grid.code, grid.label) for grid in GRIDS],
        help_text="Code de la grille (voir /api/v1/evaluation-grids/).",
        error_messages={"invalid_choice": f"Grille inconnue. Grilles : {', '.join(GRID_CODES)}."},
    )
    answers = serializers.JSONField(help_text="Objet { code de l'item : valeur } ; voir la définition de la grille.")
    evaluated_at = MomentField(required=False, help_text="Par défaut : maintenant. Jamais dans le futur.")
    comment = serializers.CharField(required=False, allow_blank=True, max_length=evaluation_services.MAX_COMMENT)


class _EvaluationOut(EvaluationSerializer):
    follow_ups = FollowUpSerializer(many=True, source="follow_ups_list")


@extend_schema_view(
    list=extend_schema(
        summary="Grilles d'évaluation proposées dans l'établissement actif (selon son type), avec leurs items"
    )
)
class GridViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = GridSerializer
    pagination_class = None
    filter_backends = []

    def get_queryset(self):
        return None

    def list(self, request, *args, **kwargs):
        grids = evaluation_selectors.offered_grids(actor_of(request))
        return Response(GridSerializer([grid.definition() for grid in grids], many=True).data)


@extend_schema_view(
    list=extend_schema(
        summary="Évaluations (grilles remplies)",
        parameters=[
            OpenApiParameter("usager", OpenApiTypes.INT, description="Identifiant du dossier de la personne."),
            OpenApiParameter("grid", OpenApiTypes.STR, enum=list(GRID_CODES), description="Code de la grille."),
        ],
        responses=EvaluationSerializer(many=True),
    ),
    retrieve=extend_schema(summary="Une évaluation", responses=EvaluationSerializer),
    create=extend_schema(
        summary="Enregistrer une évaluation (réponses validées et scorées par la grille)",
        request=EvaluationCreateSerializer,
        responses={201: EvaluationSerializer},
    ),
)
class EvaluationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    serializer_class = EvaluationSerializer
    http_method_names = ["get", "post", "head", "options"]
    lookup_value_regex = r"[0-9]+"
    filter_backends = []

    def get_queryset(self):
        return evaluation_selectors.evaluations_for_user(actor_of(self.request))

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
        raw = params.get("grid", "").strip()
        if raw:
            if raw in GRID_CODES:
                qs = qs.filter(grid=raw)
            else:
                errors["grid"] = [f"Grille inconnue. Grilles : {', '.join(GRID_CODES)}."]
        if errors:
            raise exceptions.ValidationError(errors)
        return qs

    def _out(self, evaluations, many=False):
        rows = list(evaluations) if many else [evaluations]
        evaluation_selectors.attach_follow_ups(rows)
        return _EvaluationOut(rows if many else rows[0], many=many).data

    def list(self, request, *args, **kwargs):
        page = evaluation_selectors.evaluations_page(actor_of(request), self.paginate_queryset(self._filtered()))
        return self.get_paginated_response(self._out(page, many=True))

    def retrieve(self, request, *args, **kwargs):
        evaluation = evaluation_selectors.access_evaluation(actor_of(request), kwargs["pk"], log=True)
        return Response(self._out(evaluation))

    def create(self, request, *args, **kwargs):
        data = EvaluationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        actor = actor_of(request)
        usager = selectors.usagers_for_user(actor).filter(pk=values["usager"]).first()
        if usager is None:
            raise exceptions.ValidationError({"usager": ["Personne introuvable."]})
        evaluation = evaluation_services.evaluation_record(
            actor,
            usager=usager,
            grid=values["grid"],
            answers=values["answers"],
            evaluated_at=values.get("evaluated_at"),
            comment=values.get("comment", ""),
        )
        evaluation = self.get_queryset().filter(pk=evaluation.pk).first() or evaluation
        return Response(self._out(evaluation), status=status.HTTP_201_CREATED)


routes = [
    ("evaluation-grids", GridViewSet, "evaluation-grid"),
    ("evaluations", EvaluationViewSet, "evaluation"),
    *nutrition_api.routes,
]
