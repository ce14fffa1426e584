"""Pages of the evaluations area."""

from django.urls import path

from soins.views import evaluations as views
from soins.views import nutrition as views_nutrition

urlpatterns = [
    path("usagers/<int:pk>/evaluations/", views.usager_evaluations, name="usager-evaluations"),
    path(
        "usagers/<int:pk>/evaluations/objectif-hydratation/",
        views_nutrition.hydration_target,
        name="evaluation-hydration-target",
    ),
    path("usagers/<int:pk>/evaluations/nouvelle/<slug:grid>/", views.evaluation_create, name="evaluation-create"),
    path(
        "usagers/<int:pk>/evaluations/<int:evaluation_pk>/",
        views.evaluation_detail,
        name="evaluation-detail",
    ),
]
