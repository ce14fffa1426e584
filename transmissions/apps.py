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
        from dui.essms_kinds import EVENT, register_items
        from transmissions.models import EventKind

        register_items(EVENT, EventKind.choices)
        from dui import demo_registry
        from transmissions import demo

        demo_registry.register("transmissions et événements", demo.seed)
