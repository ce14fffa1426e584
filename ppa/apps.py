from django.apps import AppConfig


def _evaluation_label(evaluation) -> str:
    from ppa.grids import grid_by_code

    try:
        grid = grid_by_code(evaluation.grid)
    except Exception:  # a grid withdrawn from the catalogue: its code still names it
        return f"Évaluation « {evaluation.grid} »"
    return f"Évaluation {grid.label.split(' (')[0]}"


def _close_projet_at_exit(sender, *, sejour, actor, channel, ip, **kwargs):
    """The projet personnalisé ends with its séjour."""
    from ppa.services.projects import projet_close_for_sejour

    projet_close_for_sejour(actor, sejour=sejour)


class PpaConfig(AppConfig):
    name = "ppa"

    def ready(self):
        from dui.essms_kinds import GRID, register_items
        from ppa.grids import GRIDS

        register_items(GRID, [(grid.code, grid.label) for grid in GRIDS])
        from dui import audit_labels

        audit_labels.register("ppa.evaluation", _evaluation_label, date_attr="evaluated_at")
        from ppa.handover_sources import register

        register()  # evaluations, care, doses, prescriptions on the relève and the synthèse
        from dui.providers import register_current_treatments
        from ppa.selectors.drug_safety import current_treatments

        register_current_treatments(current_treatments)
        from dui.providers import register_allergy_listener
        from ppa.services.medication import refresh_pending_dose_labels

        register_allergy_listener(refresh_pending_dose_labels)
        from dui.signals import sejour_ended

        sejour_ended.connect(_close_projet_at_exit, dispatch_uid="ppa_close_projet_at_exit")
