"""The dossier's « Portail famille » pages, under /usagers/<pk>/portail/."""

from django.urls import path

from portal.views import team

urlpatterns = [
    path("<int:pk>/portail/", team.manage, name="portal-manage"),
    path("<int:pk>/portail/consentement/", team.consent_record, name="portal-consent-record"),
    path("<int:pk>/portail/consentement/retrait/", team.consent_withdraw, name="portal-consent-withdraw"),
    path("<int:pk>/portail/invitation/", team.invite, name="portal-invite"),
    path("<int:pk>/portail/acces/<int:access_pk>/revoquer/", team.revoke, name="portal-access-revoke"),
    path("<int:pk>/portail/acces/<int:access_pk>/visibilite/", team.flags, name="portal-access-flags"),
    path("<int:pk>/portail/acces/<int:access_pk>/messages/", team.team_thread, name="portal-team-thread"),
    path("<int:pk>/portail/documents/<int:document_pk>/partage/", team.share, name="portal-share"),
]
