"""GET /api/v1/: an index of the routes, so a partner who starts from the base URL finds its way.
Authenticated like the rest of the API (the index names no personal data, but the API is private)."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

ROOT_SCHEMA = inline_serializer(
    "ApiRoot",
    {
        "name": serializers.CharField(),
        "version": serializers.CharField(),
        "documentation": serializers.URLField(help_text="Documentation interactive (Swagger UI)."),
        "schema": serializers.URLField(help_text="Schéma OpenAPI 3."),
        "routes": serializers.DictField(
            child=serializers.URLField(), help_text="Nom de la ressource → URL de sa liste."
        ),
    },
)


class ApiRootApi(APIView):
    routes: list[tuple[str, str]] = []  # (prefix, URL name), filled by config.api_urls

    @extend_schema(responses=ROOT_SCHEMA, summary="Index des routes de l'API", operation_id="api_root")
    def get(self, request):
        routes = {"me": reverse("api:me", request=request)}
        for prefix, name in self.routes:
            routes[prefix] = reverse(name, request=request)
        return Response(
            {
                "name": "DUI — API partenaires",
                "version": "1.0.0",
                "documentation": reverse("api-docs", request=request),
                "schema": reverse("api-schema", request=request),
                "routes": routes,
            }
        )
