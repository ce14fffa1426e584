from django.apps import AppConfig


def _evaluation_label(evaluation) -> str:
    from soins.grids import grid_by_code

    try:
        grid = grid_by_code(evaluation.grid)
    except Exception:  # a grid withdrawn from the catalogue: its code still names it
        return f"Évaluation « {evaluation.grid} »"
    return f"Évaluation {grid.label.split(' (')[0]}"


class SoinsConfig(AppConfig):
    name = "soins"
    label = "soins"
    verbose_name = "Soins"

    def ready(self):
        from dui.essms_kinds import GRID, register_items
        from soins.grids import GRIDS

        register_items(GRID, [(grid.code, grid.label) for grid in GRIDS])
        from dui import audit_labels

        audit_labels.register("soins.evaluation", _evaluation_label, date_attr="evaluated_at")
        audit_labels.register_moved_models("ppa", "soins")  # journal rows written before the care plan left ppa
        from soins.handover_sources import register

        register()  # evaluations, care, doses, prescriptions on the relève and the synthèse
        from dui.providers import register_current_treatments
        from soins.selectors.drug_safety import current_treatments

        register_current_treatments(current_treatments)
        from dui.providers import register_allergy_listener
        from soins.services.doses import pending_dose_labels_refresh

        register_allergy_listener(pending_dose_labels_refresh)
