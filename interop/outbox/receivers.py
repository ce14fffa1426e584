"""The outbox listens to its causes inside their transaction: the row exists exactly when the cause does."""

from interop.outbox.models import DeliveryCause
from interop.outbox.services import queue_for_cause


def on_dlu_generated(sender, *, usager, document, version, actor, **kwargs) -> None:
    queue_for_cause(actor, document=document, version=version, cause=DeliveryCause.DLU)


def on_projet_validated(sender, *, projet, version, actor, **kwargs) -> None:
    from interop.outbox.ppa_cause import validated_ppa_store  # the PDF renderer loads templates: on use

    validated_ppa_store(actor, projet=projet, version=version)
