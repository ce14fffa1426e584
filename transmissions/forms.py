"""Forms of the transmissions screens: writing (one screen), correcting, adding a result, the
feed filters and the cible catalogue. The services do the business checks; these forms turn the
posted text into objects the user may reach and keep the French messages next to the fields."""

from collections import defaultdict
from html import escape

from django import forms
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from dui.limits import NARRATIVE_MAX_LENGTH, too_long
from dui.models import Metier
from dui.permissions import active_membership
from transmissions.models import EventKind, Theme, Transmission, Visibility
from transmissions.selectors.people import UNKNOWN_PERSON, person_label
from transmissions.visibility import levels_writable_by

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
MODE_DAR, MODE_NOTE = "dar", "note"
MODE_CHOICES = [(MODE_DAR, "Transmission ciblée (DAR)"), (MODE_NOTE, "Note")]
DAR_FIELDS = ("donnees", "actions", "resultats")


class FastSelect(forms.Select):
    """The HTML of forms.Select, built in Python rather than one template render per option.

    The person and cible lists have hundreds of options: this keeps the feed and the writing
    screen fast on a 300-person active file. Labels and values are escaped by html.escape
    (format_html's lazy-aware escaping per option cost more than the rest of the list).
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"{}>', widget["name"], flatatt(widget["attrs"]))]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'<optgroup label="{escape(str(group_name))}">')
            for option in options:
                value_text = "" if option["value"] is None else escape(str(option["value"]))
                extra = flatatt(option["attrs"]) if option["attrs"] else ""
                parts.append(f'<option value="{value_text}"{extra}>{escape(str(option["label"]))}</option>')
            if group_name:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every part is escaped


class FastInputMixin:
    """The HTML of Django's <input> widgets, built in Python (the feed renders six on every view,
    each a template render with its attributes' include). Same markup as the widget template."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        shown = "" if widget["value"] is None else f' value="{escape(str(widget["value"]))}"'
        extra = "".join(_attribute(key, item) for key, item in widget["attrs"].items() if item is not False)
        return mark_safe(f'<input type="{escape(widget["type"])}" name="{escape(widget["name"])}"{shown}{extra}>')  # noqa: S308


def _attribute(name: str, value) -> str:
    """One attribute as django/forms/widgets/attrs.html writes it (in order, True bare)."""
    return f" {escape(name)}" if value is True else f' {escape(name)}="{escape(str(value))}"'


class FastTextInput(FastInputMixin, forms.TextInput):
    pass


class FastHiddenInput(FastInputMixin, forms.HiddenInput):
    pass


class FastDateInput(FastInputMixin, forms.DateInput):
    pass


class FastCheckboxInput(FastInputMixin, forms.CheckboxInput):
    pass


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def cible_choices(cibles, *, blank: str = "— Aucune (cible libre ou note) —") -> list:
    """The catalogue grouped by theme (optgroups in theme order)."""
    by_theme: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for cible in cibles:
        label = cible.label if cible.is_active else f"{cible.label} (désactivée)"
        by_theme[cible.theme].append((str(cible.pk), label))
    groups = [(label, by_theme[value]) for value, label in Theme.choices if by_theme.get(value)]
    return [("", blank), *groups]


def visibility_choices(actor) -> list[tuple[str, str]]:
    """The levels the actor may choose when writing (matrix classes of the restricted levels)."""
    levels = levels_writable_by(actor) if active_membership(actor) else []
    return [(value, label) for value, label in Visibility.choices if value in levels]


def _long_text(label: str, rows: int | None = None, **kwargs) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=NARRATIVE_MAX_LENGTH,
        widget=_textarea(rows) if rows else _textarea(),
        error_messages={"max_length": too_long(label, NARRATIVE_MAX_LENGTH)},
        **kwargs,
    )


