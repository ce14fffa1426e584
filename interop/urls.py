"""Pages of the outbox, the dossier's sendings and DMP information, and the MSSanté queue."""

from django.urls import path

from interop.views import outbox as views

urlpatterns = [
    path("usagers/<int:pk>/envois/", views.usager_deliveries, name="usager-deliveries"),
    path("usagers/<int:pk>/envois/envoyer/", views.usager_send, name="usager-send"),
    path("usagers/<int:pk>/envois/dmp/", views.usager_dmp_consent, name="usager-dmp-consent"),
    path("envois/", views.deliveries, name="deliveries"),
    path("envois/<int:pk>/renvoyer/", views.delivery_resend, name="delivery-resend"),
    path("messagerie/a-rapprocher/", views.inbox_queue, name="inbox-queue"),
    path("messagerie/a-rapprocher/<int:pk>/classer/", views.inbox_file_view, name="inbox-file"),
]
