"""Identity forms: plain forms feeding the services (which do every RNIV check)."""

from django import forms

from dui.ins import IdentityProof, IdentityStatus, validate_name_trait
from dui.models import EssmsKind, IdentityAttribute, Sex
from dui.services.identity import EHPAD_ONLY_PROOFS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def proof_choices(essms) -> list[tuple[str, str]]:
    """High-trust documents; the EHPAD-only ones are offered only in an EHPAD."""
    return [
        (value, label)
        for value, label in IdentityProof.choices
        if value not in EHPAD_ONLY_PROOFS or essms.kind == EssmsKind.EHPAD
    ]


class UsagerIdentityForm(forms.Form):
    birth_name = forms.CharField(
        label="Nom de naissance",
        max_length=100,
        validators=[validate_name_trait],
        help_text="Tel qu'il figure sur la pièce d'identité.",
    )
    first_names = forms.CharField(
        label="Prénoms de naissance",
        max_length=200,
        validators=[validate_name_trait],
        help_text="Tous les prénoms de l'acte de naissance, dans l'ordre, séparés par un espace.",
    )
    used_name = forms.CharField(label="Nom utilisé", max_length=100, required=False, validators=[validate_name_trait])
    used_first_name = forms.CharField(
        label="Prénom utilisé", max_length=100, required=False, validators=[validate_name_trait]
    )
    birth_date = forms.DateField(label="Date de naissance", widget=DateInput())
    sex = forms.ChoiceField(label="Sexe", choices=Sex.choices)
    birth_place_code = forms.CharField(
        label="Code INSEE du lieu de naissance",
        max_length=5,
        required=False,
        help_text="5 caractères : code de la commune (ex. 75056, 2A004), ou 99 + code du pays à l'étranger.",
    )
    ins_matricule = forms.CharField(
        label="Matricule INS",
        max_length=21,
        required=False,
        help_text="15 caractères (NIR ou NIA avec sa clé). Il n'est communiqué que pour une identité qualifiée.",
    )
    identity_attribute = forms.ChoiceField(
        label="Attribut de l'identité", choices=IdentityAttribute.choices, required=False
    )
    identity_status = forms.ChoiceField(
        label="Statut de l'identité",
        choices=IdentityStatus.choices,
        initial=IdentityStatus.PROVISOIRE,
        help_text=(
            "Récupérée : après interrogation INSi. Validée : après contrôle d'une pièce d'identité. "
            "Qualifiée : les deux. Une identité douteuse ou fictive reste provisoire."
        ),
    )
    identity_proof = forms.ChoiceField(
        label="Justificatif d'identité contrôlé",
        required=False,
        help_text="Seulement si vous avez vu l'original d'une pièce à haut niveau de confiance.",
    )
    clear_matricule = forms.BooleanField(label="Effacer le matricule INS enregistré", required=False)
    confirm_duplicate = forms.BooleanField(label="C'est bien une autre personne, créer quand même", required=False)

    def __init__(self, *args, essms, can_validate: bool, with_proof: bool = True, hidden_matricule=False, **kwargs):
        super().__init__(*args, **kwargs)
        # A stored matricule that is not qualified is never shown (RNIV): left blank, it stays as it is.
        self.hidden_matricule = hidden_matricule
        if hidden_matricule:
            self.fields["ins_matricule"].help_text = (
                "Un matricule non qualifié est enregistré — non communicable. Laissez vide pour le garder, "
                "saisissez-en un autre pour le remplacer."
            )
        else:
            del self.fields["clear_matricule"]
        if with_proof and can_validate:
            self.fields["identity_proof"].choices = [("", "Aucun"), *proof_choices(essms)]
        else:
            del self.fields["identity_proof"]
        self.fields["birth_place_code"].widget.attrs.update(autocapitalize="characters", spellcheck="false")
        self.fields["ins_matricule"].widget.attrs.update(inputmode="text", autocomplete="off", spellcheck="false")
        self.fields["birth_name"].widget.attrs.update(autocomplete="off")

    def service_data(self) -> dict:
        data = {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in {"confirm_duplicate", "clear_matricule"}
        }
        if self.hidden_matricule and not data.get("ins_matricule"):
            if self.cleaned_data.get("clear_matricule"):
                data["ins_matricule"] = ""
            else:
                data.pop("ins_matricule", None)
        return data


class IdentityProofForm(forms.Form):
    proof = forms.ChoiceField(label="Justificatif d'identité contrôlé")

    def __init__(self, *args, essms, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proof"].choices = proof_choices(essms)


class MergeSearchForm(forms.Form):
    q = forms.CharField(label="Rechercher l'autre dossier", required=False, help_text="Nom, prénom ou matricule INS.")
