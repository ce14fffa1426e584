from django.urls import path

from dui.views import active_file, banner, planning, usagers

urlpatterns = [
    path("", usagers.usager_list, name="usager-list"),
    path("<int:pk>/", usagers.usager_detail, name="usager-detail"),
    path("<int:pk>/bandeau/", banner.usager_banner, name="usager-banner"),
    path("file-active/", active_file.active_file, name="active-file"),
    path("file-active/filtres/enregistrer/", active_file.active_file_filter_save, name="active-file-filter-save"),
    path("file-active/filtres/supprimer/", active_file.active_file_filter_delete, name="active-file-filter-delete"),
    path("<int:pk>/planning/", planning.usager_planning, name="usager-planning"),
    path("<int:pk>/rendez-vous/nouveau/", planning.appointment_create, name="appointment-create"),
]
