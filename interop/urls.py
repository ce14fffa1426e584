"""Pages of the outbox, the dossier's sendings and DMP information, the MSSanté queue, and partner tokens."""

from django.urls import path

from interop.views import outbox as views
from interop.views import tokens

urlpatterns = [
    path("usagers/<int:pk>/envois/", views.usager_deliveries, name="usager-deliveries"),
    path("usagers/<int:pk>/envois/envoyer/", views.usager_send, name="usager-send"),
    path("usagers/<int:pk>/envois/dmp/", views.usager_dmp_consent, name="usager-dmp-consent"),
    path("envois/", views.deliveries, name="deliveries"),
    path("envois/<int:pk>/renvoyer/", views.delivery_resend, name="delivery-resend"),
    path("messagerie/a-rapprocher/", views.inbox_queue, name="inbox-queue"),
    path("messagerie/a-rapprocher/<int:pk>/classer/", views.inbox_file_view, name="inbox-file"),
    path("jetons-api/", tokens.api_token_list, name="api-token-list"),
    path("jetons-api/<int:pk>/revoquer/", tokens.api_token_revoke_view, name="api-token-revoke"),
]
