"""Pages of the medication area: prescriptions of a person, the day chart, actions on a line."""

from django.urls import path

from soins.views import medication as views

urlpatterns = [
    path("medicaments/referentiel/", views.drug_search, name="medication-drug-search"),
    path("medicaments/<int:pk>/", views.prescriptions, name="medication-prescriptions"),
    path("medicaments/<int:pk>/nouvelle-ligne/", views.line_create, name="medication-line-create"),
    path("medicaments/<int:pk>/plan-administration/", views.chart, name="medication-chart"),
    path("medicaments/lignes/<int:pk>/valider/", views.line_validate, name="medication-line-validate"),
    path("medicaments/lignes/<int:pk>/arreter/", views.line_stop, name="medication-line-stop"),
    path("medicaments/lignes/<int:pk>/modifier/", views.line_modify, name="medication-line-modify"),
    path("medicaments/lignes/<int:pk>/pharmacie/", views.line_intervention, name="medication-line-intervention"),
    path("medicaments/lignes/<int:pk>/si-besoin/", views.line_as_needed, name="medication-line-as-needed"),
]
