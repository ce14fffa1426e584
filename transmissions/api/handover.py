"""REST routes of the handover and the synthèse, registered by config/api_urls.py.

`GET /api/v1/handover/?unite=<id>&poste=jour|nuit&date=AAAA-MM-JJ`: the handover of one unit
(the first unit of the ESSMS and the current shift by default): per person placed in the unit,
counts, open cibles and the latest transmissions in short form; absents; the unit's own items.
`GET /api/v1/synthese/<usager id>/?jours=7`: the synthèse of one person over 1 to 90 days.
Both carry `signals`: the items of the registered handover sources (transmissions.sources:
evaluations, care not done or refused, si besoin doses, prescriptions, events, séjours).

Reads go through the selectors (scoped, fixed number of queries) and are audited in bulk; bad
parameters answer 400 and objects out of reach 404, with French messages.
"""

import re

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, serializers, viewsets
from rest_framework.response import Response

from dui import selectors
from dui.actor import actor_of
from dui.catalogue import READ
from dui.permissions import active_membership
from transmissions.models import EventKind, Transmission
from transmissions.selectors import handover as handover_selectors
from transmissions.selectors import synthese as synthese_selectors

_KINDS = " ; ".join(f"`{value}` : {label}" for value, label in EventKind.choices)

# --- Output -------------------------------------------------------------------------------------


class HandoverItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    usager = serializers.IntegerField(allow_null=True, help_text="Personne concernée ; null pour toute l'unité.")
    cible = serializers.CharField(help_text="Libellé de la cible (ou « Note » sans cible).")
    free_cible = serializers.BooleanField(help_text="Cible libre, hors catalogue.")
    summary = serializers.CharField(help_text="Première ligne des Données, sinon des Actions, sinon de la note.")
    author_metier = serializers.CharField()
    author_metier_label = serializers.CharField()
    observed_at = serializers.DateTimeField()
    written_at = serializers.DateTimeField()
    version = serializers.IntegerField()
    late = serializers.BooleanField(help_text="Observée avant la période, écrite (ou complétée) pendant.")
    event_kind = serializers.CharField(allow_blank=True, help_text=f"Événement porté, vide sinon. {_KINDS}")


class OpenCibleSerializer(serializers.Serializer):
    label = serializers.CharField()
    since = serializers.DateTimeField(help_text="Observation la plus ancienne encore ouverte sur cette cible.")
    count = serializers.IntegerField(help_text="Fils ouverts sur cette cible.")


class OlderOpenSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Fils encore ouverts, ouverts avant l'horizon de la relève (30 jours).")
    since = serializers.DateTimeField(allow_null=True, help_text="Le plus ancien ; null s'il n'y en a pas.")


class EventCountSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text=_KINDS)
    label = serializers.CharField()
    count = serializers.IntegerField()
    alert = serializers.BooleanField(help_text="Chute ou crise d'épilepsie : à signaler en premier.")


class SignalSerializer(serializers.Serializer):
    """One fact of a registered handover source, besides transmissions."""

    usager = serializers.IntegerField(allow_null=True, help_text="Personne concernée ; null pour toute l'unité.")
    kind = serializers.CharField(
        help_text="Source : `evaluation` (score anormal ou modifié), `soin_non_fait` (non fait ou refusé), "
        "`si_besoin` (prise si besoin donnée), `prescription` (nouvelle ou arrêtée), `evenement` "
        "(chute, crise, incident), `sejour` (admission, hospitalisation, retour) ; d'autres peuvent s'ajouter."
    )
    time = serializers.DateTimeField()
    all_day = serializers.BooleanField(help_text="Seul le jour est connu (date de séjour) : heure à ignorer.")
    importance = serializers.IntegerField(help_text="3 alerte, 2 à savoir, 1 info ; triés du plus important.")
    label = serializers.CharField()
    url = serializers.CharField(help_text="Page de l'application où voir le détail.")


