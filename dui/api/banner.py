"""REST routes of the patient banner and of the flags held on the dossier (alerts of the banner).

`usagers-bandeau/{id}/`: what the banner of a page shows, with the same rights.
`usagers-indicateurs/{id}/`: read and set soins palliatifs, directives anticipées, risque de
chute, fausse route, isolement BMR; each flag only when the matrix lets the métier read it
(null otherwise) or write it (PATCH of a flag it may not write: 403, nothing written).
"""

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.response import Response

from dui import selectors
from dui.actor import actor_of
from dui.selectors.banner import banner_page
from dui.selectors.medical import flags_page
from dui.services import medical as medical_services


class BannerAllergySerializer(serializers.Serializer):
    substance = serializers.CharField()
    severity = serializers.CharField(allow_null=True, help_text="legere, moderee, severe ; null si non précisée.")
    is_severe = serializers.BooleanField()


class BannerAlertSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Nom de l'indicateur : fall_risk, swallowing_disorder, isolation_bmr…")
    label = serializers.CharField()
    level = serializers.ChoiceField(choices=["danger", "warn", "info"])


class BannerSerializer(serializers.Serializer):
    usager = serializers.IntegerField()
    name_in_use = serializers.CharField(help_text="Nom et prénom utilisés.")
    birth_name = serializers.CharField()
    age = serializers.IntegerField()
    photo_url = serializers.CharField(allow_null=True)
    room = serializers.CharField(allow_null=True, help_text="null : séjours non lisibles pour ce métier.")
    unit = serializers.CharField(allow_null=True)
    allergies = BannerAllergySerializer(
        many=True,
        allow_null=True,
        help_text="null : allergies non lisibles ; [] : aucune allergie enregistrée (voir no_known_allergy_on).",
    )
    no_known_allergy_on = serializers.DateField(
        allow_null=True,
        help_text="Date de la déclaration « aucune allergie connue » en vigueur ; null : non renseigné (ou allergies).",
    )
    alerts = BannerAlertSerializer(many=True)


FLAG_HELP = "null : non lisible pour ce métier."


class FlagsSerializer(serializers.Serializer):
    """Every flag: true / false, or null when the métier may not read it (output); optional booleans (input)."""

    palliative_care = serializers.BooleanField(required=False, allow_null=True, help_text=FLAG_HELP)
    has_advance_directives = serializers.BooleanField(required=False, allow_null=True, help_text=FLAG_HELP)
    fall_risk = serializers.BooleanField(required=False, allow_null=True, help_text=FLAG_HELP)
    swallowing_disorder = serializers.BooleanField(required=False, allow_null=True, help_text=FLAG_HELP)
    isolation_bmr = serializers.BooleanField(required=False, allow_null=True, help_text=FLAG_HELP)

    def validate(self, attrs):
        unknown = sorted(set(self.initial_data) - set(self.fields)) if isinstance(self.initial_data, dict) else []
        if unknown:
            raise serializers.ValidationError({name: ["Champ inconnu : non modifiable ici."] for name in unknown})
        empty = [name for name, value in attrs.items() if value is None]
        if empty:
            raise serializers.ValidationError({name: ["Valeur attendue : true ou false."] for name in empty})
        return attrs


@extend_schema_view(retrieve=extend_schema(summary="Bandeau patient d'un usager", responses={200: BannerSerializer}))
class BannerViewSet(viewsets.GenericViewSet):
    serializer_class = BannerSerializer
    lookup_value_regex = r"[0-9]{1,18}"

    def retrieve(self, request, pk=None, **kwargs):
        banner = banner_page(actor_of(request), pk)
        return Response(BannerSerializer(banner.as_dict()).data)


@extend_schema_view(
    retrieve=extend_schema(summary="Indicateurs du dossier (alertes du bandeau)", responses={200: FlagsSerializer}),
    partial_update=extend_schema(
        summary="Modifier les indicateurs du dossier",
        request=FlagsSerializer,
        responses={
            200: FlagsSerializer,
            400: OpenApiResponse(description="Saisie refusée : messages en français ; rien n'est enregistré."),
            403: OpenApiResponse(description="Indicateur non modifiable par ce métier ; rien n'est enregistré."),
        },
    ),
)
class FlagsViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = FlagsSerializer
    lookup_value_regex = r"[0-9]{1,18}"
    http_method_names = ["get", "patch", "head", "options"]

    def retrieve(self, request, pk=None, **kwargs):
        actor = actor_of(request)
        return Response(flags_page(actor, selectors.access_usager(actor, pk)))

    def partial_update(self, request, pk=None, **kwargs):
        actor = actor_of(request)
        usager = selectors.access_usager(actor, pk)
        data = FlagsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        medical_services.usager_set_flags(actor, usager=usager, **data.validated_data)
        usager.refresh_from_db()
        return Response(flags_page(actor, usager))


routes = [
    ("usagers-bandeau", BannerViewSet, "usager-banner"),
    ("usagers-indicateurs", FlagsViewSet, "usager-flags"),
]
