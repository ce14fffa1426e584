"""Thin API views: the scope comes from the token (or session), through the selectors; writes call services."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from dui import audit, selectors
from dui.actor import actor_of
from dui.api.serializers import MeSerializer, UnitSerializer, UsagerSerializer, UsagerWriteSerializer
from dui.models import AccessAction, Channel
from dui.selectors.identity import search_usagers
from dui.services import identity as identity_services


class MeApi(APIView):
    @extend_schema(responses=MeSerializer, summary="Compte et ESSMS du jeton")
    def get(self, request):
        actor = actor_of(request)
        membership = actor.membership
        data = {
            "username": request.user.username,
            "essms_finess": membership.essms.finess,
            "essms_name": membership.essms.name,
            "metier": membership.metier,
        }
        return Response(MeSerializer(data).data)


class UnitViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = UnitSerializer

    def get_queryset(self):
        return selectors.units_for_user(actor_of(self.request))


def service_error_response(exc: ValidationError) -> Response:
    """A service's ValidationError as a 400 with its French messages (duplicates list the dossiers)."""
    if isinstance(exc, identity_services.DuplicateSuspectedError):
        body = {"confirm_duplicate": exc.messages, "duplicates": [usager.pk for usager in exc.duplicates]}
    elif hasattr(exc, "error_dict"):
        body = {("non_field_errors" if k == NON_FIELD_ERRORS else k): v for k, v in exc.message_dict.items()}
    else:
        body = {"non_field_errors": exc.messages}
    return Response(body, status=status.HTTP_400_BAD_REQUEST)


SEARCH = OpenApiParameter(
    "search",
    str,
    description="Nom, prénom (sans tenir compte des accents ni de la casse) ou matricule INS d'une identité qualifiée.",
)
ERRORS = OpenApiResponse(description="Saisie refusée : messages en français par champ ; rien n'est enregistré.")


@extend_schema_view(
    list=extend_schema(summary="Dossiers usagers de l'ESSMS", parameters=[SEARCH]),
    retrieve=extend_schema(summary="Identité d'un usager"),
    create=extend_schema(
        summary="Créer un dossier usager",
        request=UsagerWriteSerializer,
        responses={201: UsagerSerializer, 400: ERRORS},
    ),
    partial_update=extend_schema(
        summary="Modifier l'identité d'un usager",
        request=UsagerWriteSerializer,
        responses={200: UsagerSerializer, 400: ERRORS},
    ),
)
class UsagerViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = UsagerSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    lookup_value_regex = r"[0-9]+"  # any other id is a 404 from the router, never a 500

    def get_queryset(self):
        queryset = selectors.usagers_for_user(self.request.user).order_by("birth_name", "first_names", "pk")
        return search_usagers(queryset, self.request.query_params.get("search", ""))

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        audit.log_reads(request.user, page, channel=Channel.API, ip=audit.client_ip(request))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        usager = selectors.access_usager(request.user, pk=kwargs["pk"])
        audit.log_access(request.user, AccessAction.READ, usager, channel=Channel.API, ip=audit.client_ip(request))
        return Response(self.get_serializer(usager).data)

    def create(self, request, *args, **kwargs):
        return self._write(request, usager=None)

    def partial_update(self, request, *args, **kwargs):
        usager = selectors.access_usager(request.user, pk=kwargs["pk"], action="write")
        return self._write(request, usager=usager)

    def _write(self, request, *, usager):
        serializer = UsagerWriteSerializer(data=request.data, partial=usager is not None)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        confirm = bool(data.pop("confirm_duplicate", False))
        context = {"channel": Channel.API, "ip": audit.client_ip(request)}
        try:
            if usager is None:
                usager = identity_services.usager_create(
                    acting_user=request.user, data=data, confirm_duplicate=confirm, **context
                )
                code = status.HTTP_201_CREATED
            else:
                usager = identity_services.usager_update(
                    acting_user=request.user, usager=usager, data=data, confirm_duplicate=confirm, **context
                )
                code = status.HTTP_200_OK
        except DjangoPermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc) or None) from exc
        except ValidationError as exc:
            return service_error_response(exc)
        return Response(UsagerSerializer(usager).data, status=code)
