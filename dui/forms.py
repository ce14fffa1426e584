"""Forms of the UI shell."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm


class LoginForm(AuthenticationForm):
    """Login with French labels and one generic error that never tells whether the account exists."""

    error_messages = {
        "invalid_login": "Identifiant ou mot de passe incorrect.",
        # Only reachable with the right password; kept generic all the same.
        "inactive": "Identifiant ou mot de passe incorrect.",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "Identifiant"
        self.fields["username"].widget.attrs.update(
            {"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}
        )
        self.fields["password"].label = "Mot de passe"
        self.fields["password"].widget = forms.PasswordInput(attrs={"autocomplete": "current-password"})

    def confirm_login_allowed(self, user):
        """A portal account (the reverse one-to-one the portal app adds; dui does not import it) logs
        in on the portal only: here it gets the message of a wrong password."""
        super().confirm_login_allowed(user)
        if getattr(user, "portal_account", None) is not None:
            raise forms.ValidationError(self.error_messages["invalid_login"], code="invalid_login")
