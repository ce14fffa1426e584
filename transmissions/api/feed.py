"""REST routes of the transmissions, registered by config/api_urls.py.

`/api/v1/transmissions/`: list of the current versions the caller may read (`?usager=<id>`,
`?since=<ISO 8601>` = observed at or after), newest observation first, cursor-paginated (no
COUNT over the whole feed); POST writes a transmission. `/{id}/`: one version (any version of
a thread the caller may read) with `versions`, the readable history of its thread, newest first.
POST `/{id}/correct/` publishes a corrected version, POST `/{id}/result/` adds a result (also a
new version). Reads go through the selectors and are audited (channel api, lists in bulk);
writes go through the services, whose French messages come back as 400.
"""

import datetime

import django_filters
from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from dui import selectors
from dui.actor import actor_of
from dui.catalogue import WRITE
from dui.limits import NARRATIVE_MAX_LENGTH
from transmissions.models import Theme, Transmission, Visibility
from transmissions.selectors import cibles_for_user, transmissions_for_user
from transmissions.selectors import feed as feed_selectors
from transmissions.services import receipts
from transmissions.services.transmissions import transmission_add_result, transmission_correct, transmission_create

MAX_ID = 2**63 - 1


def _choices_description(choices) -> str:
    return " ; ".join(f"`{value}` : {label}" for value, label in choices)


@extend_schema_field(
    {"type": "string", "enum": Theme.values, "description": _choices_description(Theme.choices)},
    component_name="TransmissionThemeEnum",
)
class ThemeField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=Theme.choices, **kwargs)


@extend_schema_field(
    {"type": "string", "enum": Visibility.values, "description": _choices_description(Visibility.choices)},
    component_name="TransmissionVisibilityEnum",
)
class VisibilityField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=Visibility.choices, **kwargs)


# --- Output -------------------------------------------------------------------------------------


class TransmissionSerializer(serializers.ModelSerializer):
    thread = serializers.IntegerField(
        source="thread_id", read_only=True, help_text="Identifiant de la première version du fil."
    )
    usager = serializers.IntegerField(source="usager_id", read_only=True, allow_null=True)
    unit = serializers.IntegerField(source="unit_id", read_only=True, allow_null=True)
    unit_name = serializers.SerializerMethodField()
    cible = serializers.IntegerField(source="cible_id", read_only=True, allow_null=True)
    cible_label = serializers.CharField(read_only=True, help_text="Cible du catalogue, cible libre, ou « Note ».")
    is_free_cible = serializers.SerializerMethodField(help_text="Vrai pour une cible libre (hors catalogue).")
    theme = ThemeField(read_only=True)
    visibility = VisibilityField(read_only=True)
    author = serializers.IntegerField(source="author_id", read_only=True)
    author_name = serializers.SerializerMethodField()

    class Meta:
        model = Transmission
        fields = [
            "id",
            "thread",
            "version",
            "is_current",
            "usager",
            "unit",
            "unit_name",
            "cible",
            "cible_label",
            "free_cible",
            "is_free_cible",
            "theme",
            "donnees",
            "actions",
            "resultats",
            "narrative",
            "observed_at",
            "written_at",
            "author",
            "author_name",
            "author_metier",
            "visibility",
            "family_visible",
        ]
        read_only_fields = fields

    def get_unit_name(self, obj) -> str:
        return obj.unit.name if obj.unit_id else ""

    def get_is_free_cible(self, obj) -> bool:
        return obj.cible_id is None and bool(obj.free_cible)

    def get_author_name(self, obj) -> str:
        return obj.author.get_full_name() or obj.author.username


class TransmissionDetailSerializer(TransmissionSerializer):
    versions = serializers.SerializerMethodField(
        help_text="Les versions du fil que l'appelant peut lire, la plus récente d'abord."
    )

    class Meta(TransmissionSerializer.Meta):
        fields = [*TransmissionSerializer.Meta.fields, "versions"]
        read_only_fields = fields

    @extend_schema_field(TransmissionSerializer(many=True))
    def get_versions(self, obj):
        return TransmissionSerializer(self.context.get("versions", []), many=True).data


