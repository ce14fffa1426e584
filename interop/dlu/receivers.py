"""Keep the current DLU from going stale: a change in one of its sources queues a regeneration.

Receivers on the source models (dui never imports interop) schedule, after the commit, one
debounced task per dossier: changes within DEBOUNCE_SECONDS share a run, and the run itself is
idempotent (nothing stored when the content is unchanged)."""

import logging
from functools import partial

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from kombu.exceptions import OperationalError

from dui.models import AggirEvaluation, Allergy, AllergyStatement, Antecedent, Contact, DossierDlu, Treatment, Usager
from soins.models import Evaluation, PrescriptionLine

logger = logging.getLogger(__name__)

SOURCE_MODELS = (Contact, Antecedent, Allergy, AllergyStatement, Treatment, AggirEvaluation, DossierDlu,
                 PrescriptionLine)  # fmt: skip


def queue_refresh(usager_id: int) -> None:
    from interop.dlu.tasks import DEBOUNCE_SECONDS, debounce_key, refresh_dlu

    if cache.add(debounce_key(usager_id), 1, timeout=DEBOUNCE_SECONDS):
        try:
            refresh_dlu.apply_async(args=[usager_id], countdown=DEBOUNCE_SECONDS)
        except OperationalError:  # broker down: the change is committed; the next change queues again
            cache.delete(debounce_key(usager_id))
            logger.warning("Régénération du DLU du dossier %s non mise en file : broker injoignable.", usager_id)


def _source_changed(sender, instance, raw=False, **kwargs):
    if raw:  # fixtures
        return
    usager_id = instance.pk if sender is Usager else getattr(instance, "usager_id", None)
    if usager_id:
        transaction.on_commit(partial(queue_refresh, usager_id))


def _evaluation_changed(sender, instance, raw=False, **kwargs):
    if instance.grid == "aggir":
        _source_changed(sender, instance, raw=raw)


def connect() -> None:
    for model in (Usager, *SOURCE_MODELS):
        post_save.connect(_source_changed, sender=model, dispatch_uid=f"dlu-source-save-{model._meta.label}")
        post_delete.connect(_source_changed, sender=model, dispatch_uid=f"dlu-source-delete-{model._meta.label}")
    post_save.connect(_evaluation_changed, sender=Evaluation, dispatch_uid="dlu-source-save-aggir")
