"""Forms of the outbox, the DMP information and the inbox pages (French labels, services validate)."""

from django import forms

from dui.models import DmpChannel
from interop.cda.codes import CONFIDENTIALITY_LEVELS, MASKING_FLAGS
from interop.outbox.models import Connector, DeliveryState

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DmpConsentForm(forms.Form):
    informed_on = forms.DateField(label="Informé(e) du DMP le", widget=DATE)
    informed_how = forms.ChoiceField(label="Information donnée", choices=DmpChannel.choices)
    opposed = forms.BooleanField(label="La personne s'oppose à l'alimentation de son DMP", required=False)
    opposed_on = forms.DateField(label="Opposition le", required=False, widget=DATE)
    opposed_how = forms.ChoiceField(
        label="Opposition exprimée", choices=[("", "—"), *DmpChannel.choices], required=False
    )
    opposition_reason = forms.CharField(label="Motif de l'opposition", max_length=200, required=False)


class SendForm(forms.Form):
    document = forms.TypedChoiceField(label="Document à envoyer", coerce=int)
    connector = forms.ChoiceField(label="Envoyer vers", choices=Connector.choices, widget=forms.RadioSelect)
    recipient = forms.CharField(
        label="Adresse MSSanté du destinataire", required=False, max_length=254,
        help_text="Pour MSSanté : une adresse en …mssante.fr (médecin traitant, partenaire).",
    )  # fmt: skip
    confidentiality = forms.ChoiceField(label="Confidentialité (DMP)", choices=list(CONFIDENTIALITY_LEVELS.items()))
    masking = forms.MultipleChoiceField(
        label="Masquage (DMP)", choices=list(MASKING_FLAGS.items()), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, documents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].choices = [
            (d.pk, f"{d.title} ({d.document_class.label}, {d.document_date:%d/%m/%Y})") for d in documents
        ]


class DeliveryFilterForm(forms.Form):
    connector = forms.ChoiceField(label="Connecteur", choices=[("", "Tous"), *Connector.choices], required=False)
    state = forms.ChoiceField(label="État", choices=[("", "Tous"), *DeliveryState.choices], required=False)
    start = forms.DateField(label="Du", required=False, widget=DATE)
    end = forms.DateField(label="Au", required=False, widget=DATE)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", "La fin de la période précède son début.")
        return data


class FileForm(forms.Form):
    usager = forms.IntegerField(label="Numéro de dossier", min_value=1, max_value=2**63 - 1)
