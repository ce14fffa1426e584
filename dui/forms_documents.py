"""Forms of the documents screens: upload in a few taps, new version, filter."""

from django import forms
from django.utils import timezone

from dui.selectors.documents import grouped_by_tier
from dui.services.documents import ACCEPT_ATTRIBUTE

FILE_REQUIRED = "Choisissez un fichier ou prenez une photo du document."


class _FileOrPhotoMixin:
    """Two inputs for one file: a picker (PDF, JPEG, PNG) and the tablet camera; exactly one is used."""

    def clean(self):
        cleaned = super().clean()
        file, photo = cleaned.get("file"), cleaned.get("photo")
        if file and photo:
            self.add_error("file", "Choisissez un fichier ou prenez une photo, pas les deux.")
        elif not file and not photo and "file" not in self.errors and "photo" not in self.errors:
            self.add_error("file", FILE_REQUIRED)
        else:
            cleaned["upload"] = file or photo
        return cleaned


def _file_fields():
    file = forms.FileField(
        label="Fichier (PDF, JPEG ou PNG)",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
        error_messages={"empty": "Le fichier est vide.", "invalid": "Fichier illisible."},
    )
    photo = forms.FileField(
        label="ou prendre une photo du document",
        required=False,
        help_text="Sur tablette : ouvre l'appareil photo.",
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png", "capture": "environment"}),
        error_messages={"empty": "La photo est vide.", "invalid": "Photo illisible."},
    )
    return file, photo


class DocumentUploadForm(_FileOrPhotoMixin, forms.Form):
    document_class = forms.ChoiceField(
        label="Classe du document",
        error_messages={
            "required": "Choisissez la classe du document.",
            "invalid_choice": "Choisissez une classe de document que votre métier peut alimenter.",
        },
    )
    title = forms.CharField(
        label="Titre",
        max_length=200,
        error_messages={"required": "Le titre du document est obligatoire."},
        widget=forms.TextInput(attrs={"placeholder": "ex. Compte rendu d'hospitalisation CHU"}),
    )
    document_date = forms.DateField(
        label="Date du document",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={
            "required": "La date du document est obligatoire.",
            "invalid": "Date invalide (format attendu : jj/mm/aaaa).",
        },
    )
    source = forms.CharField(
        label="Source / auteur",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "ex. Dr Martin, CHU de Lyon"}),
    )
    file, photo = _file_fields()

    def __init__(self, *args, classes, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("document_date", timezone.localdate())
        super().__init__(*args, **kwargs)
        groups = grouped_by_tier(classes, lambda document_class: document_class.tier)
        self.fields["document_class"].choices = [
            ("", "— Choisir une classe —"),
            *[(label, [(c.code, c.label) for c in members]) for label, members in groups],
        ]
        self.fields["document_date"].widget.attrs["max"] = timezone.localdate().isoformat()


class DocumentVersionForm(_FileOrPhotoMixin, forms.Form):
    file, photo = _file_fields()


class DocumentFilterForm(forms.Form):
    classe = forms.ChoiceField(label="Classe", required=False)

    def __init__(self, *args, classes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["classe"].choices = [("", "Toutes les classes"), *classes]
