from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The person's and family's portal: accounts without membership, under recorded consent."""

    name = "portal"
    verbose_name = "Portail usager / famille"
