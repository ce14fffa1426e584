"""Pages of the care area: the worklist and its validations, late items, the catalogue, a person's plan."""

from django.urls import path

from soins.views import care as views_care
from soins.views import deferred as views_deferred
from soins.views import worklist as views_worklist

urlpatterns = [
    path("soins/liste/", views_worklist.worklist, name="worklist"),
    path("soins/occurrences/<int:pk>/valider/", views_worklist.validate, name="worklist-validate"),
    path("soins/occurrences/<int:pk>/annuler/", views_worklist.cancel, name="worklist-cancel"),
    path("soins/saisie-differee/", views_deferred.deferred_entries, name="worklist-deferred"),
    path("soins/saisie-differee/<int:pk>/", views_deferred.deferred_validate, name="worklist-deferred-validate"),
    path("soins/retards/", views_worklist.late, name="worklist-late"),
    path("soins/creneaux/", views_worklist.validation_policy, name="validation-policy"),
    path("soins/catalogue/", views_care.catalogue, name="care-catalogue"),
    path("soins/catalogue/desactiver/", views_care.care_action_deactivate, name="care-action-deactivate"),
    path("soins/catalogue/reactiver/", views_care.care_action_reactivate, name="care-action-reactivate"),
    path("soins/personne/<int:pk>/", views_care.plan, name="care-plan"),
    path("soins/personne/<int:pk>/ajouter/", views_care.plan_add, name="care-plan-add"),
    path("soins/planifie/<int:pk>/arreter/", views_care.plan_end, name="care-plan-end"),
]
