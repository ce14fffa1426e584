from django.urls import path

from transmissions.views import events

urlpatterns = [
    path("evenements/", events.event_list, name="event-list"),
    path("evenements/nouveau/<str:kind>/", events.event_create, name="event-create"),
    path("evenements/releve/", events.releve, name="releve"),
]
