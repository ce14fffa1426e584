"""Evaluation grids defined as data, and the one engine that validates and scores them."""

from soins.grids.aggir import AGGIR
from soins.grids.constantes import CONSTANTES
from soins.grids.engine import Context, FollowUp, Grid, Item, Outcome, UnknownGridError
from soins.grids.hydration import HYDRATION
from soins.grids.pain import ALGOPLUS, EN
from soins.grids.stools import STOOLS
from soins.grids.weight import WEIGHT

GRIDS: tuple[Grid, ...] = (ALGOPLUS, EN, CONSTANTES, WEIGHT, HYDRATION, STOOLS, AGGIR)
_BY_CODE = {grid.code: grid for grid in GRIDS}
GRID_CODES = tuple(_BY_CODE)


def grid_by_code(code) -> Grid:
    """The grid, or UnknownGridError (a NotFound, hence a 404; services turn it into a French error)."""
    grid = _BY_CODE.get(code) if isinstance(code, str) else None
    if grid is None:
        raise UnknownGridError(code)
    return grid


__all__ = [
    "GRIDS",
    "GRID_CODES",
    "Context",
    "FollowUp",
    "Grid",
    "Item",
    "Outcome",
    "UnknownGridError",
    "grid_by_code",
]
