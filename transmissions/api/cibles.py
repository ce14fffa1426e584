"""REST route of the cible catalogue: the active cibles offered in the token's ESSMS, so a partner can
write a transmission with a cible id. Read only: the catalogue is edited on its page."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets

from transmissions.models import Cible, Theme
from transmissions.selectors import cibles_offered_for_user


class CibleSerializer(serializers.ModelSerializer):
    theme = serializers.ChoiceField(choices=Theme.choices, read_only=True)
    theme_label = serializers.CharField(source="get_theme_display", read_only=True)

    class Meta:
        model = Cible
        fields = ["id", "label", "theme", "theme_label"]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(summary="Catalogue des cibles de l'ESSMS (actives, proposées dans ce type d'établissement)"),
)
class CibleViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = CibleSerializer

    def get_queryset(self):
        return cibles_offered_for_user(self.request.user).filter(is_active=True).order_by("label", "pk")


routes = [("cibles", CibleViewSet, "cible")]
