from django.urls import path

from continuity import views

urlpatterns = [
    path("", views.continuity_page, name="continuity"),
    path("unites/<int:unit_pk>/generer/", views.pack_generate_now, name="continuity-generate"),
    path("packs/<int:pk>/<str:fmt>/", views.pack_download, name="continuity-download"),
]
