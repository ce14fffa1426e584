"""Forms of the portal and of the dossier's « Portail famille » page: they clean input; services decide."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from dui.forms import LoginForm
from dui.forms_entourage import DateInput
from portal.models import GivenBy, Relation, Visibility
from portal.selectors import account_of

FLAG_LABELS = {
    "sees_planning": "Planning et rendez-vous",
    "sees_activities": "Activités et inscriptions",
    "sees_documents": "Documents partagés par l'équipe",
    "sees_transmissions": "Nouvelles de l'équipe (transmissions marquées « famille »)",
    "sees_messages": "Messages avec l'équipe",
}


class PortalLoginForm(LoginForm):
    """The portal's login refuses professionals with the same generic message as a wrong password."""

    def confirm_login_allowed(self, user):
        AuthenticationForm.confirm_login_allowed(self, user)  # not LoginForm's: it refuses portal accounts
        if account_of(user) is None:
            raise forms.ValidationError(self.error_messages["invalid_login"], code="invalid_login")


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code à 6 chiffres de votre application",
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class AcceptForm(forms.Form):
    username = forms.CharField(
        label="Identifiant (par exemple votre adresse électronique)",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label="Mot de passe (12 caractères au moins)",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_again = forms.CharField(
        label="Le même mot de passe, encore une fois",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class MessageForm(forms.Form):
    body = forms.CharField(label="Votre message", widget=forms.Textarea(attrs={"rows": 4}))


def _flag_fields(form: forms.Form, initial: dict | None = None) -> None:
    for flag in Visibility.FLAGS:
        default = Visibility._meta.get_field(flag).default
        form.fields[flag] = forms.BooleanField(
            label=FLAG_LABELS[flag], required=False, initial=(initial or {}).get(flag, default)
        )


class ConsentForm(forms.Form):
    given_by = forms.ChoiceField(label="Consentement donné par", choices=GivenBy.choices)
    representative = forms.TypedChoiceField(label="Représentant légal", coerce=int, required=False, empty_value=None)
    given_on = forms.DateField(label="Date du consentement", widget=DateInput())

    def __init__(self, *args, representatives=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["representative"].choices = [("", "—"), *((c.pk, str(c)) for c in representatives)]


class InvitationForm(forms.Form):
    relation = forms.ChoiceField(label="Qui est invité ?", choices=Relation.choices, initial=Relation.RELATIVE)
    contact = forms.TypedChoiceField(label="Proche invité", coerce=int, required=False, empty_value=None)
    email = forms.EmailField(
        label="Courriel (facultatif)",
        required=False,
        help_text="Le lien y est envoyé ; sinon, remettez-le en main propre.",
    )

    def __init__(self, *args, contacts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].choices = [("", "—"), *((c.pk, f"{c} ({c.get_role_display()})") for c in contacts)]
        _flag_fields(self)

    def flags(self) -> dict:
        return {flag: self.cleaned_data.get(flag) for flag in Visibility.FLAGS}


class FlagsForm(forms.Form):
    def __init__(self, *args, access=None, **kwargs):
        super().__init__(*args, **kwargs)
        _flag_fields(self, access.flags() if access else None)

    def flags(self) -> dict:
        return {flag: self.cleaned_data.get(flag) for flag in Visibility.FLAGS}
