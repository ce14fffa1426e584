from django.contrib.auth import views as auth_views
from django.urls import path

from dui.forms import LoginForm
from dui.views import shell

urlpatterns = [
    path("", shell.home, name="home"),
    path(
        "connexion/",
        shell.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("mot-de-passe/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("mot-de-passe/modifie/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("mon-compte/", shell.my_account, name="my-account"),
    path("etablissement/<int:membership_id>/activer/", shell.switch_essms, name="switch-essms"),
    path("healthz", shell.healthz, name="healthz"),
]
