"""Séjour screens, included under usagers/."""

from django.urls import path

from dui.views import sejours

urlpatterns = [
    path("creton/alertes/", sejours.creton_alerts, name="creton-alerts"),
    path("<int:pk>/sejours/", sejours.usager_sejours, name="usager-sejours"),
    path("<int:pk>/sejours/pre-admission/", sejours.sejour_pre_admission, name="sejour-pre-admission"),
    path("<int:pk>/sejours/<int:sejour_pk>/admission/", sejours.sejour_admit, name="sejour-admit"),
    path("<int:pk>/sejours/<int:sejour_pk>/mouvement/", sejours.placement_change, name="placement-change"),
    path("<int:pk>/sejours/<int:sejour_pk>/absence/", sejours.absence_record, name="absence-record"),
    path("<int:pk>/sejours/<int:sejour_pk>/retour/", sejours.absence_end, name="absence-end"),
    path("<int:pk>/sejours/<int:sejour_pk>/sortie/", sejours.sejour_exit, name="sejour-exit"),
    path("<int:pk>/creton/", sejours.creton_record, name="creton-record"),
]
