"""Forms of internal messages and technical requests: they only clean input; the services decide and write."""

from django import forms

from transmissions.models import MessageKind, RequestCategory, RequestStatus
from transmissions.services.maintenance import COMMENT_MAX_LENGTH, DESCRIPTION_MAX_LENGTH, PLACE_MAX_LENGTH
from transmissions.services.messages import BODY_MAX_LENGTH, SUBJECT_MAX_LENGTH


class MessageForm(forms.Form):
    kind = forms.ChoiceField(
        label="Type",
        choices=MessageKind.choices,
        initial=MessageKind.MESSAGE,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Type de message inconnu."},
    )
    subject = forms.CharField(
        label="Objet",
        max_length=SUBJECT_MAX_LENGTH,
        error_messages={
            "required": "L'objet du message est obligatoire.",
            "max_length": f"L'objet ne peut pas dépasser {SUBJECT_MAX_LENGTH} caractères.",
        },
    )
    body = forms.CharField(
        label="Message",
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "required": "Le texte du message est obligatoire.",
            "max_length": f"Le message ne peut pas dépasser {BODY_MAX_LENGTH} caractères.",
        },
    )
    requires_ack = forms.BooleanField(
        label="Demander « J'ai lu et j'approuve » à chaque destinataire",
        required=False,
    )
    whole_essms = forms.BooleanField(label="Tout l'établissement", required=False)
    metiers = forms.MultipleChoiceField(
        label="Métiers",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Métier inconnu dans cet établissement : « %(value)s »."},
    )
    users = forms.TypedMultipleChoiceField(
        label="Personnes",
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Destinataire inconnu dans cet établissement."},
    )

    def __init__(self, *args, users=(), metiers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["users"].choices = [(pk, f"{name} — {metier}") for pk, name, metier in users]
        self.fields["metiers"].choices = [
            (code, f"{label} ({count} personne{'s' if count > 1 else ''})") for code, label, count in metiers
        ]
        # Strip before the required check, as the service does.
        self.fields["subject"].strip = True
        self.fields["body"].strip = True

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "subject": data["subject"],
            "body": data["body"],
            "requires_ack": data["requires_ack"],
            "whole_essms": data["whole_essms"],
            "metiers": data["metiers"],
            "users": data["users"],
        }


class MaintenanceRequestForm(forms.Form):
    place = forms.CharField(
        label="Lieu",
        max_length=PLACE_MAX_LENGTH,
        help_text="Chambre, salle, étage, bâtiment…",
        error_messages={
            "required": "Indiquez le lieu (chambre, salle, étage…).",
            "max_length": f"Le lieu ne peut pas dépasser {PLACE_MAX_LENGTH} caractères.",
        },
    )
    category = forms.ChoiceField(
        label="Catégorie",
        choices=[("", "— Choisir —"), *RequestCategory.choices],
        error_messages={
            "required": "Choisissez une catégorie de la liste.",
            "invalid_choice": "Choisissez une catégorie de la liste.",
        },
    )
    description = forms.CharField(
        label="Description",
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Ce qui ne va pas, depuis quand, s'il y a urgence.",
        error_messages={
            "required": "Décrivez le problème ou le besoin.",
            "max_length": f"La description ne peut pas dépasser {DESCRIPTION_MAX_LENGTH} caractères.",
        },
    )


class MaintenanceStatusForm(forms.Form):
    status = forms.ChoiceField(
        label="Nouveau statut",
        choices=RequestStatus.choices,
        error_messages={"required": "Choisissez le nouveau statut.", "invalid_choice": "Statut inconnu."},
    )
    comment = forms.CharField(
        label="Commentaire",
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        error_messages={"max_length": f"Le commentaire ne peut pas dépasser {COMMENT_MAX_LENGTH} caractères."},
    )
