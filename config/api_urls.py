"""Every REST route under /api/v1/, one router. Each domain module lists its (prefix, viewset, basename)."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from activities.api import activities as activity_api
from dui.api import banner, documents, drugs, entourage, planning, sejours
from dui.api.root import ApiRootApi
from dui.api.views import MeApi, UnitViewSet, UsagerViewSet
from interop.api import deliveries, inbox
from interop.dlu import api as dlu_api
from pilotage.api.indicators import IndicatorListApi, IndicatorPersonsApi
from ppa.api import projects
from soins.api import care, evaluations, medication
from transmissions.api import cibles, events, feed, handover, maintenance, messages

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("units", UnitViewSet, basename="unit")
router.register("usagers", UsagerViewSet, basename="usager")
for module in (
    sejours, entourage, documents, planning, banner, drugs, feed, events, handover, messages, maintenance,
    projects, evaluations, care, medication, activity_api, dlu_api, deliveries, inbox, cibles,
):  # fmt: skip
    for prefix, viewset, basename in module.routes:
        router.register(prefix, viewset, basename=basename)

app_name = "api"

# The index lists each viewset's list route (prefixes with a URL parameter need one, so are left out).
_ROOT_ROUTES = [
    (prefix, f"api:{basename}-list")
    for prefix, viewset, basename in router.registry
    if "{" not in prefix and "<" not in prefix and hasattr(viewset, "list")
]

urlpatterns = [
    path("", ApiRootApi.as_view(routes=_ROOT_ROUTES), name="root"),
    path("me/", MeApi.as_view(), name="me"),
    path("indicators/", IndicatorListApi.as_view(), name="indicator-list"),
    path("indicators/<str:code>/persons/", IndicatorPersonsApi.as_view(), name="indicator-persons"),
    *router.urls,
]
