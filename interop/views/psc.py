"""Pro Santé Connect pages: the redirect to the provider and its callback.

Thin layers over mozilla-django-oidc: every refusal lands back on the login page with a French
message saying what happened; nothing is written but the session (and the login journal)."""

import requests
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from interop.psc import library_setting, psc_enabled
from interop.psc.backend import REFUSAL_ATTRIBUTE, BadIdTokenError
from interop.psc.discovery import ProviderUnavailableError, provider_metadata

PROVIDER_DOWN = (
    "Pro Santé Connect ne répond pas pour le moment. Réessayez dans quelques minutes ou connectez-vous "
    "avec votre identifiant et votre mot de passe."
)
STALE_ANSWER = (
    "Cette réponse de Pro Santé Connect ne correspond à aucune connexion en cours (lien expiré, déjà "
    "utilisé ou ouvert dans un autre navigateur). Recommencez la connexion."
)
NONCE_MISMATCH = (
    "La réponse de Pro Santé Connect ne correspond pas à la connexion demandée (contrôle « nonce » "
    "en échec). Connexion refusée ; recommencez."
)
UNTRUSTED_ID = (
    "Le jeton d'identité reçu de Pro Santé Connect n'est pas destiné à cette application ou n'est plus "
    "valable. Connexion refusée."
)
CANCELLED = "Connexion Pro Santé Connect annulée ou refusée par le fournisseur d'identité."
FAILED = "La connexion avec Pro Santé Connect a échoué. Recommencez ou utilisez votre mot de passe."


def back_to_login(request, message: str):
    messages.error(request, message)
    return HttpResponseRedirect(reverse("login"))


class PscLoginView(OIDCAuthenticationRequestView):
    """GET /psc/connexion/: sends the browser to the provider's authorization page."""

    def __init__(self, *args, **kwargs):
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)  # endpoints read in get()

    get_settings = staticmethod(library_setting)

    def get(self, request):
        if not psc_enabled():
            raise Http404("Pro Santé Connect n'est pas configuré.")
        try:
            metadata = provider_metadata()
        except ProviderUnavailableError:
            return back_to_login(request, PROVIDER_DOWN)
        self.OIDC_OP_AUTH_ENDPOINT = metadata["authorization_endpoint"]
        self.OIDC_RP_CLIENT_ID = settings.PSC_CLIENT_ID
        return super().get(request)


class PscCallbackView(OIDCAuthenticationCallbackView):
    """GET /psc/retour/: the provider's answer; logs the matched professional in, or says why not."""

    get_settings = staticmethod(library_setting)

    def get(self, request):
        if not psc_enabled():
            raise Http404("Pro Santé Connect n'est pas configuré.")
        if request.GET.get("error"):
            states = request.session.get("oidc_states") or {}
            if states.pop(request.GET.get("state"), None) is not None:  # not replayable
                request.session.modified = True
            return back_to_login(request, CANCELLED)
        if request.GET.get("state") not in (request.session.get("oidc_states") or {}):
            return back_to_login(request, STALE_ANSWER)
        try:
            return super().get(request)
        except requests.HTTPError as error:
            answered = error.response is not None and error.response.status_code < 500
            return back_to_login(request, FAILED if answered else PROVIDER_DOWN)
        except (ProviderUnavailableError, requests.RequestException):
            return back_to_login(request, PROVIDER_DOWN)
        except BadIdTokenError:
            return back_to_login(request, UNTRUSTED_ID)
        except SuspiciousOperation as exc:
            return back_to_login(request, NONCE_MISMATCH if "Nonce" in str(exc) else STALE_ANSWER)

    def login_failure(self):
        return back_to_login(self.request, getattr(self.request, REFUSAL_ATTRIBUTE, None) or FAILED)
