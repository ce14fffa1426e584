from django.apps import AppConfig


def _registration_label(registration) -> str:
    from django.utils import timezone

    session = registration.session
    return f"Activité {session.activity.name} du {timezone.localtime(session.starts_at):%d/%m/%Y}"


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = "Activités"

    def ready(self):
        from activities.selectors.participation import planned_activities_of
        from dui import audit_labels
        from dui.providers import register_planned_activities

        register_planned_activities(planned_activities_of)  # the person's planning shows their sessions
        audit_labels.register(
            "activities.registration",
            _registration_label,
            select_related=("session__activity",),
            kind="Participation à une activité",
        )
