"""Forms of the planning screens: they only clean input; the services decide and write."""

import datetime

from django import forms
from django.utils import timezone

from dui.models import Transport


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


class AppointmentForm(forms.Form):
    day = forms.DateField(
        label="Jour",
        widget=DateInput(),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"required": "Le jour du rendez-vous est obligatoire.", "invalid": "Jour invalide."},
    )
    start_time = forms.TimeField(
        label="Heure de début",
        widget=TimeInput(),
        error_messages={"required": "L'heure de début est obligatoire.", "invalid": "Heure de début invalide."},
    )
    end_time = forms.TimeField(
        label="Heure de fin",
        required=False,
        widget=TimeInput(),
        help_text="Facultative.",
        error_messages={"invalid": "Heure de fin invalide."},
    )
    title = forms.CharField(
        label="Objet",
        max_length=200,
        error_messages={"required": "L'objet du rendez-vous est obligatoire."},
        widget=forms.TextInput(attrs={"placeholder": "Ex. : consultation de cardiologie"}),
    )
    place = forms.CharField(label="Lieu", max_length=200, required=False)
    practitioner = forms.CharField(label="Intervenant", max_length=200, required=False)
    transport = forms.ChoiceField(label="Transport", choices=Transport.choices, initial=Transport.AUCUN)
    transport_booked = forms.BooleanField(label="Transport réservé", required=False)
    accompanied_by = forms.CharField(
        label="Accompagnement",
        max_length=200,
        required=False,
        help_text="Qui accompagne la personne (professionnel, proche…).",
    )
    notes = forms.CharField(
        label="Consignes",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Ex. : à jeun, apporter la carte Vitale et les derniers résultats.",
    )

    @classmethod
    def initial_from(cls, appointment) -> dict:
        starts = timezone.localtime(appointment.starts_at)
        ends = timezone.localtime(appointment.ends_at) if appointment.ends_at else None
        return {
            "day": starts.date(),
            "start_time": starts.time().replace(second=0, microsecond=0),
            "end_time": ends.time().replace(second=0, microsecond=0) if ends else None,
            "title": appointment.title,
            "place": appointment.place,
            "practitioner": appointment.practitioner,
            "transport": appointment.transport,
            "transport_booked": appointment.transport_booked,
            "accompanied_by": appointment.accompanied_by,
            "notes": appointment.notes,
        }

    def service_kwargs(self) -> dict:
        """The cleaned data as the services expect it (aware datetimes in local time)."""
        data = self.cleaned_data
        starts_at = timezone.make_aware(datetime.datetime.combine(data["day"], data["start_time"]))
        ends_at = None
        if data.get("end_time"):
            ends_at = timezone.make_aware(datetime.datetime.combine(data["day"], data["end_time"]))
        return {
            "starts_at": starts_at,
            "ends_at": ends_at,
            "title": data["title"],
            "place": data["place"],
            "practitioner": data["practitioner"],
            "transport": data["transport"],
            "transport_booked": data["transport_booked"],
            "accompanied_by": data["accompanied_by"],
            "notes": data["notes"],
        }


class PreferencesForm(forms.Form):
    sections = forms.MultipleChoiceField(
        label="Rubriques épinglées sur l'accueil",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sections"].choices = list(choices)


class SavedFilterForm(forms.Form):
    name = forms.CharField(
        label="Nom du filtre",
        max_length=60,
        error_messages={"required": "Donnez un nom à ce filtre."},
        widget=forms.TextInput(attrs={"placeholder": "Ex. : Glycine — archives"}),
    )
