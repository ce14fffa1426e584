"""REST routes of the projet personnalisé (PPA / PIA).

- /ppa-projects/: list (?usager=), create (opens the project of the person's séjour en cours,
  version 1), retrieve (with the whole content of its current version), step, close.
- /ppa-versions/{id}/: retrieve one version with its content; actions revise, agreement, meeting,
  and the creates of its items: needs (attentes and besoins), objectives, actions, evaluations,
  participants.

Reads go through the scoped selectors, which log them (another ESSMS's project or version: 404);
writes go through the services; their refusals become JSON in the one API exception handler
(French messages as 400, rights as 403).
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from dui.actor import actor_of
from ppa.api.project_serializers import (
    PpaActionCreateSerializer,
    PpaActionSerializer,
    PpaAgreementSerializer,
    PpaCloseSerializer,
    PpaMeetingSerializer,
    PpaNeedCreateSerializer,
    PpaNeedSerializer,
    PpaObjectiveCreateSerializer,
    PpaObjectiveEvaluationCreateSerializer,
    PpaObjectiveEvaluationSerializer,
    PpaObjectiveSerializer,
    PpaParticipantCreateSerializer,
    PpaParticipantSerializer,
    PpaProjetCreateSerializer,
    PpaProjetDetailSerializer,
    PpaProjetSerializer,
    PpaStepSerializer,
    PpaVersionSerializer,
)
from ppa.models import Projet, ProjetVersion
from ppa.selectors import projects as ppa_selectors
from ppa.services import project_versions as version_services
from ppa.services import projects as ppa_services

# --- Helpers ------------------------------------------------------------------------------------


def _valid(serializer_class, request) -> dict:
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    return dict(data.validated_data)


# --- Projects -----------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Projets personnalisés (filtrables par personne)",
        parameters=[OpenApiParameter("usager", OpenApiTypes.INT, description="Identifiant du dossier de la personne.")],
    ),
    retrieve=extend_schema(
        summary="Un projet personnalisé, avec le contenu de sa version courante", responses=PpaProjetDetailSerializer
    ),
    create=extend_schema(
        summary="Ouvrir le projet personnalisé du séjour en cours (version 1)",
        request=PpaProjetCreateSerializer,
        responses={201: PpaProjetDetailSerializer},
    ),
)
class ProjetViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                    viewsets.GenericViewSet):  # fmt: skip
    serializer_class = PpaProjetSerializer
    lookup_value_regex = r"[0-9]+"
    filter_backends = []

    def get_queryset(self):
        return ppa_selectors.projets_for_user(actor_of(self.request))

    def _detail(self, projet: Projet, status_code=status.HTTP_200_OK) -> Response:
        projet = ppa_selectors.projet_with_versions(actor_of(self.request), projet)
        current = ppa_selectors.current_version_content(projet)
        data = PpaProjetDetailSerializer(projet, context={"current_version": current}).data
        return Response(data, status=status_code)

    def list(self, request, *args, **kwargs):
        page = ppa_selectors.projets_page(
            actor_of(request), usager=request.query_params.get("usager"), paginate=self.paginate_queryset
        )
        return self.get_paginated_response(PpaProjetSerializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        return self._detail(ppa_selectors.access_projet(actor_of(request), kwargs["pk"]))

    def create(self, request, *args, **kwargs):
        actor = actor_of(request)
        values = _valid(PpaProjetCreateSerializer, request)
        usager = ppa_selectors.usager_for_projet(actor, values["usager"])
        projet = ppa_services.projet_open(actor, usager=usager)
        return self._detail(projet, status.HTTP_201_CREATED)

    @extend_schema(summary="Changer l'étape du projet", request=PpaStepSerializer, responses=PpaProjetDetailSerializer)
    @action(detail=True, methods=["post"], url_path="step")
    def step(self, request, pk=None, **kwargs):
        actor = actor_of(request)
        projet = ppa_selectors.projet_in_reach(actor, pk)
        values = _valid(PpaStepSerializer, request)
        return self._detail(ppa_services.projet_step_set(actor, projet=projet, step=values["step"]))

    @extend_schema(summary="Clore le projet (fin)", request=PpaCloseSerializer, responses=PpaProjetDetailSerializer)
    @action(detail=True, methods=["post"], url_path="close")
    def close(self, request, pk=None, **kwargs):
        actor = actor_of(request)
        projet = ppa_selectors.projet_in_reach(actor, pk)
        values = _valid(PpaCloseSerializer, request)
        return self._detail(ppa_services.projet_close(actor, projet=projet, reason=values.get("reason", "")))


# --- Versions -----------------------------------------------------------------------------------


@extend_schema_view(retrieve=extend_schema(summary="Une version du projet personnalisé, avec son contenu"))
class VersionViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = PpaVersionSerializer
    lookup_value_regex = r"[0-9]+"
    filter_backends = []

    def get_queryset(self):
        return ppa_selectors.versions_for_user(actor_of(self.request))

    def _version(self, request, pk) -> ProjetVersion:
        return ppa_selectors.version_in_reach(actor_of(request), pk)

    def _respond(self, version: ProjetVersion, status_code=status.HTTP_200_OK) -> Response:
        return Response(PpaVersionSerializer(ppa_selectors.version_content(version)).data, status=status_code)

    def retrieve(self, request, *args, **kwargs):
        return self._respond(ppa_selectors.access_version(actor_of(request), kwargs["pk"]))

    @extend_schema(summary="Réviser : préparer la version suivante (copie du contenu, sans l'accord)", request=None,
                   responses={201: PpaVersionSerializer})  # fmt: skip
    @action(detail=True, methods=["post"], url_path="revise")
    def revise(self, request, pk=None, **kwargs):
        version = self._version(request, pk)
        new = version_services.version_revise(actor_of(request), version=version)
        return self._respond(new, status.HTTP_201_CREATED)

    @extend_schema(summary="Enregistrer l'accord (fige la version)", request=PpaAgreementSerializer,
                   responses=PpaVersionSerializer)  # fmt: skip
    @action(detail=True, methods=["post"], url_path="agreement")
    def agreement(self, request, pk=None, **kwargs):
        version = self._version(request, pk)
        values = _valid(PpaAgreementSerializer, request)
        return self._respond(version_services.agreement_record(actor_of(request), version=version, **values))

    @extend_schema(
        summary="Renseigner la réunion de projet", request=PpaMeetingSerializer, responses=PpaVersionSerializer
    )
    @action(detail=True, methods=["post"], url_path="meeting")
    def meeting(self, request, pk=None, **kwargs):
        version = self._version(request, pk)
        values = _valid(PpaMeetingSerializer, request)
        return self._respond(version_services.meeting_record(actor_of(request), version=version, **values))

    @extend_schema(summary="Ajouter une attente ou un besoin", request=PpaNeedCreateSerializer,
                   responses={201: PpaNeedSerializer})  # fmt: skip
    @action(detail=True, methods=["post"], url_path="needs")
    def needs(self, request, pk=None, **kwargs):
        version = self._version(request, pk)
        values = _valid(PpaNeedCreateSerializer, request)
        need = version_services.need_add(actor_of(request), version=version, **values)
        return Response(PpaNeedSerializer(need).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Ajouter un objectif (lié à au moins un besoin)", request=PpaObjectiveCreateSerializer,
                   responses={201: PpaObjectiveSerializer})  # fmt: skip
    @action(detail=True, methods=["post"], url_path="objectives")
    def objectives(self, request, pk=None, **kwargs):
        version = self._version(request, pk)
        values = _valid(PpaObjectiveCreateSerializer, request)
        objective = version_services.objective_add(
            actor_of(request),
            version=version,
            text=values["text"],
            need_ids=values["needs"],
            target_on=values.get("target_on"),
        )
        return Response(PpaObjectiveSerializer(objective).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Ajouter une action ou une prestation à un objectif", request=PpaActionCreateSerializer,
                   responses={201: PpaActionSerializer})  # fmt: skip
    @action(detail=True, methods=["post"], url_path="actions")
    def actions(self, request, pk=None, **kwargs):
        version = self._version(request, pk)
        values = _valid(PpaActionCreateSerializer, request)
        row = version_services.action_add(actor_of(request), version=version, **values)
        return Response(PpaActionSerializer(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Évaluer un objectif (atteint, partiel, non atteint)",
        request=PpaObjectiveEvaluationCreateSerializer,
        responses={201: PpaObjectiveEvaluationSerializer},
    )
    @action(detail=True, methods=["post"], url_path="evaluations")
    def evaluations(self, request, pk=None, **kwargs):
        version = self._version(request, pk)
        values = _valid(PpaObjectiveEvaluationCreateSerializer, request)
        row = version_services.evaluation_add(actor_of(request), version=version, **values)
        return Response(PpaObjectiveEvaluationSerializer(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Ajouter un participant à la réunion de projet", request=PpaParticipantCreateSerializer,
                   responses={201: PpaParticipantSerializer})  # fmt: skip
    @action(detail=True, methods=["post"], url_path="participants")
    def participants(self, request, pk=None, **kwargs):
        version = self._version(request, pk)
        values = _valid(PpaParticipantCreateSerializer, request)
        row = version_services.participant_add(actor_of(request), version=version, **values)
        return Response(PpaParticipantSerializer(row).data, status=status.HTTP_201_CREATED)


routes = [("ppa-projects", ProjetViewSet, "ppa-project"), ("ppa-versions", VersionViewSet, "ppa-version")]
