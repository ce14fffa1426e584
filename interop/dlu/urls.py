"""DLU pages of a dossier (included at "usagers/")."""

from django.urls import path

from interop.dlu import views

urlpatterns = [
    path("<int:pk>/dlu/", views.dlu_page, name="dlu-page"),
    path("<int:pk>/dlu/generer/", views.dlu_generate_view, name="dlu-generate"),
    path("<int:pk>/dlu/actuel.pdf", views.dlu_current_pdf, name="dlu-current-pdf"),
    path("<int:pk>/dlu/<int:generation_pk>/pdf/", views.dlu_pdf, name="dlu-pdf"),
    path("<int:pk>/dlu/informations/", views.dlu_section, name="dlu-section"),
    path("<int:pk>/dlu/fiches/<str:kind>/", views.sheet_create, name="dlu-sheet-create"),
    path("<int:pk>/dlu/fiches/<int:sheet_pk>/pdf/", views.sheet_pdf, name="dlu-sheet-pdf"),
]
