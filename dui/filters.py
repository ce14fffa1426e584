"""django-filter FilterSets of the governance screens."""

import datetime
from zoneinfo import ZoneInfo

import django_filters
from django import forms

from dui import dates
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

    usager = django_filters.NumberFilter(
        field_name="usager_id",
        label="N° d'usager",
        min_value=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 1}),
    )
    utilisateur = django_filters.CharFilter(
        field_name="username", lookup_expr="icontains", label="Utilisateur (identifiant contient)"
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
        fields = ["usager", "utilisateur", "action", "canal", "debut", "fin"]
        form = AccessLogFilterForm

    def filter_from(self, queryset, name, value):
        return queryset.filter(at__gte=_start_of_day(value))

    def filter_to(self, queryset, name, value):
        return queryset.filter(at__lt=_start_of_day(value + datetime.timedelta(days=1)))
