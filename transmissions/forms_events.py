"""Forms of the event screens: they only clean input; the services decide and write."""

import datetime

from django import forms
from django.utils import timezone

from transmissions.models import EventKind, Visibility
from transmissions.visibility import levels_writable_by

SEVERITY_CHOICES = [("", "Non précisée"), ("faible", "Faible"), ("moyenne", "Moyenne"), ("grave", "Grave")]
SEIZURE_TYPES = (
    "tonico-clonique généralisée",
    "absence",
    "focale (partielle) sans rupture de contact",
    "focale (partielle) avec rupture de contact",
    "myoclonique",
    "atonique",
    "tonique",
    "clonique",
    "indéterminée",
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


EVENT_TEXT_MAX_LENGTH = 5000


def _text(label: str, *, required: bool = False, max_length: int | None = None, rows: int = 0, **kwargs):
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    if rows and max_length is None:
        max_length = EVENT_TEXT_MAX_LENGTH  # same bound as the API
    messages = {"required": f"{label} : ce champ est obligatoire."}
    if max_length:
        messages["max_length"] = f"{label} : {max_length} caractères au plus."
    return forms.CharField(
        label=label, required=required, max_length=max_length, widget=widget, error_messages=messages, **kwargs
    )


class EventForm(forms.Form):
    """Fields shared by every kind: when it happened and who may read it."""

    kind = None
    day = forms.DateField(
        label="Jour",
        widget=DateInput(),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"required": "Le jour est obligatoire.", "invalid": "Jour invalide."},
    )
    time = forms.TimeField(
        label="Heure",
        widget=TimeInput(),
        error_messages={"required": "L'heure est obligatoire.", "invalid": "Heure invalide."},
    )
    visibility = forms.ChoiceField(
        label="Qui peut lire la transmission",
        choices=Visibility.choices,
        error_messages={"invalid_choice": "Niveau de visibilité inconnu."},
    )
    family_visible = forms.BooleanField(label="Peut être lue par la famille", required=False)

    # Service error keys → form fields.
    field_of = {"occurred_at": "time", "started_at": "time", "observed_at": "time", "usager": None}

    def __init__(self, *args, actor=None, **kwargs):
        now = timezone.localtime()
        levels = levels_writable_by(actor) if actor is not None else [Visibility.ALL_STAFF]
        kwargs.setdefault("initial", {})
        kwargs["initial"] = {
            "day": now.date(),
            "time": now.time().replace(second=0, microsecond=0),
            "visibility": Visibility.CARE_STAFF if Visibility.CARE_STAFF in levels else Visibility.ALL_STAFF,
        } | kwargs["initial"]
        super().__init__(*args, **kwargs)
        self.fields["visibility"].choices = [(value, label) for value, label in Visibility.choices if value in levels]
        # Order: when, then the kind's fields, then visibility.
        order = ["day", "time", *self.kind_fields, "visibility", "family_visible"]
        self.order_fields(order)

    kind_fields: tuple[str, ...] = ()

    def moment(self) -> datetime.datetime:
        data = self.cleaned_data
        return timezone.make_aware(datetime.datetime.combine(data["day"], data["time"]))

    def common_kwargs(self) -> dict:
        return {"visibility": self.cleaned_data["visibility"], "family_visible": self.cleaned_data["family_visible"]}


class EpilepsyForm(EventForm):
    kind = EventKind.EPILEPSIE
    kind_fields = ("duration_minutes", "duration_secs", "seizure_type", "circumstances", "treatment_given")

    duration_minutes = forms.IntegerField(
        label="Durée : minutes",
        min_value=0,
        max_value=24 * 60,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": "Minutes : un nombre entier.",
            "min_value": "Minutes : pas de valeur négative.",
            "max_value": "La durée de la crise ne peut pas dépasser 24 heures.",
        },
    )
    duration_secs = forms.IntegerField(
        label="Durée : secondes",
        min_value=0,
        max_value=59,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": "Secondes : un nombre entier.",
            "min_value": "Secondes : pas de valeur négative.",
            "max_value": "Secondes : de 0 à 59.",
        },
    )
    seizure_type = _text("Type de crise", required=True, max_length=80, help_text="Choisissez ou écrivez le type.")
    circumstances = _text("Circonstances", rows=3, help_text="Ce qui s'est passé avant et pendant la crise.")
    treatment_given = _text("Traitement administré", max_length=200, help_text="Ex. : midazolam buccal 10 mg.")

    field_of = EventForm.field_of | {"duration_seconds": "duration_minutes"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seizure_type"].widget.attrs["list"] = "types-de-crise"

    def clean(self):
        data = super().clean()
        minutes, seconds = data.get("duration_minutes"), data.get("duration_secs")
        if "duration_minutes" not in self.errors and "duration_secs" not in self.errors:
            if minutes is None and seconds is None:
                self.add_error("duration_minutes", "Indiquez la durée de la crise (minutes et/ou secondes).")
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "started_at": self.moment(),
            "duration_seconds": (data["duration_minutes"] or 0) * 60 + (data["duration_secs"] or 0),
            "seizure_type": data["seizure_type"],
            "circumstances": data["circumstances"],
            "treatment_given": data["treatment_given"],
            **self.common_kwargs(),
        }


class FallForm(EventForm):
    kind = EventKind.CHUTE
    kind_fields = ("place", "circumstances", "consequences", "severity")

    place = _text("Lieu", required=True, max_length=120, help_text="Ex. : chambre, salle de bain, couloir.")
    circumstances = _text("Circonstances", rows=3)
    consequences = _text("Conséquences", rows=3, help_text="Blessures, douleur, appel du médecin…")
    severity = forms.ChoiceField(label="Gravité", choices=SEVERITY_CHOICES, required=False)

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "occurred_at": self.moment(),
            "place": data["place"],
            "circumstances": data["circumstances"],
            "consequences": data["consequences"],
            "severity": data["severity"],
            **self.common_kwargs(),
        }


class IncidentForm(EventForm):
    kind = EventKind.INCIDENT
    kind_fields = ("place", "circumstances", "consequences", "severity")

    place = _text("Lieu", max_length=120)
    circumstances = _text("Ce qui s'est passé", required=True, rows=4)
    consequences = _text("Conséquences", rows=3)
    severity = forms.ChoiceField(label="Gravité", choices=SEVERITY_CHOICES, required=False)

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "occurred_at": self.moment(),
            "kind": self.kind,
            "place": data["place"],
            "circumstances": data["circumstances"],
            "consequences": data["consequences"],
            "severity": data["severity"],
            **self.common_kwargs(),
        }


class BehaviourForm(IncidentForm):
    kind = EventKind.COMPORTEMENT


FORMS = {
    EventKind.EPILEPSIE: EpilepsyForm,
    EventKind.CHUTE: FallForm,
    EventKind.INCIDENT: IncidentForm,
    EventKind.COMPORTEMENT: BehaviourForm,
}
