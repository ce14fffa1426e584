"""Identity and identitovigilance screens, included under "usagers/"."""

from django.urls import path

from dui.views import identity

urlpatterns = [
    path("nouveau/", identity.usager_create, name="usager-create"),
    path("<int:pk>/identite/", identity.usager_edit, name="usager-edit"),
    path("<int:pk>/identite/valider/", identity.usager_validate_identity, name="usager-validate-identity"),
    path("<int:pk>/identite/insi/", identity.usager_insi, name="usager-insi"),
    path("<int:pk>/fusion/", identity.usager_merge, name="usager-merge"),
]
