"""Forms of the séjour screens: input only; the services validate the rules and write."""

from django import forms
from django.utils import timezone

from dui.models import AbsenceKind, ExitReason, Modality

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


def date_field(label: str, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "Ce champ est obligatoire.", "invalid": "Date invalide (jj/mm/aaaa)."},
    )


def choice_field(label: str, choices, *, required: bool = True) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        required=required,
        choices=[("", "— Choisir —"), *choices],
        error_messages={"required": "Ce champ est obligatoire.", "invalid_choice": "Choisissez dans la liste."},
    )


class PreAdmissionForm(forms.Form):
    first_contact_on = date_field("Date du premier contact")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_contact_on"].initial = timezone.localdate()


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class AdmitForm(forms.Form):
    admitted_on = date_field("Date d'admission")
    contract_signed_on = date_field("Contrat de séjour signé le")
    unit = UnitChoiceField(
        label="Unité",
        queryset=None,
        empty_label="— Choisir une unité —",
        error_messages={"required": "Choisissez l'unité.", "invalid_choice": "Choisissez une unité de la liste."},
    )
    room = forms.CharField(label="Chambre", max_length=20, required=False)
    modality = choice_field("Modalité d'accueil", Modality.choices)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        today = timezone.localdate()
        self.fields["admitted_on"].initial = today
        self.fields["contract_signed_on"].initial = today


class PlacementChangeForm(forms.Form):
    starts_on = date_field("À compter du", help_text="L'affectation actuelle se termine la veille.")
    unit = UnitChoiceField(
        label="Unité",
        queryset=None,
        empty_label=None,
        error_messages={"required": "Choisissez l'unité.", "invalid_choice": "Choisissez une unité de la liste."},
    )
    room = forms.CharField(label="Chambre", max_length=20, required=False)
    modality = choice_field("Modalité d'accueil", Modality.choices)

    def __init__(self, *args, units, current, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["starts_on"].initial = timezone.localdate()
        if current is not None:
            self.fields["unit"].initial = current.unit_id
            self.fields["room"].initial = current.room
            self.fields["modality"].initial = current.modality


class AbsenceForm(forms.Form):
    kind = choice_field("Type d'absence", AbsenceKind.choices)
    starts_on = date_field("Premier jour d'absence")
    ends_on = date_field(
        "Dernier jour d'absence", required=False, help_text="Laissez vide si le retour n'est pas connu."
    )
    comment = forms.CharField(label="Commentaire", max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["starts_on"].initial = timezone.localdate()


class AbsenceEndForm(forms.Form):
    ends_on = date_field("Dernier jour d'absence", help_text="La veille du retour dans l'établissement.")


class ExitForm(forms.Form):
    ended_on = date_field("Date de sortie")
    exit_reason = choice_field("Motif", ExitReason.choices)
    exit_destination = forms.CharField(label="Destination", max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ended_on"].initial = timezone.localdate()


class CretonForm(forms.Form):
    decided_on = date_field("Date de la décision CDAPH")
    valid_until = date_field("Valable jusqu'au")
    orientation = forms.CharField(label="Orientation cible", max_length=200, required=False)
    comment = forms.CharField(label="Commentaire", max_length=300, required=False)
