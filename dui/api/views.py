"""Thin API views: the scope comes from the token (or session), through the selectors."""

from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from dui import audit, selectors
from dui.api.serializers import MeSerializer, UnitSerializer, UsagerSerializer
from dui.models import AccessAction, Channel


class MeApi(APIView):
    @extend_schema(responses=MeSerializer, summary="Compte et ESSMS du jeton")
    def get(self, request):
        membership = request.user.membership
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
        return selectors.units_for_user(self.request.user)


class UsagerViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = UsagerSerializer

    def get_queryset(self):
        return selectors.usagers_for_user(self.request.user)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        audit.log_reads(request.user, page, channel=Channel.API, ip=audit.client_ip(request))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        usager = selectors.access_usager(user=request.user, pk=kwargs["pk"])
        audit.log_access(request.user, AccessAction.READ, usager, channel=Channel.API, ip=audit.client_ip(request))
        return Response(self.get_serializer(usager).data)
