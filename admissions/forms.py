"""Forms of the admission screens: input only; the services check the rules and write."""

from django import forms

from admissions.models import Accommodation, Part, Priority, Source, Status, Verdict
from dui.models import ContactRole
from dui.models.usager import Sex
from dui.services.documents import ACCEPT_ATTRIBUTE

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
REQUIRED = {"required": "Ce champ est obligatoire.", "invalid": "Date invalide (jj/mm/aaaa)."}


def _date(label: str, *, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages=REQUIRED,
    )


def _choices(choices, empty: str = "— choisir —"):
    return [("", empty), *choices]


class RequestForm(forms.Form):
    source = forms.ChoiceField(label="Origine", choices=_choices(Source.choices))
    external_ref = forms.CharField(
        label="Référence externe", required=False, max_length=40, help_text="N° de dossier ViaTrajectoire, par exemple."
    )
    birth_name = forms.CharField(label="Nom de naissance", max_length=100)
    first_names = forms.CharField(label="Prénoms de naissance", max_length=200)
    used_name = forms.CharField(label="Nom utilisé", required=False, max_length=100)
    birth_date = _date("Date de naissance")
    sex = forms.ChoiceField(label="Sexe", choices=_choices(Sex.choices))
    birth_place_code = forms.CharField(label="Code INSEE du lieu de naissance", required=False, max_length=5)
    ins_matricule = forms.CharField(label="Matricule INS", required=False, max_length=21)
    address = forms.CharField(label="Adresse", required=False, max_length=300)
    phone = forms.CharField(label="Téléphone", required=False, max_length=30)
    accommodation = forms.ChoiceField(label="Accueil demandé", choices=_choices(Accommodation.choices))
    sending_facility = forms.CharField(label="Établissement et service adresseur", required=False, max_length=200)
    received_at = _date("Reçue le")
    priority = forms.TypedChoiceField(label="Priorité", choices=Priority.choices, coerce=int, initial=Priority.NORMALE)
    notes = forms.CharField(label="Observations", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    contact_last_name = forms.CharField(label="Nom du proche à contacter", required=False, max_length=100)
    contact_first_name = forms.CharField(label="Prénom du proche", required=False, max_length=100)
    contact_relationship = forms.CharField(label="Lien (fille, neveu…)", required=False, max_length=100)
    contact_phone = forms.CharField(label="Téléphone du proche", required=False, max_length=30)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages["required"] = "Ce champ est obligatoire."

    def contacts(self) -> list[dict]:
        data = self.cleaned_data
        if not any(data.get(f"contact_{f}") for f in ("last_name", "first_name", "relationship", "phone")):
            return []
        return [{f: data.get(f"contact_{f}", "") for f in ("last_name", "first_name", "relationship", "phone")}]


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(label="Nouveau statut", choices=Status.choices)
    reason = forms.CharField(label="Motif du refus", required=False, max_length=300)
    planned_entry_on = _date("Entrée prévue le", required=False)
    comment = forms.CharField(label="Commentaire", required=False, max_length=300)

    def __init__(self, *args, allowed=(), **kwargs):
        super().__init__(*args, **kwargs)
        if allowed:  # no step chosen in advance: a mistaken tap must not move the request
            self.fields["to_status"].choices = [("", "— choisir —"), *((s, Status(s).label) for s in allowed)]


class OpinionForm(forms.Form):
    verdict = forms.ChoiceField(label="Avis", choices=Verdict.choices, widget=forms.RadioSelect)
    text = forms.CharField(label="Motivation", widget=forms.Textarea(attrs={"rows": 4}))
    given_on = _date("Date de l'avis")


class ContactForm(forms.Form):
    role = forms.ChoiceField(
        label="Rôle",
        initial=ContactRole.FAMILLE,
        choices=[(c, label) for c, label in ContactRole.choices if c not in ("representant_legal", "medecin_traitant")],
    )
    last_name = forms.CharField(label="Nom", max_length=100)
    first_name = forms.CharField(label="Prénom", required=False, max_length=100)
    relationship = forms.CharField(label="Lien", required=False, max_length=100)
    phone = forms.CharField(label="Téléphone", required=False, max_length=30)


class DocumentForm(forms.Form):
    part = forms.ChoiceField(label="Volet", choices=Part.choices)
    title = forms.CharField(label="Titre", max_length=200)
    file = forms.FileField(
        label="Fichier (PDF, JPEG ou PNG)",
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
        error_messages={"required": "Choisissez un fichier (PDF, JPEG ou PNG)."},
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Fichier CSV",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
        error_messages={"required": "Choisissez un fichier CSV."},
    )


class SettingsForm(forms.Form):
    opinion_required = forms.BooleanField(label="Avis médical obligatoire avant acceptation", required=False)
    connector_enabled = forms.BooleanField(label="Import automatique des demandes ViaTrajectoire", required=False)


class FilterForm(forms.Form):
    statut = forms.ChoiceField(label="Statut", required=False, choices=_choices(Status.choices, "Tous"))
    origine = forms.ChoiceField(label="Origine", required=False, choices=_choices(Source.choices, "Toutes"))
    priorite = forms.ChoiceField(
        label="Priorité", required=False, choices=_choices([(str(v), lab) for v, lab in Priority.choices], "Toutes")
    )