class HandoverPersonSerializer(serializers.Serializer):
    usager = serializers.IntegerField()
    name = serializers.CharField()
    room = serializers.CharField(allow_blank=True)
    transmissions = serializers.IntegerField(help_text="Nouvelles transmissions lisibles sur la période.")
    events = EventCountSerializer(many=True)
    alert = serializers.BooleanField()
    open_cibles = OpenCibleSerializer(many=True, help_text="Cibles ouvertes depuis moins de 30 jours.")
    older_open_cibles = OlderOpenSerializer()
    latest = HandoverItemSerializer(many=True)
    more = serializers.IntegerField(help_text="Transmissions de la période non reprises dans `latest`.")
    signals = SignalSerializer(
        many=True, help_text="Évaluations, soins non faits, si besoin, prescriptions, événements, séjours."
    )


class HandoverAbsentSerializer(serializers.Serializer):
    usager = serializers.IntegerField()
    name = serializers.CharField()
    room = serializers.CharField(allow_blank=True)
    absence_kind = serializers.CharField()
    absence_label = serializers.CharField()
    absent_since = serializers.DateField()
    transmissions = serializers.IntegerField()
    signals = SignalSerializer(many=True)


class HandoverSerializer(serializers.Serializer):
    unit = inline_serializer("HandoverUnit", {"id": serializers.IntegerField(), "name": serializers.CharField()})
    shift = inline_serializer(
        "HandoverShift",
        {
            "poste": serializers.CharField(help_text="`jour` (07:00–19:00) ou `nuit` (19:00–07:00), heure de Paris."),
            "date": serializers.DateField(),
            "starts_at": serializers.DateTimeField(),
            "ends_at": serializers.DateTimeField(),
        },
    )
    window = inline_serializer(
        "HandoverWindow",
        {
            "start": serializers.DateTimeField(),
            "end": serializers.DateTimeField(),
            "is_current": serializers.BooleanField(
                help_text="Poste en cours : depuis le début du poste précédent jusqu'à maintenant."
            ),
        },
    )
    persons = HandoverPersonSerializer(many=True, help_text="Présents, par chambre puis par nom.")
    absents = HandoverAbsentSerializer(many=True)
    unit_wide = inline_serializer(
        "HandoverUnitWide",
        {
            "transmissions": serializers.IntegerField(),
            "open_cibles": OpenCibleSerializer(many=True),
            "older_open_cibles": OlderOpenSerializer(),
            "latest": HandoverItemSerializer(many=True),
            "signals": SignalSerializer(many=True),
        },
    )


class TrendSerializer(serializers.Serializer):
    current = serializers.IntegerField()
    previous = serializers.IntegerField(help_text="Période précédente de même durée.")
    delta = serializers.IntegerField()


class SyntheseDarSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    cible = serializers.CharField()
    free_cible = serializers.BooleanField()
    theme = serializers.CharField()
    observed_at = serializers.DateTimeField()
    version = serializers.IntegerField()
    donnees = serializers.CharField(allow_blank=True)
    actions = serializers.CharField(allow_blank=True)
    resultats = serializers.CharField(allow_blank=True)
    narrative = serializers.CharField(allow_blank=True)
    open = serializers.BooleanField(help_text="Données ou actions sans résultat.")
    count = serializers.IntegerField(help_text="Transmissions sur cette cible pendant la période.")


class SyntheseSerializer(serializers.Serializer):
    usager = serializers.IntegerField()
    days = serializers.IntegerField()
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    previous_start = serializers.DateTimeField()
    transmissions = TrendSerializer()
    themes = inline_serializer(
        "SyntheseTheme",
        {"theme": serializers.CharField(), "label": serializers.CharField(), "trend": TrendSerializer()},
        many=True,
    )
    events_readable = serializers.BooleanField()
    events = inline_serializer(
        "SyntheseEvent",
        {
            "kind": serializers.CharField(help_text=_KINDS),
            "label": serializers.CharField(),
            "alert": serializers.BooleanField(),
            "trend": TrendSerializer(),
        },
        many=True,
    )
    seizure_seconds = serializers.IntegerField(help_text="Durée totale des crises d'épilepsie de la période.")
    seizure_seconds_previous = serializers.IntegerField()
    open_cibles = OpenCibleSerializer(many=True)
    latest = SyntheseDarSerializer(many=True, help_text="Pour chaque cible de la période, sa dernière version.")
    signals = SignalSerializer(many=True, help_text="Mêmes sources que la relève, sur la période.")


# --- Mapping ------------------------------------------------------------------------------------


