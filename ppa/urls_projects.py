"""Pages of the projects area (projet personnalisé / PPA / PIA), under /ppa/."""

from django.urls import path

from ppa.views import projects as views

urlpatterns = [
    path("ppa/echeances/", views.ppa_alerts, name="ppa-alerts"),
    path("ppa/regles/", views.ppa_policy, name="ppa-policy"),
    path("ppa/personne/<int:usager_pk>/", views.usager_projet, name="ppa-usager"),
    path("ppa/projets/<int:pk>/", views.projet_detail, name="ppa-projet-detail"),
    path("ppa/projets/<int:pk>/etape/", views.projet_step, name="ppa-projet-step"),
    path("ppa/projets/<int:pk>/cloture/", views.projet_close, name="ppa-projet-close"),
    path("ppa/projets/<int:pk>/comparer/", views.projet_compare, name="ppa-projet-compare"),
    path("ppa/projets/<int:pk>/pdf/", views.projet_pdf, name="ppa-projet-pdf"),
    path("ppa/versions/<int:pk>/ajouter/<str:item>/", views.version_add, name="ppa-version-add"),
    path("ppa/versions/<int:pk>/retirer/<str:item>/<int:item_pk>/", views.version_remove, name="ppa-version-remove"),
    path("ppa/versions/<int:pk>/reunion/", views.version_meeting, name="ppa-version-meeting"),
    path("ppa/versions/<int:pk>/accord/", views.version_agreement, name="ppa-version-agreement"),
    path("ppa/versions/<int:pk>/reviser/", views.version_revise, name="ppa-version-revise"),
]
