"""Reads of the partner-access domain: the token listing (command line and the OG administrator's page)."""

from dataclasses import dataclass

from django.db.models import QuerySet

from dui.errors import NotFound, valid_pk
from dui.finess import normalise_finess
from dui.models import Membership, Metier
from dui.permissions import active_membership, can
from interop.models import ApiToken


@dataclass(frozen=True)
class TokenRow:
    token: ApiToken
    metier: str
    scopes: list[str]

    @property
    def metier_label(self) -> str:
        return Metier(self.metier).label if self.metier in Metier.values else self.metier


def _rows(tokens: QuerySet[ApiToken]) -> list[TokenRow]:
    tokens = list(tokens.select_related("essms", "user", "access").order_by("essms__name", "name", "-created_at"))
    metiers = dict(Membership.objects.filter(user_id__in=[t.user_id for t in tokens]).values_list("user_id", "metier"))
    rows = []
    for token in tokens:
        access = getattr(token, "access", None)
        rows.append(TokenRow(token, metiers.get(token.user_id, ""), list(access.scopes) if access else []))
    return rows


def api_tokens_listing(*, essms_finess: str | None = None, include_revoked: bool = False) -> list[TokenRow]:
    """Command line: every token (of one ESSMS when given)."""
    tokens = ApiToken.objects.all()
    if essms_finess:
        tokens = tokens.filter(essms__finess=normalise_finess(essms_finess))
    if not include_revoked:
        tokens = tokens.filter(revoked_at__isnull=True)
    return _rows(tokens)


def may_manage_tokens(actor) -> bool:
    """Administrators (write on the OG's habilitation matrix) see and revoke the tokens of their active ESSMS."""
    return active_membership(actor) is not None and can(actor, "write", "habilitations")


def tokens_for_admin(actor) -> list[TokenRow]:
    membership = active_membership(actor)
    if membership is None or not may_manage_tokens(actor):
        return []
    return _rows(ApiToken.objects.filter(essms_id=membership.essms_id))


def token_for_admin(actor, pk) -> ApiToken:
    membership = active_membership(actor)
    pk = valid_pk(pk)
    token = None
    if membership is not None and may_manage_tokens(actor):
        token = ApiToken.objects.filter(pk=pk, essms_id=membership.essms_id, revoked_at__isnull=True).first()
    if token is None:
        raise NotFound
    return token
