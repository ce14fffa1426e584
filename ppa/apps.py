from django.apps import AppConfig


class PpaConfig(AppConfig):
    name = "ppa"

    def ready(self):
        from dui.providers import register_current_treatments
        from ppa.selectors.drug_safety import current_treatments

        register_current_treatments(current_treatments)
