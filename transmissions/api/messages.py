"""REST routes of internal messages: inbox (or sent box) list, read (marks opened), send, approve.

Scoped to the token's (or session's) active ESSMS and to the reader: the recipient or the sender;
anybody else gets 404. Writes go through the services, whose French messages come back as 400.
"""

import datetime
from dataclasses import dataclass, field

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from dui.actor import actor_of
from dui.models import Metier
from transmissions.models import Message, MessageKind, MessageRecipient
from transmissions.selectors import messages as selectors
from transmissions.services import messages as services

ID_MAX = 2**63 - 1


@extend_schema_field(
    {
        "type": "string",
        "enum": MessageKind.values,
        "description": " ; ".join(f"`{value}` : {label}" for value, label in MessageKind.choices),
    },
    component_name="MessageKindEnum",
)
class MessageKindField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=MessageKind.choices, **kwargs)


@extend_schema_field(
    {
        "type": "string",
        "enum": [value for value in Metier.values if value != Metier.PARTENAIRE],
        "description": "Code du métier (tous les professionnels de l'établissement qui l'exercent).",
    },
    component_name="MessageMetierEnum",
)
class MetierField(serializers.CharField):
    pass


# --- Output -------------------------------------------------------------------------------------


@dataclass
class MessageView:
    """What one reader sees of a message: their own receipt, or the receipts of all if they sent it."""

    id: int
    kind: str
    subject: str
    body: str
    sender: int
    sender_name: str
    sent_at: datetime.datetime
    requires_ack: bool
    audience: dict
    audience_label: str
    is_sender: bool
    opened_at: datetime.datetime | None = None
    acknowledged_at: datetime.datetime | None = None
    recipients_total: int | None = None
    recipients_opened: int | None = None
    recipients_acknowledged: int | None = None
    receipts: list | None = field(default=None)


def _name(user) -> str:
    return user.get_full_name() or user.username


def view_of(message: Message, *, recipient: MessageRecipient | None = None, receipts=None) -> MessageView:
    view = MessageView(
        id=message.pk,
        kind=message.kind,
        subject=message.subject,
        body=message.body,
        sender=message.sender_id,
        sender_name=_name(message.sender),
        sent_at=message.sent_at,
        requires_ack=message.requires_ack,
        audience=message.audience or {},
        audience_label=selectors.audience_label(message),
        is_sender=recipient is None,
    )
    if recipient is not None:
        view.opened_at = recipient.opened_at
        view.acknowledged_at = recipient.acknowledged_at
    if receipts is not None:
        view.recipients_total = receipts.total
        view.recipients_opened = receipts.opened
        view.recipients_acknowledged = receipts.acknowledged
        view.receipts = [
            {
                "user": row.user_id,
                "name": _name(row.user),
                "opened_at": row.opened_at,
                "acknowledged_at": row.acknowledged_at,
            }
            for row in receipts.rows
        ]
    elif hasattr(message, "recipients_total"):
        view.recipients_total = message.recipients_total
        view.recipients_opened = message.recipients_opened
        view.recipients_acknowledged = message.recipients_acknowledged
    return view


class ReceiptSerializer(serializers.Serializer):
    user = serializers.IntegerField(help_text="Identifiant du destinataire.")
    name = serializers.CharField()
    opened_at = serializers.DateTimeField(allow_null=True)
    acknowledged_at = serializers.DateTimeField(allow_null=True)


class MessageSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    kind = MessageKindField(read_only=True)
    subject = serializers.CharField(read_only=True)
    body = serializers.CharField(read_only=True)
    sender = serializers.IntegerField(read_only=True, help_text="Identifiant de l'expéditeur.")
    sender_name = serializers.CharField(read_only=True)
    sent_at = serializers.DateTimeField(read_only=True)
    requires_ack = serializers.BooleanField(read_only=True, help_text="« J'ai lu et j'approuve » demandé.")
    audience = serializers.JSONField(read_only=True, help_text="Destinataires choisis : essms, metiers, users.")
    audience_label = serializers.CharField(read_only=True)
    is_sender = serializers.BooleanField(read_only=True, help_text="Vrai quand le lecteur est l'expéditeur.")
    opened_at = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text="Ouverture par le lecteur destinataire (null pour l'expéditeur)."
    )
    acknowledged_at = serializers.DateTimeField(read_only=True, allow_null=True)
    recipients_total = serializers.IntegerField(read_only=True, allow_null=True, help_text="Pour l'expéditeur.")
    recipients_opened = serializers.IntegerField(read_only=True, allow_null=True, help_text="Pour l'expéditeur.")
    recipients_acknowledged = serializers.IntegerField(read_only=True, allow_null=True, help_text="Pour l'expéditeur.")
    receipts = ReceiptSerializer(
        many=True,
        read_only=True,
        allow_null=True,
        help_text="Qui a ouvert et approuvé : pour l'expéditeur, à la lecture d'un message (sinon null).",
    )


