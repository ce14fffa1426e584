from django.urls import path

from activities.views import attendance, programme

urlpatterns = [
    path("", programme.programme, name="activity-programme"),
    path("catalogue/", programme.catalogue, name="activity-catalogue"),
    path("catalogue/nouvelle/", programme.activity_create, name="activity-create"),
    path("catalogue/<int:pk>/", programme.activity_edit, name="activity-edit"),
    path("seances/nouvelle/", programme.session_create, name="activity-session-create"),
    path("seances/<int:pk>/", attendance.session_detail, name="activity-session-detail"),
    path("seances/<int:pk>/presence/", attendance.attendance_record, name="activity-attendance"),
    path("seances/<int:pk>/inscrire/", attendance.registration_create, name="activity-register"),
    path("seances/<int:pk>/statut/", attendance.session_status, name="activity-session-status"),
    path("inscriptions/<int:pk>/retirer/", attendance.registration_cancel, name="activity-registration-cancel"),
    path("usagers/<int:pk>/", attendance.usager_activities, name="activities-usager"),
]
