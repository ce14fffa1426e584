"""/fhir/ routes: metadata, type (search, create), instance (read)."""

from django.urls import path

from interop.fhir.views.api import InstanceView, MetadataView, TypeView

app_name = "fhir"

urlpatterns = [
    path("metadata", MetadataView.as_view(), name="metadata"),
    path("<str:resource_type>", TypeView.as_view(), name="type"),
    path("<str:resource_type>/<str:resource_id>", InstanceView.as_view(), name="instance"),
]
