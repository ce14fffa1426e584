"""The administrator's page of partner API tokens: who may call the API for this ESSMS, with which
scopes and métier, last use; revoke one (it stops working at its next call)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from dui.actor import actor_of
from dui.errors import NotFound
from interop.selectors import may_manage_tokens, token_for_admin, tokens_for_admin
from interop.services import api_token_revoke


@require_GET
@login_required
def api_token_list(request):
    actor = actor_of(request)
    if not may_manage_tokens(actor):
        raise NotFound
    return render(request, "interop/tokens.html", {"rows": tokens_for_admin(actor)})


@require_POST
@login_required
def api_token_revoke_view(request, pk: int):
    actor = actor_of(request)
    token = token_for_admin(actor, pk)
    api_token_revoke(actor, token=token)
    messages.success(request, f"Jeton « {token.name} » révoqué : il est refusé dès son prochain appel.")
    return redirect("api-token-list")
