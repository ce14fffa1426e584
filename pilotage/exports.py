"""CSV and XLSX of a dashboard: one line per figure (with its previous period), the definitions
on a second sheet (XLSX) or in a last column (CSV). The same Board the page shows, nothing recomputed."""

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from pilotage.indicators import Indicator

FIGURE_HEADER = ["Code", "Indicateur", "Unité", "Valeur", "Numérateur", "Dénominateur"]


def board_table(board) -> tuple[list[str], list[list], list[Indicator]]:
    """(header, rows, indicators) of an ESSMS board or of the OG board."""
    if hasattr(board, "columns"):  # OG: one column per ESSMS, then the total
        header = [
            "Code",
            "Indicateur",
            "Unité",
            *[e.name for e, _ in board.columns],
            "Total organisme",
            "Total période précédente",
        ]
        rows = []
        for i, indicator in enumerate(board.indicators):
            rows.append([indicator.code, indicator.label, indicator.unit,
                         *[values[i].value for _, values in board.columns],
                         board.total[i].value, board.previous_total[i].value])  # fmt: skip
        return header, rows, board.indicators
    header = [*FIGURE_HEADER, "Période précédente", "Écart"]
    rows = [
        [r.indicator.code, r.indicator.label, r.indicator.unit, r.current.value, r.current.numerator,
         r.current.denominator, r.previous.value, r.delta]
        for r in board.rows
    ]  # fmt: skip
    return header, rows, [r.indicator for r in board.rows]


def _period_line(board) -> list[str]:
    return [f"{board.title} — période {board.period.label}"]


def as_csv(board) -> bytes:
    header, rows, indicators = board_table(board)
    definitions = {i.code: i.definition for i in indicators}
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(_period_line(board))
    writer.writerow([*header, "Définition"])
    for row in rows:
        writer.writerow([_cell(v) for v in row] + [definitions[row[0]]])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # BOM: Excel opens the accents right


def _cell(value):
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    return "" if value is None else value


def as_xlsx(board) -> bytes:
    header, rows, indicators = board_table(board)
    book = Workbook()
    sheet = book.active
    sheet.title = "Indicateurs"
    sheet.append(_period_line(board))
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    _widths(sheet, [14, 40, 16] + [14] * (len(header) - 3))
    definitions = book.create_sheet("Définitions")
    definitions.append(["Code", "Indicateur", "Unité", "Définition", "Libellé ANAP"])
    for indicator in indicators:
        definitions.append(
            [indicator.code, indicator.label, indicator.unit, indicator.definition, indicator.anap_label]
        )
    for cell in definitions[1]:
        cell.font = Font(bold=True)
    _widths(definitions, [28, 40, 16, 100, 40])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _widths(sheet, widths):
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width


def pathos_xlsx(rows, day) -> bytes:
    """The coupe PATHOS preparation: one line per person, lists joined by " ; "."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Préparation PATHOS"
    sheet.append([f"Personnes en séjour le {day:%d/%m/%Y}"])
    sheet.append(["Nom", "Prénoms", "Date de naissance", "GIR", "Évalué le", "Antécédents", "Traitements en cours"])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        u = row.usager
        sheet.append([u.used_name or u.birth_name, u.first_names, u.birth_date, row.gir, row.evaluated_on,
                      " ; ".join(row.antecedents), " ; ".join(row.treatments)])  # fmt: skip
    _widths(sheet, [22, 22, 14, 6, 12, 60, 60])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
