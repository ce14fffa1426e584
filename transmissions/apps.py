from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _fill_empty_cible_catalogues(sender, **kwargs):
    """After `migrate`: an OG without any cible gets the default catalogue (created outside og_create)."""
    from dui.models import OrganismeGestionnaire
    from transmissions.services.cibles import cibles_fill_defaults

    using = kwargs.get("using", "default")
    for og in OrganismeGestionnaire.objects.using(using).filter(cibles__isnull=True):
        cibles_fill_defaults(og=og)


def _fill_new_og_cibles(sender, *, og, **kwargs):
    from transmissions.services.cibles import cibles_fill_defaults

    cibles_fill_defaults(og=og)


def _register_audit_labels():
    """Readable names of transmissions, events and read receipts in the access journal (no query per row)."""
    from dui import audit_labels

    audit_labels.register(
        "transmissions.transmission",
        lambda transmission: f"Transmission « {transmission.cible_label} »",
        select_related=("cible",),
        date_attr="observed_at",
    )
    audit_labels.register(
        "transmissions.event",
        lambda event: f"Événement : {event.get_kind_display()}",
        date_attr="occurred_at",
    )
    audit_labels.register(
        "transmissions.readreceipt",
        lambda receipt: f"Lu : transmission « {receipt.transmission.cible_label} »",
        select_related=("transmission__cible",),
        date_attr="read_at",
        kind="Accusé de lecture",
    )


class TransmissionsConfig(AppConfig):
    name = "transmissions"
    verbose_name = "Transmissions"

    def ready(self):
        post_migrate.connect(_fill_empty_cible_catalogues, sender=self, dispatch_uid="transmissions_default_cibles")
        from dui.signals import og_created

        og_created.connect(_fill_new_og_cibles, dispatch_uid="transmissions_new_og_cibles")
        from dui.essms_kinds import EVENT, register_items
        from transmissions.models import EventKind

        register_items(EVENT, EventKind.choices)
        _register_audit_labels()
        from transmissions.handover_sources import register

        register()  # events and séjour movements on the relève and the synthèse