def _item(item: handover_selectors.HandoverItem) -> dict:
    t = item.transmission
    return {
        "id": t.pk,
        "usager": t.usager_id,
        "cible": item.cible,
        "free_cible": item.is_free_cible,
        "summary": item.summary,
        "author_metier": t.author_metier,
        "author_metier_label": item.author_metier_label,
        "observed_at": t.observed_at,
        "written_at": t.written_at,
        "version": t.version,
        "late": item.late,
        "event_kind": item.event_kind,
    }


def _open(cibles) -> list[dict]:
    return [{"label": c.label, "since": c.since, "count": c.count} for c in cibles]


def _older(older) -> dict:
    return {"count": older.count, "since": older.since} if older else {"count": 0, "since": None}


def _trend(trend: synthese_selectors.Trend) -> dict:
    return {"current": trend.current, "previous": trend.previous, "delta": trend.delta}


def handover_data(data: handover_selectors.Handover) -> dict:
    shift, window = data.shift, data.window
    return {
        "unit": {"id": data.unit.pk, "name": data.unit.name},
        "shift": {"poste": shift.poste, "date": shift.date, "starts_at": shift.start, "ends_at": shift.end},
        "window": {"start": window.start, "end": window.end, "is_current": window.is_current},
        "persons": [
            {
                "usager": p.usager.pk,
                "name": str(p.usager),
                "room": p.room,
                "transmissions": p.new_count,
                "events": [
                    {"kind": c.kind, "label": c.label, "count": c.count, "alert": c.is_alert} for c in p.event_counts
                ],
                "alert": p.has_alert,
                "open_cibles": _open(p.open_cibles),
                "older_open_cibles": _older(p.older_open),
                "latest": [_item(item) for item in p.items],
                "more": p.more_count,
                "signals": [item.as_dict() for item in p.signals],
            }
            for p in data.persons
        ],
        "absents": [
            {
                "usager": p.usager.pk,
                "name": str(p.usager),
                "room": p.room,
                "absence_kind": p.absence.kind,
                "absence_label": p.absence.get_kind_display(),
                "absent_since": p.absence.starts_on,
                "transmissions": p.new_count,
                "signals": [item.as_dict() for item in p.signals],
            }
            for p in data.absents
        ],
        "unit_wide": {
            "transmissions": len(data.unit_transmissions),
            "open_cibles": _open(data.unit_open_cibles),
            "older_open_cibles": _older(data.unit_older_open),
            "latest": [_item(item) for item in data.unit_items],
            "signals": [item.as_dict() for item in data.unit_signals],
        },
    }


def synthese_data(data: synthese_selectors.Synthese) -> dict:
    return {
        "usager": data.usager.pk,
        "days": data.days,
        "start": data.start,
        "end": data.end,
        "previous_start": data.previous_start,
        "transmissions": _trend(data.transmissions),
        "themes": [{"theme": line.theme, "label": line.label, "trend": _trend(line.trend)} for line in data.themes],
        "events_readable": data.events_readable,
        "events": [
            {"kind": line.kind, "label": line.label, "alert": line.is_alert, "trend": _trend(line.trend)}
            for line in data.events
        ],
        "seizure_seconds": data.seizure_seconds,
        "seizure_seconds_previous": data.seizure_seconds_previous,
        "open_cibles": _open(data.open_cibles),
        "latest": [
            {
                "id": line.transmission.pk,
                "cible": line.label,
                "free_cible": not line.transmission.cible_id,
                "theme": line.transmission.theme,
                "observed_at": line.transmission.observed_at,
                "version": line.transmission.version,
                "donnees": line.transmission.donnees,
                "actions": line.transmission.actions,
                "resultats": line.transmission.resultats,
                "narrative": line.transmission.narrative,
                "open": line.is_open,
                "count": line.count,
            }
            for line in data.latest
        ],
        "signals": [item.as_dict() for item in data.signals],
    }


# --- Views --------------------------------------------------------------------------------------


def _require_reader(request):
    actor = actor_of(request)
    if active_membership(actor) is None or not actor.can(READ, Transmission.document_class_code):
        raise exceptions.NotFound("Transmissions introuvables : votre métier ne permet pas de les lire.")
    return actor


ERRORS = OpenApiResponse(description="Paramètre refusé : message en français par paramètre.")
NOT_FOUND = OpenApiResponse(description="Unité ou personne introuvable dans l'établissement du jeton.")


