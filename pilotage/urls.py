from django.urls import path

from pilotage import views

urlpatterns = [
    path("", views.board, name="pilotage-board"),
    path("siege/", views.og_board, name="pilotage-og"),
    path("export.csv", views.board_export, {"fmt": "csv"}, name="pilotage-export-csv"),
    path("export.xlsx", views.board_export, {"fmt": "xlsx"}, name="pilotage-export-xlsx"),
    path("indicateurs/<str:code>/personnes/", views.persons, name="pilotage-persons"),
    path("coupe-pathos.xlsx", views.pathos_export, name="pilotage-pathos"),
    path("rapports/", views.report_list, name="pilotage-reports"),
    path("rapports/demander/", views.report_request, name="pilotage-report-request"),
    path("rapports/<int:pk>/pdf/", views.report_pdf, name="pilotage-report-pdf"),
]
