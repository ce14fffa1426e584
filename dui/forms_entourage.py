"""Forms of the entourage pages: they clean input; the services decide and write."""

from django import forms

from dui.models import Contact, ContactRole, ReferentRole
from dui.services.entourage import CONTACT_FIELDS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = list(CONTACT_FIELDS)
        widgets = {
            "protection_until": DateInput(),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "rpps": forms.TextInput(attrs={"inputmode": "numeric", "pattern": "[0-9]{11}", "maxlength": 11}),
        }
        help_texts = {
            "relationship": "Fille, époux, voisin, cabinet…",
            "rpps": "11 chiffres ; obligatoire pour le médecin traitant.",
            "protection_measure": "Obligatoire pour un représentant légal.",
            "is_emergency_contact": "À appeler en cas d'urgence.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", "— Choisir —"), *ContactRole.choices]
        self.fields["rpps"].label = "Numéro RPPS"
        self.fields["email"].label = "Courriel"
        self.fields["is_emergency_contact"].label = "Personne à prévenir"


class ReferentForm(forms.Form):
    role = forms.ChoiceField(label="Rôle", choices=ReferentRole.choices)
    user = forms.ModelChoiceField(label="Professionnel", queryset=None, empty_label="— Choisir —")

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = candidates
        self.fields["user"].label_from_instance = lambda u: u.get_full_name() or u.username
