"""REST routes of the entourage and medical basics, registered by config/api_urls.py.

Reads through the selectors (scoped to the token's ESSMS and the matrix), writes through
the services; their refusals become JSON answers in the one exception handler (dui.api.exceptions).
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from dui import selectors
from dui.actor import actor_of
from dui.models import (
    Allergy,
    AllergyStatement,
    Antecedent,
    Contact,
    ContactRole,
    ProtectionMeasure,
    Referent,
    ReferentRole,
    Treatment,
)
from dui.selectors import entourage as entourage_selectors
from dui.selectors import medical as medical_selectors
from dui.selectors.shown import row_shown, rows_shown
from dui.services import entourage as entourage_services
from dui.services import medical as medical_services
from dui.services.entourage import CONTACT_FIELDS

USAGER_PARAM = OpenApiParameter(
    "usager", OpenApiTypes.INT, description="Identifiant du dossier (usager) : ne liste que ses lignes."
)


class ScopedApiMixin:
    """`?usager=` filter, dossier lookup in the caller's reach, audited reads."""

    def usager_filter(self) -> int | None:
        raw = self.request.query_params.get("usager", "").strip()
        if not raw:
            return None
        if not (raw.isascii() and raw.isdigit()) or len(raw) > 18:  # 18 digits always fit a bigint
            raise serializers.ValidationError({"usager": ["Identifiant de dossier invalide."]})
        return int(raw)

    def usager_in_reach(self, pk: int):
        usager = selectors.usagers_for_user(actor_of(self.request)).filter(pk=pk).first()
        if usager is None:
            raise serializers.ValidationError({"usager": ["Dossier introuvable."]})
        return usager

    def list(self, request, *args, **kwargs):
        page = rows_shown(actor_of(request), self.paginate_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


# --- Contacts


class ContactSerializer(serializers.ModelSerializer):
    email = serializers.EmailField(allow_blank=True, read_only=True, help_text="Vide : non renseigné.")

    class Meta:
        model = Contact
        fields = ["id", "usager", *CONTACT_FIELDS, "ended_at", "created_at"]
        read_only_fields = fields


class ContactUpdateSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=ContactRole.choices, required=False)
    last_name = serializers.CharField(max_length=100, required=False)
    first_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    relationship = serializers.CharField(max_length=100, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    address = serializers.CharField(max_length=300, required=False, allow_blank=True)
    rpps = serializers.CharField(
        max_length=20, required=False, allow_blank=True, help_text="11 chiffres ; obligatoire pour le médecin traitant."
    )
    protection_measure = serializers.ChoiceField(
        choices=ProtectionMeasure.choices,
        required=False,
        allow_blank=True,
        help_text="Obligatoire pour un représentant légal.",
    )
    protection_until = serializers.DateField(required=False, allow_null=True)
    is_emergency_contact = serializers.BooleanField(required=False)


class ContactCreateSerializer(ContactUpdateSerializer):
    usager = serializers.IntegerField(help_text="Identifiant du dossier.")
    role = serializers.ChoiceField(choices=ContactRole.choices)
    last_name = serializers.CharField(max_length=100)


@extend_schema_view(
    list=extend_schema(summary="Contacts actifs des dossiers", parameters=[USAGER_PARAM]),
    retrieve=extend_schema(summary="Un contact"),
    create=extend_schema(
        summary="Ajouter un contact",
        description="Une nouvelle personne de confiance ou un nouveau médecin traitant clôt le précédent.",
        request=ContactCreateSerializer,
        responses={201: ContactSerializer},
    ),
    partial_update=extend_schema(
        summary="Modifier un contact", request=ContactUpdateSerializer, responses=ContactSerializer
    ),
)
class ContactViewSet(
    ScopedApiMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ContactSerializer

    def get_queryset(self):
        return entourage_selectors.contacts_for_user(actor_of(self.request), usager_id=self.usager_filter())

    def retrieve(self, request, *args, **kwargs):
        contact = row_shown(actor_of(request), self.get_object())
        return Response(ContactSerializer(contact).data)

    def create(self, request, *args, **kwargs):
        data = ContactCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        usager = self.usager_in_reach(fields.pop("usager"))
        contact = entourage_services.contact_add(actor_of(request), usager=usager, **fields)
        return Response(ContactSerializer(contact).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        contact = self.get_object()
        data = ContactUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        contact = entourage_services.contact_update(actor_of(request), contact=contact, **data.validated_data)
        return Response(ContactSerializer(contact).data)

    @extend_schema(summary="Clore un contact (gardé dans l'historique)", request=None, responses=ContactSerializer)
    @action(detail=True, methods=["post"], url_path="end", url_name="end")
    def end(self, request, *args, **kwargs):
        contact = entourage_services.contact_end(actor_of(request), contact=self.get_object())
        return Response(ContactSerializer(contact).data)


# --- Référents


@extend_schema_field(
    {"type": "string", "pattern": "^(referent|suppleant)$", "description": "« referent » ou « suppleant »."}
)
class ReferentRoleField(serializers.ChoiceField):
    """Documented without an enum component, so that it does not collide with the contacts' `role`."""


class ReferentSerializer(serializers.ModelSerializer):
    role = ReferentRoleField(choices=ReferentRole.choices, read_only=True)
    user_name = serializers.SerializerMethodField()

    class Meta:
        model = Referent
        fields = ["id", "usager", "role", "user", "user_name", "starts_on", "ends_on"]
        read_only_fields = fields

    def get_user_name(self, referent) -> str:
        return referent.user.get_full_name() or referent.user.username


@extend_schema_view(list=extend_schema(summary="Référents et suppléants en cours", parameters=[USAGER_PARAM]))
class ReferentViewSet(ScopedApiMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = ReferentSerializer

    def get_queryset(self):
        return entourage_selectors.referents_for_user(actor_of(self.request), usager_id=self.usager_filter())


# --- Antécédents, allergies, traitements en cours


class EntrySerializer(serializers.ModelSerializer):
    class Meta:
        fields = ["id", "usager", "created_by", "created_at", "ended_at"]
        read_only_fields = fields


class AllergySerializer(EntrySerializer):
    severity = serializers.ChoiceField(
        choices=Allergy._meta.get_field("severity").choices,
        allow_blank=True,
        read_only=True,
        help_text="Vide : non précisée (lignes anciennes).",
    )
    substance_ref_name = serializers.CharField(
        source="substance_ref.name", read_only=True, allow_null=True, default=None, help_text="Substance codée."
    )
    substance_class_name = serializers.CharField(
        source="substance_class.name", read_only=True, allow_null=True, default=None, help_text="Classe codée."
    )

    class Meta(EntrySerializer.Meta):
        model = Allergy
        fields = [
            *EntrySerializer.Meta.fields,
            "substance",
            "substance_ref",
            "substance_ref_name",
            "substance_class",
            "substance_class_name",
            "reaction",
            "severity",
        ]
        read_only_fields = fields


class AntecedentSerializer(EntrySerializer):
    class Meta(EntrySerializer.Meta):
        model = Antecedent
        fields = [*EntrySerializer.Meta.fields, "label", "kind", "year", "comment"]
        read_only_fields = fields


class TreatmentSerializer(EntrySerializer):
    class Meta(EntrySerializer.Meta):
        model = Treatment
        fields = [*EntrySerializer.Meta.fields, "line", "started_on"]
        read_only_fields = fields


class AllergyCreateSerializer(serializers.Serializer):
    """Coded against exactly one of substance_ref / substance_class (ids of /api/v1/referentiel/…)."""

    usager = serializers.IntegerField(help_text="Identifiant du dossier.")
    substance_ref = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, help_text="Substance du référentiel (ou substance_class)."
    )
    substance_class = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, help_text="Classe de substances (ou substance_ref)."
    )
    substance = serializers.CharField(
        max_length=200, required=False, allow_blank=True, help_text="Libellé affiché ; par défaut le nom codé."
    )
    reaction = serializers.CharField(max_length=200, required=False, allow_blank=True)
    severity = serializers.ChoiceField(choices=Allergy._meta.get_field("severity").choices)


class AntecedentCreateSerializer(serializers.Serializer):
    usager = serializers.IntegerField(help_text="Identifiant du dossier.")
    label = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=Antecedent._meta.get_field("kind").choices, required=False)
    year = serializers.IntegerField(required=False, allow_null=True)
    comment = serializers.CharField(max_length=300, required=False, allow_blank=True)


class TreatmentCreateSerializer(serializers.Serializer):
    usager = serializers.IntegerField(help_text="Identifiant du dossier.")
    line = serializers.CharField(max_length=300, help_text="Traitement en ligne libre.")
    started_on = serializers.DateField(required=False, allow_null=True)


class EntryViewSet(ScopedApiMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """List (`?usager=`) and create the active lines of one medical section."""

    model = None
    create_serializer_class = None
    service = None

    def get_queryset(self):
        return medical_selectors.entries_for_user(actor_of(self.request), self.model, usager_id=self.usager_filter())

    def create(self, request, *args, **kwargs):
        data = self.create_serializer_class(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        usager = self.usager_in_reach(fields.pop("usager"))
        entry = type(self).service(actor_of(request), usager=usager, **fields)
        return Response(self.get_serializer(entry).data, status=status.HTTP_201_CREATED)


def _entry_schema(label: str, create_serializer, output_serializer):
    return extend_schema_view(
        list=extend_schema(summary=f"{label} en cours", parameters=[USAGER_PARAM]),
        create=extend_schema(
            summary=f"{label} : ajouter une ligne",
            request=create_serializer,
            responses={201: output_serializer},
        ),
    )


class AllergyNoneKnownSerializer(serializers.Serializer):
    usager = serializers.IntegerField(help_text="Identifiant du dossier.")


class AllergyStatementSerializer(EntrySerializer):
    class Meta(EntrySerializer.Meta):
        model = AllergyStatement


@_entry_schema("Allergies", AllergyCreateSerializer, AllergySerializer)
class AllergyViewSet(EntryViewSet):
    model = Allergy
    serializer_class = AllergySerializer
    create_serializer_class = AllergyCreateSerializer
    service = staticmethod(medical_services.allergy_add)

    @extend_schema(
        summary="Déclarer « aucune allergie connue » (daté, signé ; refusé si une allergie est enregistrée)",
        request=AllergyNoneKnownSerializer,
        responses={201: AllergyStatementSerializer},
    )
    @action(detail=False, methods=["post"], url_path="none-known")
    def none_known(self, request, *args, **kwargs):
        data = AllergyNoneKnownSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        usager = self.usager_in_reach(data.validated_data["usager"])
        statement = medical_services.allergy_none_declare(actor_of(request), usager=usager)
        return Response(AllergyStatementSerializer(statement).data, status=status.HTTP_201_CREATED)


@_entry_schema("Antécédents", AntecedentCreateSerializer, AntecedentSerializer)
class AntecedentViewSet(EntryViewSet):
    model = Antecedent
    serializer_class = AntecedentSerializer
    create_serializer_class = AntecedentCreateSerializer
    service = staticmethod(medical_services.antecedent_add)


@_entry_schema("Traitements", TreatmentCreateSerializer, TreatmentSerializer)
class TreatmentViewSet(EntryViewSet):
    model = Treatment
    serializer_class = TreatmentSerializer
    create_serializer_class = TreatmentCreateSerializer
    service = staticmethod(medical_services.treatment_add)


routes = [
    ("contacts", ContactViewSet, "contact"),
    ("referents", ReferentViewSet, "referent"),
    ("allergies", AllergyViewSet, "allergy"),
    ("antecedents", AntecedentViewSet, "antecedent"),
    ("traitements", TreatmentViewSet, "treatment"),
]
