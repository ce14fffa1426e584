from django.urls import path

from transmissions.views import maintenance

urlpatterns = [
    path("", maintenance.maintenance_list, name="maintenance-list"),
    path("nouvelle/", maintenance.maintenance_create, name="maintenance-create"),
    path("statistiques/", maintenance.maintenance_stats, name="maintenance-stats"),
    path("<int:pk>/", maintenance.maintenance_detail, name="maintenance-detail"),
    path("<int:pk>/statut/", maintenance.maintenance_status, name="maintenance-status"),
]
