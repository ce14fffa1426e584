"""REST routes of the MSSanté inbox: messages waiting to be matched, and filing one into a dossier."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from dui import selectors
from dui.actor import actor_of
from dui.errors import NotFound
from interop.mssante.models import InboxItem
from interop.mssante.selectors import inbox_for_user, inbox_item_for_user, suggestions
from interop.mssante.services import inbox_file


class InboxItemSerializer(serializers.ModelSerializer):
    suggestions = serializers.SerializerMethodField(help_text="Dossiers proches par les traits (identifiant, score).")

    class Meta:
        model = InboxItem
        fields = [
            "id", "received_at", "source", "sender", "subject", "state", "problem", "ins", "family", "given",
            "birth_date", "sex", "type_code", "document_date", "author", "title", "suggestions",
        ]  # fmt: skip

    def get_suggestions(self, obj) -> list[dict]:
        return [{"usager": s.usager.pk, "score": s.score, "reasons": list(s.reasons)} for s in suggestions(obj)]


class FileSerializer(serializers.Serializer):
    usager = serializers.IntegerField(min_value=1, max_value=2**63 - 1, help_text="Dossier où classer le document.")


@extend_schema_view(list=extend_schema(summary="Messages reçus à rapprocher"))
class InboxViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = InboxItemSerializer
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return inbox_for_user(actor_of(self.request)).order_by("-received_at", "-id")

    @extend_schema(
        summary="Classer un message reçu dans un dossier",
        request=FileSerializer,
        responses={201: None},
    )
    @action(detail=True, methods=["post"])
    def file(self, request, pk=None, format=None):
        actor = actor_of(request)
        item = inbox_item_for_user(actor, pk)
        data = FileSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            usager = selectors.access_usager(actor, data.validated_data["usager"])
        except NotFound:
            raise serializers.ValidationError({"usager": ["Dossier introuvable."]}) from None
        document = inbox_file(actor, item=item, usager=usager)
        return Response({"id": item.pk, "document": document.pk, "usager": usager.pk}, status=status.HTTP_201_CREATED)


routes = [("inbox", InboxViewSet, "inbox")]
