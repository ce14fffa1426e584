"""Forms of the activity screens: they only clean input; the services decide and write."""

import datetime

from django import forms
from django.utils import timezone

from activities.models import ActivityKind, SessionStatus
from dui.forms_planning import DateInput, TimeInput


class ActivityForm(forms.Form):
    name = forms.CharField(
        label="Nom", max_length=120, error_messages={"required": "Le nom de l'activité est obligatoire."}
    )
    kind = forms.ChoiceField(label="Type", choices=ActivityKind.choices)
    default_place = forms.CharField(label="Lieu habituel", max_length=120, required=False)
    is_active = forms.BooleanField(label="Proposée (active)", required=False, initial=True)


class SessionForm(forms.Form):
    activity = forms.TypedChoiceField(label="Activité", coerce=int, choices=())
    day = forms.DateField(
        label="Jour",
        widget=DateInput(),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"required": "Le jour de la séance est obligatoire.", "invalid": "Jour invalide."},
    )
    start_time = forms.TimeField(
        label="Heure de début",
        widget=TimeInput(),
        error_messages={"required": "L'heure de début est obligatoire.", "invalid": "Heure de début invalide."},
    )
    end_time = forms.TimeField(
        label="Heure de fin", required=False, widget=TimeInput(), error_messages={"invalid": "Heure de fin invalide."}
    )
    place = forms.CharField(label="Lieu", max_length=120, required=False, help_text="Vide : le lieu habituel.")
    status = forms.ChoiceField(label="Statut", choices=SessionStatus.choices, initial=SessionStatus.PLANNED)
    units = forms.TypedMultipleChoiceField(
        label="Unités", coerce=int, choices=(), required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Aucune : ouverte à tout l'établissement.",
    )  # fmt: skip
    facilitators = forms.TypedMultipleChoiceField(
        label="Professionnels qui l'animent", coerce=int, choices=(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    comment = forms.CharField(label="Commentaire", max_length=300, required=False)
    open_to_families = forms.BooleanField(
        label="Ouverte aux inscriptions des familles", required=False,
        help_text="La personne ou ses proches peuvent l'inscrire depuis le portail.",
    )  # fmt: skip

    def __init__(self, *args, activities=(), units=(), professionals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].choices = [(a.pk, a.name) for a in activities]
        self.fields["units"].choices = [(u.pk, u.name) for u in units]
        self.fields["facilitators"].choices = [(u.pk, u.get_full_name() or u.username) for u in professionals]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        starts_at = timezone.make_aware(datetime.datetime.combine(data["day"], data["start_time"]))
        ends_at = None
        if data.get("end_time"):
            ends_at = timezone.make_aware(datetime.datetime.combine(data["day"], data["end_time"]))
        return {
            "starts_at": starts_at,
            "ends_at": ends_at,
            "place": data.get("place") or None,
            "status": data["status"],
            "unit_ids": data.get("units") or [],
            "facilitator_ids": data.get("facilitators") or [],
            "comment": data.get("comment") or "",
            "open_to_families": bool(data.get("open_to_families")),
        }
