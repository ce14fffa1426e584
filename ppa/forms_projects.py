"""Forms of the project pages: thin input checks; the services decide and give the French errors."""

from django import forms

from ppa import serafin
from ppa.models import (
    AgreementBy,
    AgreementHow,
    ExpressedBy,
    ExpressionKind,
    ObjectiveResult,
    ParticipantKind,
    PpaStep,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _serafin_choices(family: str) -> list[tuple[str, str]]:
    return [("", "— aucun —")] + [
        (c.code, f"{'  ' * (c.depth - 2)}{c.plain} ({c.code})") for c in serafin.selectable(family)
    ]


class NeedForm(forms.Form):
    kind = forms.ChoiceField(label="Nature", choices=ExpressionKind.choices, widget=forms.RadioSelect)
    text = forms.CharField(label="Formulation", max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))
    expressed_by = forms.ChoiceField(label="Exprimé par", choices=ExpressedBy.choices, widget=forms.RadioSelect)
    expressed_by_name = forms.CharField(label="Nom du proche ou du professionnel", required=False, max_length=200)
    serafin_code = forms.ChoiceField(
        label="Besoin SERAFIN-PH", required=False, help_text="Formulation simple, puis le code officiel."
    )

    def __init__(self, *args, with_serafin: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if with_serafin:
            self.fields["serafin_code"].choices = _serafin_choices(serafin.BESOIN)
        else:
            del self.fields["serafin_code"]


class ObjectiveForm(forms.Form):
    text = forms.CharField(label="Objectif", max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))
    needs = forms.MultipleChoiceField(
        label="Répond aux attentes et besoins", required=False, widget=forms.CheckboxSelectMultiple
    )
    target_on = forms.DateField(label="Échéance de l'objectif", required=False, widget=DATE)

    def __init__(self, *args, needs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["needs"].choices = [(str(n.pk), n.text[:120]) for n in needs]


class ActionForm(forms.Form):
    objective = forms.ChoiceField(label="Objectif")
    text = forms.CharField(label="Action ou prestation", max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))
    who = forms.CharField(label="Qui la réalise", max_length=200)
    frequency = forms.CharField(label="À quelle fréquence", required=False, max_length=120)
    serafin_code = forms.ChoiceField(label="Prestation SERAFIN-PH", required=False)

    def __init__(self, *args, objectives=(), with_serafin: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objective"].choices = [(str(o.pk), o.text[:120]) for o in objectives]
        if with_serafin:
            self.fields["serafin_code"].choices = _serafin_choices("prestation")
        else:
            del self.fields["serafin_code"]


class EvaluationForm(forms.Form):
    objective = forms.ChoiceField(label="Objectif")
    result = forms.ChoiceField(label="Résultat", choices=ObjectiveResult.choices, widget=forms.RadioSelect)
    comment = forms.CharField(
        label="Commentaire", required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
    evaluated_on = forms.DateField(label="Évalué le", required=False, widget=DATE)

    def __init__(self, *args, objectives=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objective"].choices = [(str(o.pk), o.text[:120]) for o in objectives]


class ParticipantForm(forms.Form):
    kind = forms.ChoiceField(label="Qualité", choices=ParticipantKind.choices)
    name = forms.CharField(label="Nom", max_length=200)
    role = forms.CharField(label="Lien ou fonction", required=False, max_length=200)


PRESENCE = [("oui", "Oui, la personne était présente"), ("non", "Non")]


class MeetingForm(forms.Form):
    meeting_on = forms.DateField(label="Date de la réunion de projet", widget=DATE)
    person_present = forms.ChoiceField(label="La personne était-elle présente ?", choices=PRESENCE,
                                       widget=forms.RadioSelect)  # fmt: skip
    person_absence_reason = forms.CharField(label="Sinon, pourquoi ?", required=False, max_length=300)
    summary = forms.CharField(
        label="Synthèse de la réunion", required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "meeting_on": data["meeting_on"],
            "person_present": data["person_present"] == "oui",
            "person_absence_reason": data["person_absence_reason"],
            "summary": data["summary"],
        }


class AgreementForm(forms.Form):
    agreement_on = forms.DateField(label="Date de l'accord", widget=DATE)
    agreement_by = forms.ChoiceField(label="Accord donné par", choices=AgreementBy.choices, widget=forms.RadioSelect)
    agreement_name = forms.CharField(label="Nom de la personne qui donne son accord", max_length=200)
    agreement_how = forms.ChoiceField(label="Comment", choices=AgreementHow.choices, widget=forms.RadioSelect)
    agreement_comment = forms.CharField(label="Commentaire", required=False, max_length=300)


class StepForm(forms.Form):
    step = forms.ChoiceField(label="Étape", choices=[c for c in PpaStep.choices if c[0] != PpaStep.FIN])


class PolicyForm(forms.Form):
    first_project_months = forms.IntegerField(label="Premier projet : mois après l'admission", min_value=1,
                                              max_value=24)  # fmt: skip
    revision_months = forms.IntegerField(label="Révision au plus tard : mois après le dernier accord", min_value=1,
                                         max_value=24)  # fmt: skip


ITEM_FORMS = {
    "besoin": NeedForm,
    "objectif": ObjectiveForm,
    "action": ActionForm,
    "evaluation": EvaluationForm,
    "participant": ParticipantForm,
}
