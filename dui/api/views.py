"""Thin API views: the scope comes from the token (or session), through the selectors; writes call services."""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from dui import selectors
from dui.actor import actor_of
from dui.api.serializers import MeSerializer, UnitSerializer, UsagerSerializer, UsagerWriteSerializer
from dui.selectors import identity as identity_selectors
from dui.selectors.identity import search_usagers
from dui.selectors.shown import rows_shown
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
            "rpps": request.user.rpps,
        }
        return Response(MeSerializer(data).data)


class UnitViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = UnitSerializer

    def get_queryset(self):
        return selectors.units_for_user(actor_of(self.request))


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
        queryset = selectors.usagers_for_user(actor_of(self.request)).order_by("birth_name", "first_names", "pk")
        return search_usagers(queryset, self.request.query_params.get("search", ""))

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        page = rows_shown(actor_of(request), page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        usager = identity_selectors.usager_page(actor_of(request), kwargs["pk"])
        return Response(self.get_serializer(usager).data)

    def create(self, request, *args, **kwargs):
        return self._write(request, usager=None)

    def partial_update(self, request, *args, **kwargs):
        usager = selectors.access_usager(actor_of(request), kwargs["pk"], action="write")
        return self._write(request, usager=usager)

    def _write(self, request, *, usager):
        serializer = UsagerWriteSerializer(data=request.data, partial=usager is not None)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        confirm = bool(data.pop("confirm_duplicate", False))
        actor = actor_of(request)
        if usager is None:
            usager = identity_services.usager_create(actor, data=data, confirm_duplicate=confirm)
            code = status.HTTP_201_CREATED
        else:
            usager = identity_services.usager_update(actor, usager=usager, data=data, confirm_duplicate=confirm)
            code = status.HTTP_200_OK
        return Response(UsagerSerializer(usager).data, status=code)
