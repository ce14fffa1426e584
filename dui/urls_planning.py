from django.urls import path

from dui.views import planning

urlpatterns = [
    path("", planning.planning_day, name="planning-day"),
    path("imprimer/", planning.planning_day_print, name="planning-day-print"),
    path("rendez-vous/<int:pk>/modifier/", planning.appointment_update, name="appointment-update"),
    path("rendez-vous/<int:pk>/annuler/", planning.appointment_cancel, name="appointment-cancel"),
    path("preferences/", planning.preferences, name="preferences"),
    path("documents-recents/", planning.recent_documents, name="documents-recent"),
]
