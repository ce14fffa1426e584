from django.apps import AppConfig


class PilotageConfig(AppConfig):
    name = "pilotage"
    verbose_name = "Pilotage"

    def ready(self):
        from pilotage import signals  # noqa: F401  (recompute the facts a change of history touches)
