from django.apps import AppConfig


def _close_projet_at_exit(sender, *, sejour, actor, **kwargs):
    """The projet personnalisé ends with its séjour."""
    from ppa.services.projects import projet_close_for_sejour

    projet_close_for_sejour(actor, sejour=sejour)


class PpaConfig(AppConfig):
    name = "ppa"

    def ready(self):
        from dui.signals import sejour_ended

        sejour_ended.connect(_close_projet_at_exit, dispatch_uid="ppa_close_projet_at_exit")
