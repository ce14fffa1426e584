"""Curves of the evaluation page as server-rendered SVG: geometry only, the template draws it.

A chart is a time axis (the chosen period), a value axis fitted to the values and the thresholds,
the measured points joined by a line, the grid's thresholds as horizontal lines or a band, and
the same values as a table (shown below the curve for screen readers and on demand).
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

WIDTH, HEIGHT = 360, 190
LEFT, RIGHT, TOP, BOTTOM = 40, 10, 12, 26  # margins inside the viewBox


@dataclass
class Chart:
    key: str
    title: str
    unit: str
    points: list[dict] = field(default_factory=list)  # {x, y, value, at, flag}
    path: str = ""
    lines: list[dict] = field(default_factory=list)  # {y, label, kind}
    bands: list[dict] = field(default_factory=list)  # {y, height, label}
    y_ticks: list[dict] = field(default_factory=list)
    x_ticks: list[dict] = field(default_factory=list)
    summary: str = ""
    width: int = WIDTH
    height: int = HEIGHT
    plot_left: int = LEFT
    plot_right: int = WIDTH - RIGHT
    plot_bottom: int = HEIGHT - BOTTOM
    plot_width: int = WIDTH - LEFT - RIGHT


def fr(value) -> str:
    return f"{value:g}".replace(".", ",") if isinstance(value, float) else str(value)


def _nice_step(span: float) -> float:
    raw = span / 4
    magnitude = 10 ** len(str(int(raw))) / 10 if raw >= 1 else 0.1 if raw >= 0.1 else 0.01
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def build(
    key: str,
    title: str,
    unit: str,
    series: list[tuple[datetime.datetime, float, str]],
    start: datetime.datetime,
    end: datetime.datetime,
    *,
    lines: tuple = (),
    band: tuple | None = None,
) -> Chart:
    """`series`: (moment, value, flag) oldest first; `lines`: (value, label, kind); `band`: (low, high, label)."""
    chart = Chart(key, title, unit)
    values = [value for _at, value, _flag in series]
    marks = [value for value, _label, _kind in lines] + (list(band[:2]) if band else [])
    low, high = min(values + marks), max(values + marks)
    if high - low < 1e-9:
        low, high = low - 1, high + 1
    step = _nice_step(high - low)
    low = (low // step) * step
    high = -((-high) // step) * step
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    seconds = max((end - start).total_seconds(), 1)

    def x_of(moment):
        return round(LEFT + plot_w * (moment - start).total_seconds() / seconds, 1)

    def y_of(value):
        return round(TOP + plot_h * (high - value) / (high - low), 1)

    for moment, value, flag in series:
        at = timezone.localtime(moment)
        chart.points.append({"x": x_of(moment), "y": y_of(value), "value": fr(value), "at": at, "flag": flag})
    chart.path = " ".join(f"{'M' if i == 0 else 'L'}{p['x']} {p['y']}" for i, p in enumerate(chart.points))
    for value, label, kind in lines:
        chart.lines.append({"y": y_of(value), "label": f"{label} ({fr(value)})", "kind": kind})
    if band:
        top, bottom = y_of(band[1]), y_of(band[0])
        chart.bands.append({"y": top, "height": round(bottom - top, 1), "label": band[2]})
    tick = low
    while tick <= high + step / 2:
        chart.y_ticks.append({"y": y_of(tick), "label": fr(round(tick, 2))})
        tick += step
    days = (end - start).days or 1
    for fraction in (0, 0.5, 1):
        moment = start + datetime.timedelta(days=days * fraction)
        chart.x_ticks.append({"x": x_of(moment), "label": timezone.localtime(moment).strftime("%d/%m")})
    last = series[-1]
    chart.summary = (
        f"{len(series)} mesure{'s' if len(series) > 1 else ''} ; dernière : {fr(last[1])} {unit} "
        f"le {timezone.localtime(last[0]):%d/%m/%Y}."
    )
    return chart
