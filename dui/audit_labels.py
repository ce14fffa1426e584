"""Readable labels of the access log's objects ("Évaluation Algoplus — DUPONT Jeanne, 03/12/2026").

Built in bulk: one query per model type on the page, whatever the number of rows. Each app
describes its own models with `register(...)` from its AppConfig.ready, so dui imports none of
them; a model nobody registered gets its verbose name only (its `__str__` may hold personal
data). The person's name comes from the caller, already limited to the dossiers the reader
may open; an object's own description is shown only when the reader may read its document
class. A label never reveals what the reader could not open.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst


@dataclass(frozen=True)
class Describer:
    describe: Callable[[models.Model], str]
    select_related: tuple[str, ...] = ()
    date_attr: str | None = None
    kind: str | None = None  # shown instead of `describe` to a reader who may not read the class


_REGISTRY: dict[str, Describer] = {}
# Date fields a generic label shows, first found wins (the moment the object is about).
GENERIC_DATE_FIELDS = ("evaluated_at", "observed_at", "occurred_at", "scheduled_at", "starts_on", "created_at")


def register(
    model_label: str,
    describe: Callable[[models.Model], str],
    *,
    select_related: Iterable[str] = (),
    date_attr: str | None = None,
    kind: str | None = None,
) -> None:
    """Describe one model ("app_label.modelname"); `describe` must not query (use select_related).

    `kind` names the object without its content, for readers who may not read its class
    (default: the model's verbose name).
    """
    _REGISTRY[model_label.lower()] = Describer(describe, tuple(select_related), date_attr, kind)


# Rows written before a model moved to another app keep the old app label in `object_type`
# (the log is append-only): old app label → the apps its models may live in now.
_MOVED_FROM: dict[str, list[str]] = defaultdict(list)


def register_moved_models(old_app_label: str, new_app_label: str) -> None:
    if new_app_label not in _MOVED_FROM[old_app_label]:
        _MOVED_FROM[old_app_label].append(new_app_label)


def _current_label(object_type: str) -> str:
    """The label the model has today ("ppa.evaluation" logged before the move → "soins.evaluation")."""
    app_label, _, model_name = object_type.partition(".")
    for label in (object_type, *(f"{new}.{model_name}" for new in _MOVED_FROM.get(app_label, ()))):
        try:
            apps.get_model(label)
        except (LookupError, ValueError):
            continue
        return label
    return object_type


def _model(object_type: str):
    try:
        return apps.get_model(_current_label(object_type))
    except (LookupError, ValueError):
        return None


def _generic(model) -> Describer:
    verbose = capfirst(model._meta.verbose_name)
    names = {field.name for field in model._meta.concrete_fields}
    return Describer(lambda obj: verbose, (), next((name for name in GENERIC_DATE_FIELDS if name in names), None))


def _format_date(value) -> str:
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.strftime("%d/%m/%Y")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return ""


def _compose(what: str, name: str, day: str) -> str:
    tail = ", ".join(part for part in (name, day) if part)
    return f"{what} — {tail}" if tail else what


def _valid_pks(model, raw_ids) -> list:
    pks = []
    for raw in raw_ids:
        try:
            pks.append(model._meta.pk.to_python(raw))
        except (ValidationError, TypeError, ValueError):
            continue
    return pks


def object_labels(
    entries, usager_names: dict[int, str], readable_classes: set[str] | None = None
) -> dict[tuple[str, str], str]:
    """{(object_type, object_id): label} of the given access events (dui.access_events.LogicalEvent, or rows of one
    object); objects left out keep their raw form.

    `usager_names` maps usager ids to the names the reader may see; `readable_classes` the
    document classes the reader may read (None: all), outside which only the kind of object
    is named. Objects are read only in the ESSMS the rows belong to.
    """
    ids_by_type: dict[str, set[str]] = defaultdict(set)
    essms_ids: set[int] = set()
    usager_of: dict[tuple[str, str], int | None] = {}
    hidden: set[tuple[str, str]] = set()
    for entry in entries:
        ids_by_type[entry.object_type].add(entry.object_id)
        usager_of[(entry.object_type, entry.object_id)] = entry.usager_id
        if readable_classes is not None and entry.document_class and entry.document_class not in readable_classes:
            hidden.add((entry.object_type, entry.object_id))
        if entry.essms_id is not None:
            essms_ids.add(entry.essms_id)
    labels: dict[tuple[str, str], str] = {}
    for object_type, raw_ids in ids_by_type.items():
        model = _model(object_type)
        if model is None:
            continue
        describer = _REGISTRY.get(_current_label(object_type)) or _generic(model)
        verbose = capfirst(model._meta.verbose_name)
        found = _base_queryset(model, describer, essms_ids).filter(pk__in=_valid_pks(model, raw_ids))
        for obj in found:
            key = (object_type, str(obj.pk))
            day = _format_date(getattr(obj, describer.date_attr, None)) if describer.date_attr else ""
            what = (describer.kind or verbose) if key in hidden else describer.describe(obj)
            labels[key] = _compose(what, usager_names.get(usager_of.get(key), ""), day)
        for raw in raw_ids:
            labels.setdefault((object_type, raw), f"{verbose} n° {raw} (supprimé ou hors établissement)")
    return labels


def _base_queryset(model, describer: Describer, essms_ids: set[int]):
    queryset = model._base_manager.all()
    if describer.select_related:
        queryset = queryset.select_related(*describer.select_related)
    if any(field.name == "essms" for field in model._meta.concrete_fields):
        queryset = queryset.filter(essms_id__in=essms_ids)
    return queryset


register("dui.usager", lambda usager: "Dossier usager", kind="Dossier usager")
