from django.urls import path

from transmissions.views import handover

urlpatterns = [
    path("releve-de-poste/", handover.handover, name="handover"),
    path("synthese/<int:usager_pk>/", handover.synthese, name="synthese"),
]
