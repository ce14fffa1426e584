from django.urls import path

from interop.views import tokens

urlpatterns = [
    path("jetons-api/", tokens.api_token_list, name="api-token-list"),
    path("jetons-api/<int:pk>/revoquer/", tokens.api_token_revoke_view, name="api-token-revoke"),
]
