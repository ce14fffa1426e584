"""Signals of the projet personnalisé: other apps listen to them without ppa knowing them."""

from django.dispatch import Signal

# Sent inside the agreement's transaction, with projet, version (now agreed) and actor.
projet_validated = Signal()
