"""Forms of the medical and life pages: they clean input; the services decide and write."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from dui.forms_entourage import DateInput
from dui.models import AggirEvaluation, Allergy, Antecedent, LifeNote, LifeNoteKind, Substance, Treatment
from dui.selectors.drugs import substance_names


class DatalistInput(forms.TextInput):
    """A text box whose suggestions the browser filters as one types (<datalist>): a choice among the
    thousands of substances of an imported BDPM stays usable on a tablet, without script."""

    def __init__(self, list_id: str, options, attrs=None):
        super().__init__({"list": list_id, "autocomplete": "off", **(attrs or {})})
        self.list_id, self.options = list_id, options

    def render(self, name, value, attrs=None, renderer=None):
        names = format_html_join("", '<option value="{}">', ((option,) for option in self.options()))
        return format_html(
            '{}<datalist id="{}">{}</datalist>', super().render(name, value, attrs, renderer), self.list_id, names
        )


class SubstanceByNameField(forms.ModelChoiceField):
    """The substance typed by its name (accents as in the referential, case ignored)."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        found = self.queryset.filter(name__iexact=str(value).strip()).first()
        if found is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return found

    def prepare_value(self, value):
        if isinstance(value, Substance):
            return value.name
        if isinstance(value, int):
            return self.queryset.filter(pk=value).values_list("name", flat=True).first() or ""
        return value


class AntecedentForm(forms.ModelForm):
    class Meta:
        model = Antecedent
        fields = ["label", "kind", "year", "comment"]
        widgets = {"year": forms.NumberInput(attrs={"inputmode": "numeric", "min": 1900})}


class AllergyForm(forms.ModelForm):
    """Coded against a substance or a class of the referential; the label is optional."""

    class Meta:
        model = Allergy
        fields = ["substance_ref", "substance_class", "substance", "reaction", "severity"]
        field_classes = {"substance_ref": SubstanceByNameField}
        labels = {"substance": "Libellé affiché (facultatif)"}
        help_texts = {
            "substance_ref": "La substance en cause (ex. : amoxicilline)…",
            "substance_class": "… ou toute une classe (ex. : pénicillines).",
            "substance": "Par défaut, le nom de la substance ou de la classe.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["substance"].required = False
        self.fields["severity"].required = True
        self.fields["severity"].choices = [("", "— Choisir —"), *self.fields["severity"].choices[1:]]
        self.fields["severity"].error_messages["required"] = "Indiquez la gravité : légère, modérée ou sévère."
        for name in ("substance_ref", "substance_class"):
            self.fields[name].empty_label = "— Aucune —"
            self.fields[name].error_messages["invalid_choice"] = "Choix inconnu du référentiel."
        self.fields["substance_ref"].error_messages["invalid_choice"] = (
            "Substance inconnue du référentiel : choisissez-la dans la liste proposée en tapant son nom."
        )
        self.fields["substance_ref"].widget = DatalistInput(
            "substance-options",
            substance_names,
            attrs={"placeholder": "Tapez le nom (ex. : amoxicilline)"},
        )


class TreatmentForm(forms.ModelForm):
    class Meta:
        model = Treatment
        fields = ["line", "started_on"]
        widgets = {"started_on": DateInput()}
        help_texts = {"line": "Historique importé (ligne libre) : les traitements se prescrivent dans Médicaments."}


class AggirForm(forms.ModelForm):
    class Meta:
        model = AggirEvaluation
        fields = ["gir", "evaluated_on", "evaluator"]
        widgets = {"evaluated_on": DateInput()}
        help_texts = {"evaluator": "Nom et fonction de l'évaluateur."}

    def __init__(self, *args, evaluator_default: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gir"].choices = [("", "— Choisir —"), *self.fields["gir"].choices[1:]]
        if not self.is_bound:
            self.initial.setdefault("evaluated_on", timezone.localdate())
            self.initial.setdefault("evaluator", evaluator_default)


MEDICAL_FORMS = {
    "antecedents": AntecedentForm,
    "allergies": AllergyForm,
    "traitements": TreatmentForm,
    "aggir": AggirForm,
}


class FlagsForm(forms.Form):
    """Only the flags the user may write are fields: a missing checkbox then means "no"."""

    palliative_care = forms.BooleanField(label="Soins palliatifs", required=False)
    has_advance_directives = forms.BooleanField(label="Directives anticipées rédigées", required=False)
    fall_risk = forms.BooleanField(label="Risque de chute", required=False)
    swallowing_disorder = forms.BooleanField(label="Troubles de la déglutition (fausse route)", required=False)
    isolation_bmr = forms.BooleanField(label="Isolement (BMR / BHRe)", required=False)

    def __init__(self, *args, writable: set[str], **kwargs):
        super().__init__(*args, **kwargs)
        for name in list(self.fields):
            if name not in writable:
                del self.fields[name]


class LifeNoteForm(forms.ModelForm):
    class Meta:
        model = LifeNote
        fields = ["kind", "topic", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"topic": "Repas, sommeil, toilette, musique, jardinage…"}

    def __init__(self, *args, kinds: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, label) for k, label in LifeNoteKind.choices if k in kinds]