# --- Input --------------------------------------------------------------------------------------


class MessageCreateSerializer(serializers.Serializer):
    kind = MessageKindField(default=MessageKind.MESSAGE, error_messages={"invalid_choice": "Type de message inconnu."})
    subject = serializers.CharField(
        max_length=services.SUBJECT_MAX_LENGTH,
        error_messages={
            "required": "L'objet du message est obligatoire.",
            "blank": "L'objet du message est obligatoire.",
            "null": "L'objet du message est obligatoire.",
            "max_length": f"L'objet ne peut pas dépasser {services.SUBJECT_MAX_LENGTH} caractères.",
        },
    )
    body = serializers.CharField(
        max_length=services.BODY_MAX_LENGTH,
        error_messages={
            "required": "Le texte du message est obligatoire.",
            "blank": "Le texte du message est obligatoire.",
            "null": "Le texte du message est obligatoire.",
            "max_length": f"Le message ne peut pas dépasser {services.BODY_MAX_LENGTH} caractères.",
        },
    )
    requires_ack = serializers.BooleanField(default=False)
    users = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=ID_MAX),
        default=list,
        max_length=5000,
        help_text="Identifiants des personnes destinataires (professionnels de l'établissement).",
    )
    metiers = serializers.ListField(
        child=MetierField(max_length=32), default=list, max_length=50, help_text="Métiers destinataires."
    )
    whole_essms = serializers.BooleanField(default=False, help_text="Tout l'établissement.")


@extend_schema_view(
    list=extend_schema(
        summary="Messages reçus (non lus d'abord), ou envoyés avec ?box=sent",
        parameters=[
            OpenApiParameter(
                "box",
                OpenApiTypes.STR,
                enum=["inbox", "sent"],
                description="`inbox` (par défaut) : messages reçus ; `sent` : messages envoyés, avec les compteurs.",
            )
        ],
    ),
    retrieve=extend_schema(
        summary="Lire un message (le marque ouvert pour le destinataire ; accusés de lecture pour l'expéditeur)"
    ),
    create=extend_schema(
        summary="Envoyer un message ou une note de service",
        request=MessageCreateSerializer,
        responses={201: MessageSerializer},
    ),
)
class MessageViewSet(viewsets.GenericViewSet):
    serializer_class = MessageSerializer
    lookup_value_regex = r"[0-9]+"
    filter_backends = []

    def get_queryset(self):
        return selectors.inbox_for_user(actor_of(self.request))

    def list(self, request, *args, **kwargs):
        box = request.query_params.get("box", "inbox")
        if box not in {"inbox", "sent"}:
            raise exceptions.ValidationError({"box": ["Valeur inconnue : « inbox » ou « sent » attendu."]})
        if box == "sent":
            page = self.paginate_queryset(selectors.sent_by_user(actor_of(request)).select_related("sender"))
            views = [view_of(message) for message in page]
        else:
            page = self.paginate_queryset(self.get_queryset())
            views = [view_of(row.message, recipient=row) for row in page]
        return self.get_paginated_response(MessageSerializer(views, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        actor = actor_of(request)
        access = selectors.access_message(actor, kwargs["pk"], log=True)
        if access.recipient is not None and access.recipient.opened_at is None:
            services.message_open(actor, message=access.message)
            access = selectors.access_message(actor, access.message.pk)
        receipts = selectors.message_receipts(actor, message=access.message) if access.is_sender else None
        return Response(MessageSerializer(view_of(access.message, recipient=access.recipient, receipts=receipts)).data)

    def create(self, request, *args, **kwargs):
        data = MessageCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        actor = actor_of(request)
        message = services.message_send(actor, **data.validated_data)
        receipts = selectors.message_receipts(actor, message=message)
        return Response(MessageSerializer(view_of(message, receipts=receipts)).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="« J'ai lu et j'approuve » (destinataire d'un message qui le demande)", request=None)
    @action(detail=True, methods=["post"], url_path="acknowledge")
    def acknowledge(self, request, pk=None, **kwargs):
        actor = actor_of(request)
        access = selectors.access_message(actor, pk)
        services.message_acknowledge(actor, message=access.message)
        access = selectors.access_message(actor, pk)
        return Response(MessageSerializer(view_of(access.message, recipient=access.recipient)).data)


routes = [("messages", MessageViewSet, "message")]
