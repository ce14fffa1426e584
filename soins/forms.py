"""Forms of the plan de soins pages (catalogue, scheduling); the services validate the rules."""

from django import forms

from dui.models import Metier
from dui.shifts import Poste
from soins.models import CareCategory

WEEKDAYS = [("1", "Lun"), ("2", "Mar"), ("3", "Mer"), ("4", "Jeu"), ("5", "Ven"), ("6", "Sam"), ("7", "Dim")]


class CareActionForm(forms.Form):
    label = forms.CharField(label="Libellé du soin", max_length=120)
    category = forms.ChoiceField(label="Catégorie", choices=CareCategory.choices)
    default_metier = forms.ChoiceField(label="Métier habituel", choices=[("", "—"), *Metier.choices], required=False)
    requires_prescription = forms.BooleanField(label="Sur prescription médicale uniquement", required=False)


class PlanItemForm(forms.Form):
    action = forms.TypedChoiceField(label="Soin", coerce=int, choices=())
    weekdays = forms.MultipleChoiceField(
        label="Jours", choices=WEEKDAYS, widget=forms.CheckboxSelectMultiple, initial=[d for d, _ in WEEKDAYS]
    )
    poste = forms.ChoiceField(label="Poste", choices=Poste.choices)
    time = forms.TimeField(
        label="Heure (facultative)", required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    metier = forms.ChoiceField(
        label="Métier", choices=[("", "Métier habituel du soin"), *Metier.choices], required=False
    )
    starts_on = forms.DateField(label="À partir du", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    ends_on = forms.DateField(
        label="Jusqu'au (facultatif)", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    prescription = forms.TypedChoiceField(
        label="Prescription (contention, soin sur prescription)", coerce=int, required=False, empty_value=None
    )
    instructions = forms.CharField(label="Consignes", max_length=300, required=False)

    def __init__(self, *args, actions=(), prescriptions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [
            (action.pk, f"{action.label}{' (sur prescription)' if action.requires_prescription else ''}")
            for action in actions
        ]
        self.fields["prescription"].choices = [("", "Aucune")] + [
            (
                line.pk,
                f"{line.get_kind_display()} : {line.drug} (du {line.starts_on:%d/%m/%Y}"
                f"{f' au {line.ends_on:%d/%m/%Y}' if line.ends_on else ''})",
            )
            for line in prescriptions
        ]


class EndItemForm(forms.Form):
    ends_on = forms.DateField(
        label="Dernier jour", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    reason = forms.CharField(
        label="Motif de l'arrêt",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Indiquez le motif de l'arrêt."},
    )


class ValidationPolicyForm(forms.Form):
    medication_window_minutes = forms.IntegerField(
        label="Médicaments : ± minutes autour de l'heure prévue",
        min_value=15,
        max_value=240,
        error_messages={"required": "Indiquez le créneau des médicaments (en minutes)."},
    )
    care_window_minutes = forms.IntegerField(
        label="Soins à heure fixe : ± minutes (vide : tout le poste)", min_value=15, max_value=360, required=False
    )
