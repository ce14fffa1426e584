from django.urls import path

from dui.views import usagers

urlpatterns = [
    path("", usagers.usager_list, name="usager-list"),
    path("<int:pk>/", usagers.usager_detail, name="usager-detail"),
]
