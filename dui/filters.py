"""django-filter FilterSets of the governance screens."""

import datetime
from zoneinfo import ZoneInfo

import django_filters
from django import forms
from django.db.models import Q

from dui import dates
from dui.ins import search_key
from dui.models import AccessAction, AccessLog, Channel

PARIS = ZoneInfo("Europe/Paris")


def _start_of_day(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=PARIS)


class AccessLogFilterForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        for name in ("debut", "fin"):
            if cleaned.get(name) and not dates.in_range(cleaned[name]):
                self.add_error(name, dates.OUT_OF_RANGE)
        start, end = cleaned.get("debut"), cleaned.get("fin")
        if start and end and start > end:
            raise forms.ValidationError("La date de début doit précéder la date de fin.")
        return cleaned


class AccessLogFilter(django_filters.FilterSet):
    """Filters of the access log screen and its CSV export; the period is inclusive, in Europe/Paris."""

    PERSON_CAP = 200
    person_ids: set[int] | None = None

    personne = django_filters.CharFilter(
        method="filter_person",
        label="Personne accompagnée",
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Nom ou prénom", "autocomplete": "off"}),
    )
    # Kept for links that name one dossier (from the dossier page); not shown as a field.
    usager = django_filters.NumberFilter(method="filter_usager", min_value=1, widget=forms.HiddenInput)
    utilisateur = django_filters.CharFilter(
        method="filter_user",
        label="Professionnel",
        max_length=150,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Nom ou identifiant", "autocomplete": "off"}),
    )
    action = django_filters.ChoiceFilter(choices=AccessAction.choices, label="Action", empty_label="Toutes")
    canal = django_filters.ChoiceFilter(
        field_name="channel", choices=Channel.choices, label="Canal", empty_label="Tous"
    )
    debut = django_filters.DateFilter(
        method="filter_from",
        label="Du",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    fin = django_filters.DateFilter(
        method="filter_to",
        label="Au (inclus)",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    class Meta:
        model = AccessLog
        fields = ["personne", "usager", "utilisateur", "action", "canal", "debut", "fin"]
        form = AccessLogFilterForm

    def filter_person(self, queryset, name, value):
        """Rows about the dossiers whose name holds every word, among those the reader may open."""
        from dui.actor import actor_of
        from dui.selectors import usagers_for_user

        words = search_key(value).split()
        if not words:
            return queryset
        usagers = usagers_for_user(actor_of(self.request))
        for word in words:
            legacy = Q(birth_name__icontains=word) | Q(used_name__icontains=word) | Q(first_names__icontains=word)
            usagers = usagers.filter(Q(search_text__contains=word) | (Q(search_text="") & legacy))
        # A name matches a handful of dossiers; past PERSON_CAP the search is too vague to be useful.
        return self._about(queryset, list(usagers.values_list("pk", flat=True)[: self.PERSON_CAP]))

    def filter_usager(self, queryset, name, value):
        return self._about(queryset, [int(value)])

    def _about(self, queryset, usager_ids):
        """Keep the rows about these persons, and remember them: a list read that also names other
        persons then shows only these persons' events (`person_ids`)."""
        from dui.selectors import access_log_for_usager

        self.person_ids = set(usager_ids) if self.person_ids is None else self.person_ids & set(usager_ids)
        return access_log_for_usager(queryset, self.person_ids)

    def filter_user(self, queryset, name, value):
        """Identifier, first or last name of the professional (each word must match)."""
        from dui.selectors import access_log_by_professional

        words = value.split()
        return access_log_by_professional(queryset, words) if words else queryset

    def filter_from(self, queryset, name, value):
        return queryset.filter(at__gte=_start_of_day(value))

    def filter_to(self, queryset, name, value):
        return queryset.filter(at__lt=_start_of_day(value + datetime.timedelta(days=1)))
