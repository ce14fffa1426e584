"""Feed, writing, reading and the cible catalogue, included under "transmissions/"."""

from django.urls import path

from transmissions.views import cibles, feed

urlpatterns = [
    path("", feed.transmission_feed, name="transmission-feed"),
    path("personnes/", feed.transmission_person_search, name="transmission-person-search"),
    path("non-lues/", feed.transmission_unread, name="transmission-unread"),
    path("non-lues/tout-marquer-lu/", feed.transmission_mark_all_read, name="transmission-mark-all-read"),
    path("nouvelle/", feed.transmission_create_view, name="transmission-create"),
    path("<int:pk>/", feed.transmission_detail, name="transmission-detail"),
    path("<int:pk>/corriger/", feed.transmission_correct_view, name="transmission-correct"),
    path("<int:pk>/resultat/", feed.transmission_add_result_view, name="transmission-add-result"),
    path("<int:pk>/lu/", feed.transmission_mark_read, name="transmission-mark-read"),
    path("cibles/", cibles.cible_list, name="cible-list"),
    path("cibles/ajouter/", cibles.cible_create, name="cible-create"),
    path("cibles/desactiver/", cibles.cible_deactivate, name="cible-deactivate"),
    path("cibles/reactiver/", cibles.cible_reactivate, name="cible-reactivate"),
    path("cibles/etablissements/", cibles.cible_set_kinds, name="cible-kinds"),
]
