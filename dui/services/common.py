"""Rules shared by the dossier services."""

from django.core.exceptions import ValidationError

ARCHIVED_MESSAGE = "Ce dossier est archivé : il est en lecture seule."


def refuse_archived(usager) -> None:
    """An archived dossier stays readable for years, but nobody writes in it any more."""
    if usager.archived_at is not None:
        raise ValidationError(ARCHIVED_MESSAGE, code="archived")
