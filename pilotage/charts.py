"""Charts of the dashboards and the annual report, drawn by pygal as self-contained SVG.

The same SVG goes into the page (as a data: image, which the CSP allows, with the figures repeated
in a table for screen readers) and into the PDF (WeasyPrint draws SVG images).
"""

import base64
from dataclasses import dataclass

import pygal
from pygal.style import Style

STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#1f2933",
    foreground_strong="#1f2933",
    foreground_subtle="#6b7280",
    colors=("#1d4ed8", "#9ca3af", "#047857", "#b45309", "#7c3aed", "#be123c"),
    font_family="DejaVu Sans, Arial, sans-serif",
    label_font_size=13,
    major_label_font_size=13,
    legend_font_size=13,
    title_font_size=16,
    value_font_size=12,
)


@dataclass(frozen=True)
class Chart:
    title: str
    svg: str
    rows: list[tuple[str, list]]  # (label, values per series) for the accessible table
    series: list[str]

    @property
    def data_uri(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode()


def _config(title: str, **extra):
    return pygal.Config(
        title=title,
        style=STYLE,
        width=720,
        height=360,
        js=[],  # no remote script: the SVG is an image
        disable_xml_declaration=True,
        print_values=True,
        legend_at_bottom=True,
        truncate_label=-1,
        **extra,
    )


def bars(title: str, labels: list[str], series: dict[str, list], *, horizontal=False) -> Chart:
    chart = (pygal.HorizontalBar if horizontal else pygal.Bar)(_config(title, x_label_rotation=0))
    chart.x_labels = labels
    for name, values in series.items():
        chart.add(name, [v if v is not None else None for v in values])
    rows = [(label, [values[i] for values in series.values()]) for i, label in enumerate(labels)]
    return Chart(title, chart.render(is_unicode=True), rows, list(series))


def line(title: str, labels: list[str], series: dict[str, list]) -> Chart:
    chart = pygal.Line(_config(title, x_label_rotation=30, show_minor_x_labels=True))
    chart.x_labels = labels
    for name, values in series.items():
        chart.add(name, values)
    rows = [(label, [values[i] for values in series.values()]) for i, label in enumerate(labels)]
    return Chart(title, chart.render(is_unicode=True), rows, list(series))
