"""Read of the person's DMP information and opposition (shown on the dossier's sendings page)."""

from dui.models import DmpConsent, Usager


def dmp_consent_of(usager: Usager) -> DmpConsent | None:
    return DmpConsent.objects.filter(usager=usager).first()
