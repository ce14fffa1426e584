"""REST routes of the dossier's documents: list, metadata, multipart upload through the service, content."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from dui import selectors
from dui.actor import actor_of
from dui.errors import NotFound
from dui.models import Document, DocumentVersion
from dui.selectors import documents as document_selectors
from dui.selectors.shown import row_shown, rows_shown
from dui.services.documents import document_upload
from dui.views.documents import file_response


class DocumentVersionSerializer(serializers.ModelSerializer):
    uploaded_by = serializers.CharField(source="uploaded_by.username", read_only=True)
    available = serializers.SerializerMethodField(help_text="Faux quand le fichier a été effacé (anonymisation).")

    class Meta:
        model = DocumentVersion
        fields = ["number", "original_name", "mime_type", "size", "sha256", "uploaded_by", "uploaded_at", "available"]

    def get_available(self, obj) -> bool:
        return bool(obj.file)


class DocumentSerializer(serializers.ModelSerializer):
    usager = serializers.IntegerField(source="usager_id", read_only=True)
    document_class = serializers.CharField(source="document_class.code", read_only=True)
    document_class_label = serializers.CharField(source="document_class.label", read_only=True)
    created_by = serializers.CharField(source="created_by.username", read_only=True)
    version_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Document
        fields = [
            "id",
            "usager",
            "document_class",
            "document_class_label",
            "title",
            "document_date",
            "source",
            "created_by",
            "created_at",
            "version_count",
        ]


class DocumentDetailSerializer(DocumentSerializer):
    versions = DocumentVersionSerializer(many=True, read_only=True, source="version_list")

    class Meta(DocumentSerializer.Meta):
        fields = [*DocumentSerializer.Meta.fields, "versions"]


class DocumentCreateSerializer(serializers.Serializer):
    usager = serializers.IntegerField(help_text="Identifiant du dossier (`id` de /api/v1/usagers/).")
    document_class = serializers.CharField(
        max_length=40, help_text="Code de la classe de document, ex. `cr_hospitalisation`."
    )
    title = serializers.CharField(max_length=200)
    document_date = serializers.DateField(help_text="AAAA-MM-JJ, pas dans le futur.")
    source = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    file = serializers.FileField(help_text="PDF, JPEG ou PNG ; le type est déterminé d'après le contenu.")


class BinaryRenderer(BaseRenderer):
    """Lets clients ask for the file's own type; errors still come out as JSON."""

    media_type = "*/*"
    format = "bin"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes | type(None)):
            return data or b""
        response = (renderer_context or {}).get("response")
        if response is not None:
            response["Content-Type"] = "application/json"
        return JSONRenderer().render(data)


def _version_query(request) -> int | None:
    return request.query_params.get("version") or None


@extend_schema_view(
    list=extend_schema(
        summary="Documents lisibles",
        description="Documents des dossiers accessibles dont la classe est lisible par le métier, du plus récent "
        "au plus ancien. Chaque consultation est journalisée.",
        parameters=[OpenApiParameter("usager", int, description="Limiter à un dossier.")],
    ),
    retrieve=extend_schema(summary="Métadonnées d'un document et de ses versions"),
)
class DocumentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = DocumentSerializer
    parser_classes = [MultiPartParser, FormParser]
    lookup_value_regex = r"[0-9]+"  # any other id is a 404 from the router, never a 500

    def get_queryset(self):
        usager_id = self.request.query_params.get("usager") if self.action == "list" else None
        if usager_id is not None:
            try:
                usager_id = int(usager_id)
                if not 0 < usager_id < 2**63:  # beyond a bigint the database would fail
                    raise ValueError
            except ValueError:
                raise serializers.ValidationError({"usager": "Identifiant de dossier invalide."}) from None
        return document_selectors.documents_for_user(actor_of(self.request), usager_id=usager_id).order_by(
            "-document_date", "-id"
        )

    def get_serializer_class(self):
        return DocumentDetailSerializer if self.action == "retrieve" else DocumentSerializer

    def _document(self) -> Document:
        return document_selectors.readable_document(actor_of(self.request), self.kwargs["pk"])

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        page = rows_shown(actor_of(request), page, detail="liste des documents")
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        document = self._document()
        document.version_list = list(document_selectors.versions_of(document))
        row_shown(actor_of(request), document)
        return Response(self.get_serializer(document).data)

    @extend_schema(
        summary="Déposer un document (multipart)",
        description="Le type du fichier est déterminé d'après son contenu (PDF, JPEG, PNG) ; taille limitée. "
        "Erreurs en 400 avec un message en français ; 403 si le métier ne peut pas écrire cette classe.",
        request={"multipart/form-data": DocumentCreateSerializer},
        responses={201: DocumentDetailSerializer, 400: OpenApiResponse(description="Donnée refusée")},
    )
    def create(self, request, *args, **kwargs):
        data = DocumentCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        try:
            usager = selectors.access_usager(actor_of(request), values["usager"])
        except NotFound:
            raise serializers.ValidationError({"usager": ["Dossier introuvable."]}) from None
        document = document_upload(
            actor_of(request),
            usager=usager,
            document_class_code=values["document_class"],
            title=values["title"],
            document_date=values["document_date"],
            source=values["source"],
            file=values["file"],
        )
        document.version_count = 1
        document.version_list = list(document_selectors.versions_of(document))
        return Response(DocumentDetailSerializer(document).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Contenu d'une version (PDF, JPEG ou PNG)",
        description="La version actuelle, ou `?version=N`. Chaque accès est journalisé.",
        parameters=[OpenApiParameter("version", int, description="Numéro de version (défaut : la plus récente).")],
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            (200, "image/jpeg"): OpenApiTypes.BINARY,
            (200, "image/png"): OpenApiTypes.BINARY,
        },
    )
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, BinaryRenderer])
    def content(self, request, pk=None, format=None):
        document = self._document()
        version = document_selectors.version_delivered(actor_of(request), document, _version_query(request))
        return file_response(version, attachment=True)


routes = [("documents", DocumentViewSet, "document")]
