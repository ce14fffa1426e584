"""Documents of a dossier and its GDPR export (included under usagers/)."""

from django.urls import path

from dui.views import documents

urlpatterns = [
    path("<int:pk>/documents/", documents.usager_documents, name="usager-documents"),
    path("<int:pk>/documents/ajouter/", documents.document_upload_view, name="document-upload"),
    path("<int:pk>/documents/<int:doc_pk>/", documents.document_detail, name="document-detail"),
    path("<int:pk>/documents/<int:doc_pk>/telecharger/", documents.document_download, name="document-download"),
    path(
        "<int:pk>/documents/<int:doc_pk>/nouvelle-version/",
        documents.document_add_version_view,
        name="document-add-version",
    ),
    path("<int:pk>/export/", documents.usager_export, name="usager-export"),
]
