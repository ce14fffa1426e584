"""The /fhir/ views: authentication by partner token, scope check, then the resource handler."""

import json

from django.core.exceptions import PermissionDenied, ValidationError
from rest_framework import exceptions
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import BaseRenderer
from rest_framework.views import APIView

from dui.actor import actor_of
from dui.errors import NotFound, RightRefused
from interop.authentication import BearerTokenAuthentication, token_scopes
from interop.fhir.capability import capability_statement
from interop.fhir.outcome import FHIR_JSON, FhirError, error_response, fhir_response, not_found
from interop.fhir.resources import REGISTRY
from interop.fhir.search import bundle, parse
from interop.fhir.services import max_bytes
from interop.fhir.validation import parse_incoming
from interop.scopes import READ, WRITE, fhir_scope, grants

# Base64 is 4/3 of the bytes; a little room for the rest of the resource.
BODY_MARGIN = 64 * 1024


class FhirRenderer(BaseRenderer):
    media_type = FHIR_JSON
    format = "json"


class AnyAccept(BaseContentNegotiation):
    """FHIR answers JSON whatever the Accept header says (a stock client sends several forms)."""

    def select_parser(self, request, parsers):
        return None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


def _messages(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return " ".join(m for messages in error.message_dict.values() for m in messages)
    return " ".join(error.messages)


class FhirView(APIView):
    authentication_classes = [BearerTokenAuthentication]
    permission_classes = []
    renderer_classes = [FhirRenderer]
    parser_classes = []
    content_negotiation_class = AnyAccept
    schema = None  # FHIR documents itself through /fhir/metadata
    needs_token = True

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if self.needs_token and request.auth is None:
            raise exceptions.NotAuthenticated()

    def handle_exception(self, exc):
        if isinstance(exc, FhirError):
            return error_response(exc)
        if isinstance(exc, exceptions.AuthenticationFailed | exceptions.NotAuthenticated):
            detail = (
                str(exc.detail)
                if isinstance(exc, exceptions.AuthenticationFailed)
                else "Jeton d'API requis (Authorization: Bearer <jeton>)."
            )
            response = error_response(FhirError(401, "login", detail))
            response["WWW-Authenticate"] = "Bearer"
            return response
        if isinstance(exc, NotFound | exceptions.NotFound):
            return error_response(not_found())
        if isinstance(exc, RightRefused):
            return error_response(FhirError(403, "forbidden", exc.message))
        if isinstance(exc, PermissionDenied | exceptions.PermissionDenied):
            return error_response(FhirError(403, "forbidden", str(exc) or "Accès refusé."))
        if isinstance(exc, ValidationError):
            return error_response(FhirError(422, "processing", _messages(exc)))
        if isinstance(exc, exceptions.MethodNotAllowed):
            return error_response(
                FhirError(405, "not-supported", f"Méthode {self.request.method} non prise en charge ici.")
            )
        if isinstance(exc, exceptions.Throttled):
            return error_response(FhirError(429, "throttled", str(exc.detail)))
        raise exc

    def handler(self, resource_type: str):
        handler = REGISTRY.get(resource_type)
        if handler is None:
            raise FhirError(404, "not-supported", f"Type de ressource non pris en charge : « {resource_type[:40]} ».")
        return handler

    def require_scope(self, resource_type: str, action: str) -> None:
        needed = fhir_scope(resource_type, action)
        if not grants(token_scopes(self.request.auth), needed):
            raise FhirError(403, "forbidden", f"Portée manquante pour ce jeton : « {needed} ».")


class MetadataView(FhirView):
    needs_token = False

    def get(self, request):
        return fhir_response(capability_statement(request.build_absolute_uri("/fhir/")))


class TypeView(FhirView):
    """GET: search; POST: create."""

    def get(self, request, resource_type):
        handler = self.handler(resource_type)
        self.require_scope(resource_type, READ)
        if "search-type" not in handler.interactions:
            raise FhirError(405, "not-supported", f"La recherche n'est pas proposée sur {resource_type}.")
        strict = "handling=strict" in request.headers.get("Prefer", "").replace(" ", "")
        search = parse(request.GET, handler.known, strict=strict)
        total, resources = handler.search(actor_of(request), search)
        return fhir_response(bundle(request, resource_type, search, total, resources))

    def post(self, request, resource_type):
        handler = self.handler(resource_type)
        self.require_scope(resource_type, WRITE)
        if handler.create is None:
            raise FhirError(405, "not-supported", f"La création n'est pas proposée sur {resource_type}.")
        model = parse_incoming(self._body(request), resource_type)
        resource = handler.create(actor_of(request), model, request)
        location = request.build_absolute_uri(f"/fhir/{resource_type}/{resource['id']}")
        return fhir_response(resource, 201, {"Location": location})

    def _body(self, request):
        length = request.META.get("CONTENT_LENGTH") or "0"
        limit = max_bytes() * 4 // 3 + BODY_MARGIN
        if not length.isdigit() or int(length) > limit:
            raise FhirError(
                413, "too-costly", "Ressource trop volumineuse : la pièce jointe dépasse la taille maximale."
            )
        content_type = request.META.get("CONTENT_TYPE", "").split(";")[0].strip()
        if content_type not in (FHIR_JSON, "application/json"):
            raise FhirError(415, "not-supported", "Corps attendu en application/fhir+json.")
        raw = request._request.read(int(length))
        try:
            return json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            raise FhirError(400, "structure", "Corps JSON invalide.") from None


class InstanceView(FhirView):
    def get(self, request, resource_type, resource_id):
        handler = self.handler(resource_type)
        self.require_scope(resource_type, READ)
        if len(resource_id) > 64:
            raise not_found()
        return fhir_response(handler.read(actor_of(request), resource_id))
