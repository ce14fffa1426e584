from django.urls import include, path

urlpatterns = [
    path("", include("transmissions.urls_feed")),
    path("", include("transmissions.urls_events")),
    path("", include("transmissions.urls_handover")),
    path("messages/", include("transmissions.urls_messages")),
    path("demandes-techniques/", include("transmissions.urls_maintenance")),
]
