from django.urls import path

from admissions.views import detail, waiting

urlpatterns = [
    path("", waiting.waiting_list, name="admission-list"),
    path("nouvelle/", waiting.request_create, name="admission-create"),
    path("import/", waiting.request_import, name="admission-import"),
    path("reglages/", waiting.admission_settings, name="admission-settings"),
    path("<int:pk>/", detail.request_detail, name="admission-detail"),
    path("<int:pk>/statut/", detail.request_transition, name="admission-transition"),
    path("<int:pk>/avis/", detail.opinion_record, name="admission-opinion"),
    path("<int:pk>/contacts/", detail.contact_add, name="admission-contact-add"),
    path("<int:pk>/documents/", detail.document_add, name="admission-document-add"),
    path("<int:pk>/documents/<int:doc_pk>/", detail.document_download, name="admission-document"),
    path("<int:pk>/pre-admission/", detail.request_convert, name="admission-convert"),
]
