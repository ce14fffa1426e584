from django.urls import path

from portal.views import relative

urlpatterns = [
    path("", relative.home, name="portal-home"),
    path("connexion/", relative.PortalLoginView.as_view(), name="portal-login"),
    path("connexion/code/", relative.login_code, name="portal-login-code"),
    path("deconnexion/", relative.portal_logout, name="portal-logout"),
    path("invitation/<str:token>/", relative.accept, name="portal-accept"),
    path("securite/", relative.security, name="portal-security"),
    path("personne/<int:access_pk>/", relative.person, name="portal-person"),
    path("personne/<int:access_pk>/messages/", relative.thread, name="portal-thread"),
    path("personne/<int:access_pk>/documents/<int:document_pk>/", relative.document, name="portal-document"),
    path("personne/<int:access_pk>/activites/<int:session_pk>/inscrire/", relative.register, name="portal-register"),
]
