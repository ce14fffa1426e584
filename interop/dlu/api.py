"""REST routes of the DLU (partner systems rely on these names):

- `POST /api/v1/usagers/{id}/dlu/` generates a new version → `id`, `version`, `created_at`, `missing`, `pdf`;
- `GET /api/v1/usagers/{id}/dlu/` the current version's metadata (404 when none was generated);
- `GET /api/v1/dlu-versions/{id}/pdf/` (the `pdf` URL) the PDF of one version (`application/pdf`).
"""

from django.http import FileResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from dui import selectors
from dui.actor import actor_of
from interop.dlu import selectors as dlu_selectors
from interop.dlu.services import dlu_generate

NONE_YET = "Aucun DLU n'a encore été généré pour ce dossier."


class MissingItemSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    url = serializers.CharField(help_text="Page du dossier où compléter la donnée.")


class DluSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    version = serializers.IntegerField(source="version.number")
    created_at = serializers.DateTimeField()
    layout = serializers.CharField(help_text="has2015 (EHPAD) ou dludom2021 (services à domicile).")
    automatic = serializers.BooleanField(help_text="Régénéré automatiquement après une modification du dossier.")
    sha256 = serializers.CharField(source="version.sha256")
    missing = MissingItemSerializer(many=True)
    sources = serializers.DictField(child=serializers.CharField(allow_null=True), help_text="Date de chaque source.")
    pdf = serializers.SerializerMethodField()

    def get_pdf(self, generation) -> str:
        url = reverse("api:dlu-version-pdf", kwargs={"pk": generation.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class UsagerDluViewSet(viewsets.ViewSet):
    """The DLU of one dossier (`id`: the dossier): current version, or a new generation."""

    lookup_value_regex = "[0-9]+"

    @extend_schema(
        methods=["GET"], request=None, responses={200: DluSerializer, 404: OpenApiResponse(description=NONE_YET)}
    )
    @extend_schema(methods=["POST"], request=None, responses={201: DluSerializer})
    @action(detail=True, methods=["get", "post"])
    def dlu(self, request, pk=None, format=None):
        actor = actor_of(request)
        usager = selectors.access_usager(actor, pk)
        if request.method == "POST":
            generation = dlu_generate(actor, usager=usager)
            return Response(
                DluSerializer(generation, context={"request": request}).data, status=status.HTTP_201_CREATED
            )
        current = dlu_selectors.current_dlu(actor, usager=usager)
        if current is None:  # the dossier exists and is readable: say why there is nothing
            return Response({"detail": NONE_YET}, status=status.HTTP_404_NOT_FOUND)
        return Response(DluSerializer(current, context={"request": request}).data)


class DluVersionViewSet(viewsets.ViewSet):
    """One generated DLU version (`id`: the `id` returned by the DLU routes)."""

    lookup_value_regex = "[0-9]+"

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None, format=None):
        generation = dlu_selectors.dlu_version_in_reach(actor_of(request), pk)
        name = f"dlu-v{generation.version.number}.pdf"
        response = FileResponse(generation.version.file.open("rb"), content_type="application/pdf", filename=name)
        response["Cache-Control"] = "no-store"
        return response


routes = [("usagers", UsagerDluViewSet, "usager-dlu"), ("dlu-versions", DluVersionViewSet, "dlu-version")]
