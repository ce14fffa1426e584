"""The OpenAPI schema documents every operation's error answers, as the exception handler
(dui.api.exceptions) writes them: 400 on writes, 401 without valid token, 403, 404."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

ERROR = inline_serializer(
    "Erreur",
    fields={
        "detail": serializers.CharField(help_text="Message en français."),
    },
)
INVALID = inline_serializer(
    "ErreurDeSaisie",
    fields={
        "non_field_errors": serializers.ListField(child=serializers.CharField(), required=False),
    },
)
STANDARD_ERRORS = {
    "401": OpenApiResponse(ERROR, description="Jeton absent, invalide ou révoqué."),
    "403": OpenApiResponse(
        ERROR,
        description="Droit refusé par la matrice d'habilitation, ou portée absente du jeton (le droit ou la "
        "portée manquants sont nommés).",
    ),
    "404": OpenApiResponse(ERROR, description="Introuvable, ou hors de l'ESSMS du jeton (jamais distingués)."),
}
WRITE_ERROR = OpenApiResponse(
    INVALID, description="Saisie refusée : messages en français par champ ; rien n'est enregistré."
)
WRITE_METHODS = {"POST", "PUT", "PATCH"}


class DocumentedErrorsSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        extra = dict(STANDARD_ERRORS)
        if self.method in WRITE_METHODS or self.get_filter_backends() or self._get_paginator():
            extra["400"] = WRITE_ERROR
        for code, response in extra.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(response, code, direction=direction)
        return responses
