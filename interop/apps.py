from django.apps import AppConfig


class InteropConfig(AppConfig):
    name = "interop"

    def ready(self):
        from interop.dlu import receivers, tasks  # noqa: F401 (tasks: registered for the worker)

        receivers.connect()  # a change in a DLU source queues its regeneration