# --- Input --------------------------------------------------------------------------------------


def _id_field(help_text: str, **kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text=help_text, **kwargs)


def _text(help_text: str, **kwargs) -> serializers.CharField:
    return serializers.CharField(
        allow_blank=True,
        trim_whitespace=False,
        max_length=NARRATIVE_MAX_LENGTH,
        error_messages={"max_length": f"{NARRATIVE_MAX_LENGTH} caractères au plus."},
        help_text=help_text,
        **kwargs,
    )


class TransmissionCreateInput(serializers.Serializer):
    usager = _id_field("Dossier usager concerné (absent : `unit` pour toute l'unité).", required=False, allow_null=True)
    unit = _id_field(
        "Unité : toute l'unité (sans `usager`), ou l'unité au moment de l'observation (défaut : celle du placement).",
        required=False,
        allow_null=True,
    )
    cible = _id_field("Cible du catalogue de l'organisme.", required=False, allow_null=True)
    free_cible = serializers.CharField(
        max_length=120, required=False, allow_blank=True, default="", help_text="Cible libre, hors catalogue."
    )
    theme = ThemeField(required=False, allow_blank=True, default="", help_text="Défaut : le thème de la cible.")
    donnees = _text("Données (DAR).", required=False, default="")
    actions = _text("Actions (DAR).", required=False, default="")
    resultats = _text("Résultats (DAR) ; peuvent être ajoutés plus tard.", required=False, default="")
    narrative = _text("Note narrative (à la place du DAR).", required=False, default="")
    observed_at = serializers.DateTimeField(help_text="Heure de l'observation (pas dans le futur).")
    visibility = VisibilityField(
        required=False, default=Visibility.ALL_STAFF, help_text="Niveau permis par le métier de l'auteur."
    )
    family_visible = serializers.BooleanField(required=False, default=False)


class TransmissionCorrectInput(serializers.Serializer):
    """Only the fields sent change; the others are kept from the current version."""

    cible = _id_field("Cible du catalogue ; null pour la retirer.", required=False, allow_null=True)
    free_cible = serializers.CharField(max_length=120, required=False, allow_blank=True)
    theme = ThemeField(required=False)
    donnees = _text("Données.", required=False)
    actions = _text("Actions.", required=False)
    resultats = _text("Résultats.", required=False)
    narrative = _text("Note.", required=False)
    observed_at = serializers.DateTimeField(required=False)
    visibility = VisibilityField(required=False)
    family_visible = serializers.BooleanField(required=False)


class TransmissionResultInput(serializers.Serializer):
    resultats = serializers.CharField(
        max_length=NARRATIVE_MAX_LENGTH,
        error_messages={"max_length": f"{NARRATIVE_MAX_LENGTH} caractères au plus."},
        help_text="Résultat ajouté à la suite des résultats existants.",
    )


# --- Helpers ------------------------------------------------------------------------------------