class OneObjectSchema(AutoSchema):
    """The handover `list` answers one object (the unit's handover), not an array."""

    def _is_list_view(self, serializer=None) -> bool:
        return False


class HandoverViewSet(viewsets.ViewSet):
    """Relève de poste d'une unité."""

    schema = OneObjectSchema()

    @extend_schema(
        operation_id="v1_handover_list",
        summary="Relève de poste d'une unité (jour ou nuit)",
        description=(
            "Poste en cours : depuis le début du poste précédent jusqu'à maintenant ; autre poste : ce poste. "
            "Personnes affectées à l'unité à la date du poste, par chambre puis par nom ; absents à part."
        ),
        parameters=[
            OpenApiParameter(
                "unite", OpenApiTypes.INT, description="Identifiant de l'unité (première unité par défaut)."
            ),
            OpenApiParameter(
                "poste", OpenApiTypes.STR, enum=["jour", "nuit"], description="Poste (poste en cours par défaut)."
            ),
            OpenApiParameter("date", OpenApiTypes.DATE, description="Date du poste (AAAA-MM-JJ, heure de Paris)."),
        ],
        responses={200: HandoverSerializer, 400: ERRORS, 404: NOT_FOUND},
    )
    def list(self, request, *args, **kwargs):
        actor = _require_reader(request)
        params = request.query_params
        raw_unit = params.get("unite", "").strip()
        if raw_unit:
            if not re.fullmatch(r"[0-9]{1,19}", raw_unit) or not 0 < int(raw_unit) < 2**63:
                raise exceptions.ValidationError({"unite": ["Identifiant d'unité invalide."]})
            unit = selectors.units_for_user(actor).filter(pk=int(raw_unit)).first()
            if unit is None:
                raise exceptions.NotFound("Unité introuvable dans cet établissement.")
        else:
            unit = handover_selectors.default_unit(actor)
            if unit is None:
                raise exceptions.NotFound("Aucune unité n'est définie dans cet établissement.")
        try:
            shift = handover_selectors.parse_shift(params.get("poste"), params.get("date"))
        except handover_selectors.ShiftError as error:
            raise exceptions.ValidationError({error.field: [error.message]}) from None
        data = handover_selectors.handover_for_unit(actor, unit=unit, shift=shift, log=True)
        return Response(HandoverSerializer(handover_data(data)).data)


class SyntheseViewSet(viewsets.ViewSet):
    """Synthèse des transmissions et événements d'une personne."""

    lookup_value_regex = r"[0-9]+"  # any other id is a 404 from the router, never a 500

    @extend_schema(
        summary="Synthèse d'une personne sur N jours",
        description=(
            "Calculée, jamais saisie : événements par type (et durée totale des crises), transmissions par "
            "thème avec la tendance par rapport à la période précédente de même durée, cibles ouvertes, "
            "dernière transmission de chaque cible de la période. `{id}` : identifiant du dossier usager."
        ),
        parameters=[
            OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Identifiant du dossier."),
            OpenApiParameter(
                "jours", OpenApiTypes.INT, description="Nombre de jours, de 1 à 90 (7 par défaut).", required=False
            ),
        ],
        responses={200: SyntheseSerializer, 400: ERRORS, 404: NOT_FOUND},
    )
    def retrieve(self, request, pk=None, **kwargs):
        if not pk or not 0 < int(pk) < 2**63:
            raise exceptions.NotFound("Personne introuvable.")
        actor = actor_of(request)
        usager = selectors.usagers_for_user(actor.user).filter(pk=int(pk)).first()
        if usager is None or not actor.can(READ, usager):
            raise exceptions.NotFound("Personne introuvable.")
        actor = _require_reader(request)
        try:
            days = synthese_selectors.parse_days(request.query_params.get("jours"))
        except synthese_selectors.SyntheseError as error:
            raise exceptions.ValidationError({"jours": [error.message]}) from None
        data = synthese_selectors.synthese_for_usager(actor, usager=usager, days=days, log=True)
        return Response(SyntheseSerializer(synthese_data(data)).data)


routes = [
    ("handover", HandoverViewSet, "handover"),
    ("synthese", SyntheseViewSet, "synthese"),
]
