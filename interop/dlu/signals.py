"""Signals of the DLU: the outbox listens to them to queue deliveries in the same transaction."""

from django.dispatch import Signal

# Sent inside the generation's transaction, with usager, document, version, actor.
dlu_generated = Signal()
