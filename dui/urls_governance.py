from django.urls import path

from dui.views import audit, catalogue_kinds, grants, habilitations, professionals

urlpatterns = [
    path("journal/", audit.access_log, name="audit-log"),
    path("journal/export.csv", audit.access_log_csv, name="audit-log-csv"),
    path("journal/<int:pk>/elements/", audit.access_log_items, name="audit-log-items"),
    path("habilitations/", habilitations.habilitation_matrix, name="habilitation-matrix"),
    path("habilitations/grille/", habilitations.habilitation_grid_save, name="habilitation-grid-save"),
    path("habilitations/<str:metier>/", habilitations.habilitation_matrix_save, name="habilitation-matrix-save"),
    path("catalogue/types-etablissement/", catalogue_kinds.catalogue_kinds, name="catalogue-kinds"),
    path("catalogue/types-etablissement/modifier/", catalogue_kinds.catalogue_kinds_save, name="catalogue-kinds-save"),
    path("professionnels/", professionals.professional_list, name="professional-list"),
    path("professionnels/<int:pk>/rpps/", professionals.professional_rpps, name="professional-rpps"),
    path("acces-exceptionnels/", grants.grant_list, name="grant-list"),
    path("acces-exceptionnels/nouveau/", grants.grant_create, name="grant-create"),
    path("acces-exceptionnels/<int:pk>/revoquer/", grants.grant_revoke, name="grant-revoke"),
]