def _input(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _resolve_cible(actor, data: dict) -> None:
    if "cible" in data and data["cible"] is not None:
        cible = cibles_for_user(actor).filter(pk=data["cible"]).first()
        if cible is None:
            raise serializers.ValidationError({"cible": ["Cible inconnue dans le catalogue de votre organisme."]})
        data["cible"] = cible


# Far dates are no error (everything, or nothing) but must stay convertible to UTC by the database driver.
EARLIEST = datetime.datetime(1000, 1, 1, tzinfo=datetime.UTC)
LATEST = datetime.datetime(9000, 1, 1, tzinfo=datetime.UTC)


class ClampedIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    def filter(self, qs, value):
        if value is not None:
            value = min(max(value, EARLIEST), LATEST)
        return super().filter(qs, value)


class TransmissionFilter(django_filters.FilterSet):
    usager = django_filters.NumberFilter(
        field_name="usager_id", min_value=1, max_value=MAX_ID, help_text="Identifiant du dossier usager."
    )
    since = ClampedIsoDateTimeFilter(
        field_name="observed_at",
        lookup_expr="gte",
        help_text="Observées à partir de cette date et heure (ISO 8601, par exemple 2025-01-31T08:00:00+01:00).",
        error_messages={
            "invalid": "Date et heure invalides : format ISO 8601 attendu, par exemple 2025-01-31T08:00:00+01:00."
        },
    )


class TransmissionPagination(CursorPagination):
    """Keyset pages on (observed_at, id) descending: as fast on the last page as on the first."""

    ordering = ("-observed_at", "-id")
    page_size = 50
    page_size_query_param = "limit"
    max_page_size = 500
    cursor_query_description = "Curseur de la page (champs `next` / `previous` de la réponse)."
    page_size_query_description = "Nombre de transmissions par page (500 au plus)."


# --- Viewset ------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Transmissions lisibles (versions actuelles), filtres ?usager= et ?since="),
    retrieve=extend_schema(summary="Une transmission, avec l'historique de ses versions"),
)
class TransmissionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = TransmissionSerializer
    filterset_class = TransmissionFilter
    pagination_class = TransmissionPagination

    def get_queryset(self):
        include_history = self.action != "list"
        return transmissions_for_user(actor_of(self.request), include_history=include_history).order_by(
            "-observed_at", "-id"
        )

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        feed_selectors.transmissions_shown(actor_of(request), page, detail="transmissions")
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def _detail(self, request, transmission, code=status.HTTP_200_OK):
        versions = feed_selectors.thread_versions(actor_of(request), transmission, detail="transmission et versions")
        data = TransmissionDetailSerializer(transmission, context={"versions": versions}).data
        return Response(data, status=code)

    @extend_schema(responses=TransmissionDetailSerializer)
    def retrieve(self, request, *args, **kwargs):
        return self._detail(request, self.get_object())

    @extend_schema(
        request=TransmissionCreateInput,
        responses={201: TransmissionSerializer},
        summary="Écrire une transmission (DAR ou note)",
    )
    def create(self, request, *args, **kwargs):
        data = _input(TransmissionCreateInput, request)
        actor = actor_of(request)
        if not actor.can(WRITE, Transmission.document_class_code):
            raise PermissionDenied("Votre métier ne permet pas d'écrire des transmissions.")
        if data.get("usager") is not None:
            usager = selectors.usagers_for_user(actor.user).filter(pk=data["usager"]).first()
            if usager is None:
                raise serializers.ValidationError({"usager": ["Personne inconnue dans cet établissement."]})
            data["usager"] = usager
        if data.get("unit") is not None:
            unit = selectors.units_for_user(actor).filter(pk=data["unit"]).first()
            if unit is None:
                raise serializers.ValidationError({"unit": ["Unité inconnue dans cet établissement."]})
            data["unit"] = unit
        _resolve_cible(actor, data)
        transmission = transmission_create(actor, **data)
        receipts.transmission_mark_read(actor, transmission=transmission)  # the author has read it
        return Response(TransmissionSerializer(transmission).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=TransmissionCorrectInput,
        responses={201: TransmissionDetailSerializer},
        summary="Corriger : publie une nouvelle version (l'ancienne reste dans l'historique)",
    )
    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None, **kwargs):
        transmission = self.get_object()
        data = _input(TransmissionCorrectInput, request)
        actor = actor_of(request)
        _resolve_cible(actor, data)
        if data.get("cible") is not None and "free_cible" not in data:
            data["free_cible"] = ""
        new = transmission_correct(actor, transmission=transmission, **data)
        receipts.transmission_mark_read(actor, transmission=new)  # the author has read it
        return self._detail(request, new, status.HTTP_201_CREATED)

    @extend_schema(
        request=TransmissionResultInput,
        responses={201: TransmissionDetailSerializer},
        summary="Ajouter un résultat (nouvelle version, éventuellement par un autre professionnel)",
    )
    @action(detail=True, methods=["post"])
    def result(self, request, pk=None, **kwargs):
        transmission = self.get_object()
        data = _input(TransmissionResultInput, request)
        actor = actor_of(request)
        new = transmission_add_result(actor, transmission=transmission, resultats=data["resultats"])
        receipts.transmission_mark_read(actor, transmission=new)
        return self._detail(request, new, status.HTTP_201_CREATED)


routes = [("transmissions", TransmissionViewSet, "transmission")]
