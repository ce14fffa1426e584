from django.apps import AppConfig


class PpaConfig(AppConfig):
    name = "ppa"

    def ready(self):
        from ppa.handover_sources import register

        register()  # evaluations, care, doses, prescriptions on the relève and the synthèse