class TransmissionContentForm(forms.Form):
    """What a transmission says: cible, theme, DAR or note, time, visibility, family flag."""

    mode = forms.ChoiceField(
        label="Type de transmission", choices=MODE_CHOICES, initial=MODE_DAR, widget=forms.RadioSelect
    )
    cible = forms.ChoiceField(label="Cible", required=False, widget=FastSelect)
    free_cible = forms.CharField(
        label="Cible libre",
        max_length=120,
        required=False,
        help_text="Seulement si la cible n'est pas dans le catalogue : elle sera signalée « cible libre ».",
    )
    theme = forms.ChoiceField(
        label="Thème",
        required=False,
        choices=[("", "— D'après la cible —"), *Theme.choices],
        help_text="Rempli d'après la cible choisie ; modifiable.",
    )
    donnees = _long_text("Données", help_text="Ce qui a été observé.")
    actions = _long_text("Actions", help_text="Ce qui a été fait.")
    resultats = _long_text("Résultats", help_text="Peut être complété plus tard.")
    narrative = _long_text("Note", rows=5)
    observed_at = forms.DateTimeField(
        label="Observé le",
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
        error_messages={"required": "Indiquez l'heure de l'observation.", "invalid": "Date et heure invalides."},
    )
    visibility = forms.ChoiceField(label="Visibilité", widget=forms.RadioSelect)
    family_visible = forms.BooleanField(
        label="Peut être lue par la famille",
        required=False,
        help_text="Non coché par défaut : la famille ne voit que ce qui est explicitement partagé.",
    )

    def __init__(self, *args, actor, cibles, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.cibles = {str(cible.pk): cible for cible in cibles}
        self.fields["cible"].choices = cible_choices(cibles)
        self.fields["visibility"].choices = visibility_choices(actor)
        if not self.is_bound and "visibility" not in self.initial:
            self.initial["visibility"] = Visibility.ALL_STAFF

    @property
    def cible_themes(self) -> dict[str, str]:
        """cible id → theme, for the script that prefills the theme."""
        return {pk: cible.theme for pk, cible in self.cibles.items()}

    def clean_free_cible(self) -> str:
        return " ".join(self.cleaned_data.get("free_cible", "").split())

    def clean(self):
        data = super().clean()
        cible_id = data.get("cible") or ""
        data["cible"] = self.cibles.get(cible_id) if cible_id else None
        if data["cible"] is not None and data.get("free_cible"):
            self.add_error("free_cible", "Choisissez une cible du catalogue ou une cible libre, pas les deux.")
        mode = data.get("mode")
        has_dar = any((data.get(field) or "").strip() for field in DAR_FIELDS)
        has_note = bool((data.get("narrative") or "").strip())
        if mode == MODE_NOTE and not has_note and has_dar:
            self.add_error("narrative", "Vous avez choisi « Note » : la note est vide (les champs DAR sont ignorés).")
        if mode == MODE_DAR and not has_dar and has_note:
            self.add_error("donnees", "Vous avez choisi « DAR » : données, actions et résultats sont vides.")
        return data

    def content(self) -> dict:
        """The service arguments of the chosen mode (the other mode's fields are not saved)."""
        data = self.cleaned_data
        note = data["mode"] == MODE_NOTE
        return {
            "cible": data["cible"],
            "free_cible": data["free_cible"],
            "theme": data["theme"],
            "donnees": "" if note else data["donnees"],
            "actions": "" if note else data["actions"],
            "resultats": "" if note else data["resultats"],
            "narrative": data["narrative"] if note else "",
            "observed_at": data["observed_at"],
            "visibility": data["visibility"],
            "family_visible": data["family_visible"],
        }


class TransmissionForm(TransmissionContentForm):
    """The writing screen: who it is about (a person of the active file, or a whole unit) + content."""

    concerne = forms.ChoiceField(
        label="Personne concernée",
        widget=FastSelect,
        help_text="Une personne, ou toute l'unité pour une transmission collective.",
        error_messages={"required": "Choisissez la personne concernée, ou l'unité entière."},
    )
    field_order = ["concerne", "mode", "cible", "free_cible", "theme"]

    def __init__(self, *args, actor, cibles, people, units, **kwargs):
        super().__init__(*args, actor=actor, cibles=cibles, **kwargs)
        self.people = {f"p{usager.pk}": usager for usager in people}
        self.units = {f"u{unit.pk}": unit for unit in units}
        self.fields["concerne"].choices = [
            ("", "— Choisir —"),
            ("Personnes", [(key, person_label(usager)) for key, usager in self.people.items()]),
            ("Toute l'unité", [(key, f"Toute l'unité : {unit.name}") for key, unit in self.units.items()]),
        ]
        if not self.is_bound and "observed_at" not in self.initial:
            self.initial["observed_at"] = timezone.localtime().replace(second=0, microsecond=0)

    def clean(self):
        data = super().clean()
        key = data.get("concerne") or ""
        data["usager"] = self.people.get(key)
        data["unit"] = self.units.get(key)
        if data["usager"] is not None and data["usager"].archived_at is not None:
            # The service refuses it too; said here, next to the person.
            self.add_error("concerne", "Ce dossier est archivé : il est en lecture seule.")
        return data

    def content(self) -> dict:
        return {"usager": self.cleaned_data["usager"], "unit": self.cleaned_data["unit"], **super().content()}


class TransmissionCorrectForm(TransmissionContentForm):
    """A correction: the same content fields, prefilled with the current version."""

    def __init__(self, *args, transmission: Transmission, **kwargs):
        initial = {
            "mode": MODE_NOTE
            if transmission.narrative and not any(getattr(transmission, f) for f in DAR_FIELDS)
            else MODE_DAR,
            "cible": str(transmission.cible_id) if transmission.cible_id else "",
            "free_cible": transmission.free_cible,
            "theme": transmission.theme,
            "donnees": transmission.donnees,
            "actions": transmission.actions,
            "resultats": transmission.resultats,
            "narrative": transmission.narrative,
            "observed_at": timezone.localtime(transmission.observed_at).replace(second=0, microsecond=0),
            "visibility": transmission.visibility,
            "family_visible": transmission.family_visible,
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.transmission = transmission

    def changes(self) -> dict:
        """Only what differs from the current version (the time compared to the minute shown)."""
        current = self.transmission
        content = self.content()
        changes = {}
        for field, value in content.items():
            before = getattr(current, field)
            if field == "observed_at":
                if value == timezone.localtime(before).replace(second=0, microsecond=0):
                    continue
            elif field == "theme" and not value:
                continue
            elif before == value or (before is None and value == ""):
                continue
            changes[field] = value
        if changes.get("cible") is not None:
            changes.setdefault("free_cible", "")
            if not content["theme"]:
                changes["theme"] = changes["cible"].theme
        return changes


class AddResultForm(forms.Form):
    resultats = forms.CharField(
        label="Résultat",
        max_length=NARRATIVE_MAX_LENGTH,
        widget=_textarea(4),
        help_text="Ajouté à la suite des résultats déjà écrits, dans une nouvelle version signée de votre nom.",
        error_messages={
            "required": "Le résultat est vide.",
            "max_length": too_long("Résultat", NARRATIVE_MAX_LENGTH),
        },
    )


class ListedModelChoiceIterator(forms.models.ModelChoiceIterator):
    """The choices from one ordinary query: ModelChoiceIterator reads the queryset with
    .iterator(), a server-side cursor on PostgreSQL (three round trips for a dozen units)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class ListedModelChoiceField(forms.ModelChoiceField):
    iterator = ListedModelChoiceIterator


class FeedFilterForm(forms.Form):
    """The feed's filters (GET). Invalid values are reported and ignored, valid ones still apply."""

    q = forms.CharField(label="Rechercher", required=False, max_length=200, widget=FastTextInput)
    unite = ListedModelChoiceField(
        label="Unité", queryset=None, required=False, empty_label="Toutes", widget=FastSelect
    )
    # The person filter: a search field (`personne`, search as you type) and the chosen id (`usager`).
    personne = forms.CharField(
        label="Personne",
        required=False,
        max_length=200,
        help_text="Tapez quelques lettres du nom ou le numéro de chambre, puis choisissez dans la liste.",
        widget=FastTextInput(attrs={"autocomplete": "off", "list": "tr-personnes", "type": "search"}),
    )
    usager = forms.CharField(required=False, widget=FastHiddenInput)
    theme = forms.ChoiceField(label="Thème", required=False, choices=[("", "Tous"), *Theme.choices], widget=FastSelect)
    cible = forms.ChoiceField(label="Cible", required=False, widget=FastSelect)
    metier = forms.ChoiceField(
        label="Métier de l'auteur", required=False, choices=[("", "Tous"), *Metier.choices], widget=FastSelect
    )
    du = forms.DateField(label="Du", required=False, widget=FastDateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    au = forms.DateField(label="Au", required=False, widget=FastDateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    evenement = forms.ChoiceField(
        label="Événement", required=False, choices=[("", "Tous"), *EventKind.choices], widget=FastSelect
    )
    non_lues = forms.BooleanField(label="Non lues seulement", required=False, widget=FastCheckboxInput)

    def __init__(self, *args, units, cibles, find_person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unite"].queryset = units
        self.find_person = find_person
        self.person = None
        self.fields["cible"].choices = cible_choices(cibles, blank="Toutes")

    def clean_usager(self) -> str:
        """The chosen person, of the active ESSMS (`find_person` is the view's scoped lookup)."""
        value = self.cleaned_data.get("usager", "").strip()
        if not value:
            return ""
        self.person = self.find_person(int(value)) if value.isdigit() and len(value) < 19 else None
        if self.person is None:
            raise forms.ValidationError(UNKNOWN_PERSON)
        return value

    @property
    def person_typed(self) -> str:
        """Words typed in the person field without choosing in the list (no JavaScript, or Enter)."""
        if not self.is_bound or self.data.get("usager"):
            return ""
        return " ".join((self.data.get("personne") or "").split())[:200]

    @property
    def person_text(self) -> str:
        """What the search field shows: the chosen person's name, else the words typed."""
        if self.person is not None:
            return person_label(self.person)
        return self.person_typed

    def clean(self):
        data = super().clean()
        start, end = data.get("du"), data.get("au")
        if start and end and start > end:
            self.add_error("au", "La date de fin précède la date de début.")
        return data

    def values(self) -> dict:
        """The valid filters (form.is_valid() must have been called)."""
        data = getattr(self, "cleaned_data", {})
        unit = data.get("unite")
        return {
            "unit_id": unit.pk if unit else None,
            "usager_id": int(data["usager"]) if data.get("usager") else None,
            "theme": data.get("theme") or "",
            "cible_id": int(data["cible"]) if data.get("cible") else None,
            "metier": data.get("metier") or "",
            "date_from": data.get("du"),
            "date_to": data.get("au"),
            "event_kind": data.get("evenement") or "",
            "unread": bool(data.get("non_lues")),
            "q": data.get("q") or "",
        }


class CibleForm(forms.Form):
    label = forms.CharField(
        label="Libellé",
        widget=forms.TextInput(attrs={"maxlength": 120}),
        error_messages={"required": "Indiquez le libellé de la cible."},
    )
    theme = forms.ChoiceField(
        label="Thème",
        choices=[("", "— Choisir —"), *Theme.choices],
        error_messages={"required": "Choisissez un thème de la liste."},
    )
