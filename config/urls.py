from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

urlpatterns = [
    path("", include("dui.urls_shell")),
    path("", include("dui.urls_governance")),
    path("usagers/", include("dui.urls_usagers")),
    path("usagers/", include("dui.urls_identity")),
    path("usagers/", include("dui.urls_sejours")),
    path("usagers/", include("dui.urls_entourage")),
    path("usagers/", include("dui.urls_documents")),
    path("usagers/", include("interop.dlu.urls")),
    path("usagers/", include("portal.urls_team")),
    path("planning/", include("dui.urls_planning")),
    path("transmissions/", include("transmissions.urls")),
    path("", include("ppa.urls_projects")),
    path("", include("soins.urls_evaluations")),
    path("", include("soins.urls_care")),
    path("", include("soins.urls_medication")),
    path("activites/", include("activities.urls")),
    path("admissions/", include("admissions.urls")),
    path("pilotage/", include("pilotage.urls")),
    path("continuite/", include("continuity.urls")),
    path("portail/", include("portal.urls")),
    path("", include("interop.urls")),
    path("api/v1/", include("config.api_urls", namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("fhir/", include("interop.fhir.urls", namespace="fhir")),
    path("admin/", admin.site.urls),
    path("psc/", include("interop.urls_psc")),
]

handler403 = "dui.views.errors.permission_denied"
handler404 = "dui.views.errors.page_not_found"
handler500 = "dui.views.errors.server_error"
