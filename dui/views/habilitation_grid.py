"""The whole habilitation grid as table rows, pre-rendered: up to 25 métiers × 65 classes × 3 boxes.

Rendered here rather than by template loops (ten times faster for ~5,000 boxes). Each box is
named through aria-labelledby by its action, métier and class headers (short ids keep the
page light): "Lecture Direction Identité et état civil (INS)".
"""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from dui import governance, selectors
from dui.catalogue import ACTIONS, READ, TIER_LABELS, VALIDATE, WRITE
from dui.models import Metier

ACTION_LETTERS = {READ: "L", WRITE: "É", VALIDATE: "V"}
ACTION_IDS = {READ: "r", WRITE: "w", VALIDATE: "v"}


def _row_cells(code: str, row_id: str, metiers, cells, editable: bool) -> SafeString:
    disabled = "" if editable else " disabled"
    parts = []
    for index, (metier, _) in enumerate(metiers):
        granted = cells[metier].get(code)
        for action in ACTIONS:
            css = ' class="m-start"' if action == READ else ""
            if granted is None:
                parts.append(f'<td{css}><span aria-hidden="true">—</span></td>')
                continue
            checked = " checked" if action in granted else ""
            parts.append(
                f'<td{css}><input type="checkbox" name="cell" value="{escape(metier)}:{escape(code)}:{action}" '
                f'aria-labelledby="m{index}{ACTION_IDS[action]} m{index} {row_id}"{checked}{disabled}></td>'
            )
    return mark_safe("".join(parts))  # noqa: S308 - every inserted value is escaped above


def grid(actor, *, editable: bool) -> dict:
    """Headers and rows of the acting user's OG matrix, classes grouped by tier in catalogue order."""
    cells = governance.grid_cells(actor)
    metiers = [(value, label) for value, label in Metier.choices if value in cells]
    codes = {code for row in cells.values() for code in row}
    tiers: dict[str, list] = {tier: [] for tier in TIER_LABELS}
    classes = selectors.document_classes(codes)
    for number, document_class in enumerate(classes):
        row_id = f"k{number}"
        tiers.setdefault(document_class.tier, []).append(
            {
                "code": document_class.code,
                "label": document_class.label,
                "id": row_id,
                "cells": _row_cells(document_class.code, row_id, metiers, cells, editable),
            }
        )
    return {
        "metiers": [{"value": value, "label": label, "id": f"m{n}"} for n, (value, label) in enumerate(metiers)],
        "tiers": [{"label": TIER_LABELS.get(t, t), "classes": c} for t, c in tiers.items() if c],
        "actions": [
            {"letter": ACTION_LETTERS[action], "label": governance.ACTION_LABELS[action], "id": ACTION_IDS[action]}
            for action in ACTIONS
        ],
        "width": 1 + len(metiers) * len(ACTIONS),
    }
