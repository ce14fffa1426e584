from django.apps import AppConfig


class PpaConfig(AppConfig):
    name = "ppa"

    def ready(self):
        from dui.essms_kinds import GRID, register_items
        from ppa.grids import GRIDS

        register_items(GRID, [(grid.code, grid.label) for grid in GRIDS])
