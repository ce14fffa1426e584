from django.apps import AppConfig


class InteropConfig(AppConfig):
    name = "interop"

    def ready(self) -> None:
        from interop.dlu.signals import dlu_generated
        from interop.outbox.receivers import on_dlu_generated

        dlu_generated.connect(on_dlu_generated, dispatch_uid="interop.outbox.dlu_generated")

        from dui.providers import register_document_status
        from interop.outbox.selectors import document_status_lines

        register_document_status(document_status_lines)
