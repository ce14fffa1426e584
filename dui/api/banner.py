"""REST routes of the patient banner and of the flags held on the dossier (alerts of the banner).

`usagers-bandeau/{id}/`: what the banner of a page shows, with the same rights.
`usagers-indicateurs/{id}/`: read and set soins palliatifs, directives anticipées, risque de
chute, fausse route, isolement BMR; each flag only when the matrix lets the métier read it
(null otherwise) or write it (PATCH of a flag it may not write: 403, nothing written).
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.response import Response

from dui import audit, selectors
from dui.api.entourage import call_service
from dui.models import Channel
from dui.selectors.banner import banner_for, banner_sections
from dui.selectors.medical import FLAG_CLASSES, DossierSection, flags_for
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


def _usager(view, pk):
    try:
        return selectors.access_usager(view.request.user, pk=pk)
    except Exception as error:  # Http404 and a non-numeric id alike
        raise exceptions.NotFound() from error


@extend_schema_view(retrieve=extend_schema(summary="Bandeau patient d'un usager", responses={200: BannerSerializer}))
class BannerViewSet(viewsets.GenericViewSet):
    serializer_class = BannerSerializer
    lookup_value_regex = r"[0-9]{1,18}"

    def retrieve(self, request, pk=None, **kwargs):
        usager = _usager(self, pk)
        banner = banner_for(user=request.user, usager=usager)
        audit.log_reads(
            request.user, [usager, *banner_sections(banner)], channel=Channel.API, ip=audit.client_ip(request),
            detail="bandeau patient",
        )  # fmt: skip
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

    def _answer(self, usager):
        flags = flags_for(user=self.request.user, usager=usager)
        readable = [DossierSection(usager, FLAG_CLASSES[f]) for f, v in flags.items() if v is not None]
        audit.log_reads(self.request.user, readable, channel=Channel.API, ip=audit.client_ip(self.request))
        return Response(flags)

    def retrieve(self, request, pk=None, **kwargs):
        return self._answer(_usager(self, pk))

    def partial_update(self, request, pk=None, **kwargs):
        usager = _usager(self, pk)
        data = FlagsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            call_service(
                medical_services.usager_set_flags,
                acting_user=request.user,
                usager=usager,
                channel=Channel.API,
                ip=audit.client_ip(request),
                **data.validated_data,
            )
        except DjangoPermissionDenied as error:
            raise exceptions.PermissionDenied(str(error)) from None
        usager.refresh_from_db()
        return self._answer(usager)


routes = [
    ("usagers-bandeau", BannerViewSet, "usager-banner"),
    ("usagers-indicateurs", FlagsViewSet, "usager-flags"),
]
