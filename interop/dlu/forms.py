"""Forms of the DLU screens: the dossier's "Informations d'urgence" section and the two fiches de
liaison, each one tablet screen (checkboxes rather than multi-selects)."""

from django import forms

from dui.models import DossierDlu
from dui.models.dlu import Deficit, MobilityRisk, Prosthesis, PsychicState, TakeAlong
from interop.dlu.models import Consciousness

CHECKBOXES = forms.CheckboxSelectMultiple(attrs={"class": "dlu-checks"})


def _multiple(label: str, choices) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(label=label, choices=choices, required=False, widget=CHECKBOXES)


class DluSectionForm(forms.ModelForm):
    psychic_states = _multiple("État psychique", PsychicState.choices)
    deficits = _multiple("Déficits", Deficit.choices)
    mobility_risks = _multiple("Déambulation, fugue, contention", MobilityRisk.choices)
    prostheses = _multiple("Prothèses et appareillages", Prosthesis.choices)
    take_along = _multiple("Documents à joindre en cas de transfert", TakeAlong.choices)

    class Meta:
        model = DossierDlu
        fields = [
            "preferred_hospital", "active_problems", "psychic_states", "psychic_comment", "deficits", "mobility",
            "mobility_risks", "pressure_ulcer_risk", "pressure_ulcer_present", "bmr_detail", "vaccinations",
            "advance_directives_location", "prostheses", "blood_group", "take_along", "housing", "carers",
            "pharmacist",
        ]  # fmt: skip
        widgets = {"active_problems": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, home_care: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not home_care:  # the synthèse environnementale belongs to the DLU-Dom
            for name in ("housing", "carers", "pharmacist"):
                del self.fields[name]


DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class TransferSheetForm(forms.Form):
    """FLUDT: every item of the HAS transfer sheet on one screen, prefilled from the dossier."""

    happened_at = forms.DateTimeField(label="Date et heure du départ", widget=DATETIME)
    reason = forms.CharField(label="Motif du transfert", max_length=300)
    destination = forms.CharField(label="Établissement de destination", max_length=200)
    pulse = forms.IntegerField(label="Pouls (bpm)", required=False, min_value=20, max_value=250)
    systolic = forms.IntegerField(label="TA systolique (mmHg)", required=False, min_value=40, max_value=300)
    diastolic = forms.IntegerField(label="TA diastolique (mmHg)", required=False, min_value=20, max_value=200)
    temperature = forms.DecimalField(label="Température (°C)", required=False, min_value=30, max_value=44,
                                     decimal_places=1)  # fmt: skip
    weight = forms.DecimalField(label="Poids (kg)", required=False, min_value=1, max_value=400, decimal_places=1)
    consciousness = forms.ChoiceField(label="État de conscience", choices=[("", "—"), *Consciousness.choices],
                                      required=False)  # fmt: skip
    pain = forms.CharField(label="Douleur récente", max_length=200, required=False)
    last_treatment = forms.CharField(label="Dernière prise de traitement", max_length=300, required=False)
    last_meal = forms.CharField(label="Dernier repas", max_length=200, required=False)
    prostheses = _multiple("Prothèses emportées", Prosthesis.choices)
    belongings = forms.CharField(label="Effets personnels", max_length=300, required=False)


class ReturnSheetForm(forms.Form):
    """FLUDR: the return from the urgences when the person is not hospitalised."""

    happened_at = forms.DateTimeField(label="Date et heure du retour", widget=DATETIME)
    destination = forms.CharField(label="Service des urgences de", max_length=200)
    diagnosis = forms.CharField(label="Diagnostic de sortie / RPU", max_length=300)
    discharge_treatment = forms.CharField(label="Traitement de sortie", max_length=1000, required=False,
                                          widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
    prostheses = _multiple("Prothèses revenues", Prosthesis.choices)
    belongings = forms.CharField(label="Effets personnels revenus", max_length=300, required=False)
    annexes = forms.CharField(label="Documents joints", max_length=300, required=False)
