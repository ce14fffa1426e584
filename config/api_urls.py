"""Every REST route under /api/v1/, one router."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from dui.api.views import MeApi, UnitViewSet, UsagerViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("units", UnitViewSet, basename="unit")
router.register("usagers", UsagerViewSet, basename="usager")

app_name = "api"

urlpatterns = [path("me/", MeApi.as_view(), name="me"), *router.urls]
