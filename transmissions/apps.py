from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _fill_empty_cible_catalogues(sender, **kwargs):
    """After `migrate`: an OG without any cible gets the default catalogue (created outside og_create)."""
    from dui.models import OrganismeGestionnaire
    from transmissions.services.cibles import cibles_fill_defaults

    using = kwargs.get("using", "default")
    for og in OrganismeGestionnaire.objects.using(using).filter(cibles__isnull=True):
        cibles_fill_defaults(og=og)


class TransmissionsConfig(AppConfig):
    name = "transmissions"
    verbose_name = "Transmissions"

    def ready(self):
        post_migrate.connect(_fill_empty_cible_catalogues, sender=self, dispatch_uid="transmissions_default_cibles")
        from transmissions.handover_sources import register

        register()  # events and séjour movements on the relève and the synthèse
