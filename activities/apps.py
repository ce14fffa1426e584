from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = "Activités"

    def ready(self):
        from activities.selectors.participation import planned_activities_of
        from dui import audit_labels
        from dui.providers import register_planned_activities

        register_planned_activities(planned_activities_of)
        audit_labels.register(
            "activities.registration",
            lambda row: f"Activité {row.session.activity.name} du {row.session.starts_at:%d/%m/%Y}",
            select_related=("session__activity",),
            kind="Participation à une activité",
        )
