"""What happens in the dossier that other apps act on, without `dui` importing them.

Receivers run inside the sender's transaction (sent with `send`, not `send_robust`): a receiver
that fails rolls the whole change back, as an import would have.
"""

from django.dispatch import Signal

# sender=Sejour, sejour=<Sejour>, actor=<Actor>: the séjour just ended.
sejour_ended = Signal()

# sender=OrganismeGestionnaire, og=<OrganismeGestionnaire>: a new OG, to give its default catalogues.
og_created = Signal()
