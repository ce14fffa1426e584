from django.urls import path

from interop.views import psc

urlpatterns = [
    path("connexion/", psc.PscLoginView.as_view(), name="psc-login"),
    path("retour/", psc.PscCallbackView.as_view(), name="psc-callback"),
]
