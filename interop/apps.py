from django.apps import AppConfig


class InteropConfig(AppConfig):
    name = "interop"

    def ready(self):
        from dui.providers import LoginProvider, register_login_provider
        from interop.psc import psc_enabled

        register_login_provider(LoginProvider("Se connecter avec Pro Santé Connect", "psc-login", psc_enabled))

        from interop.dlu import receivers, tasks  # noqa: F401 (tasks: registered for the worker)

        receivers.connect()  # a change in a DLU source queues its regeneration
