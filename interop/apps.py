from django.apps import AppConfig


class InteropConfig(AppConfig):
    name = "interop"

    def ready(self) -> None:
        from dui.providers import LoginProvider, register_document_status, register_login_provider
        from interop.dlu import receivers, tasks  # noqa: F401 (tasks: registered for the worker)
        from interop.dlu.signals import dlu_generated
        from interop.outbox.receivers import on_dlu_generated, on_projet_validated
        from interop.outbox.selectors import document_status_lines
        from interop.psc import psc_enabled
        from ppa.signals import projet_validated

        register_login_provider(LoginProvider("Se connecter avec Pro Santé Connect", "psc-login", psc_enabled))
        receivers.connect()  # a change in a DLU source queues its regeneration
        dlu_generated.connect(on_dlu_generated, dispatch_uid="interop.outbox.dlu_generated")
        projet_validated.connect(on_projet_validated, dispatch_uid="interop.outbox.projet_validated")
        register_document_status(document_status_lines)
