"""Error pages. The 500 page is rendered without request context: no database, no context processors."""

from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme

from dui.actor import actor_of
from dui.catalogue import CLASS_BY_CODE
from dui.errors import RightRefused
from dui.permissions import active_membership

ACTION_VERBS = {"read": "consulter", "write": "saisir ou modifier", "validate": "valider"}


def _is_api(request) -> bool:
    """Under /api/ every answer is JSON, even one Django gives before DRF (an id the router refuses)."""
    return request.path.startswith("/api/")


def permission_denied(request, exception=None):
    message = str(exception) if exception and str(exception) else ""
    if _is_api(request):
        return JsonResponse({"detail": message or "Action non autorisée."}, status=403)
    return render(request, "errors/403.html", {"message": message, "back": _back(request)}, status=403)


def page_not_found(request, exception=None):
    if _is_api(request):
        return JsonResponse({"detail": "Introuvable."}, status=404)
    return render(request, "errors/404.html", status=404)


def right_refused(request, refusal: RightRefused):
    """A page of the user's own ESSMS that their métier may not open: say what and where to go."""
    if _is_api(request):
        return JsonResponse({"detail": refusal.message}, status=403)
    membership = active_membership(actor_of(request))
    spec = CLASS_BY_CODE.get(refusal.code)
    context = {
        "verb": ACTION_VERBS.get(refusal.action, refusal.action),
        "what": spec.label if spec else refusal.code,
        "metier": membership.get_metier_display() if membership else "",
        "essms": membership.essms if membership else None,
        "back": _back(request),
    }
    return render(request, "errors/refused.html", context, status=403)


def _back(request) -> str:
    """The page the user came from, when it is one of ours: the natural place to go back to."""
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(referer, {request.get_host()}, request.is_secure()):
        return referer
    return ""


def server_error(request):
    if _is_api(request):
        return JsonResponse({"detail": "Erreur interne : l'incident est enregistré."}, status=500)
    return HttpResponseServerError(loader.get_template("errors/500.html").render())


def csrf_failure(request, reason=""):
    return render(request, "errors/csrf.html", status=403)
