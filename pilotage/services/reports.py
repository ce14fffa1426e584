"""The annual activity report: requested by a director, rendered in the background, then frozen.

Each request makes a new version; a ready report's PDF and figures are never rewritten, so a
later correction of history shows in the next version only.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone

from dui.actor import user_of
from dui.catalogue import WRITE
from dui.models import Essms
from dui.permissions import active_membership, can
from pilotage import charts
from pilotage.indicators import INDICATORS, compute
from pilotage.models import AnnualReport, ReportStatus
from pilotage.periods import Period
from pilotage.scope import Scope

REPORT_METIERS_REFUSED = (
    "Le rapport d'activité est demandé par la direction, la qualité ou l'administration "
    "(droit « Tableaux de bord du siège et rapports annuels » de la matrice d'habilitation)."
)
# Figures of the report: those of the steering catalogue (not the role sets' working lists).
REPORT_CODES = [i.code for i in INDICATORS if i.group not in ("Secrétariat médical",)]


@transaction.atomic
def request_report(actor, *, year, whole_og: bool = False) -> AnnualReport:
    """A new version of the year's report of the active ESSMS (or of its OG), rendered in the background."""
    from pilotage.tasks import generate_annual_report  # tasks import this module

    membership = active_membership(actor)
    if membership is None or not can(actor, WRITE, "pilotage_siege"):
        raise PermissionDenied(REPORT_METIERS_REFUSED)
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationError({"year": "Indiquez une année (ex. 2025)."}) from None
    current = timezone.localdate().year
    if not 2000 <= year <= current:
        raise ValidationError({"year": f"L'année doit être comprise entre 2000 et {current}."})
    essms_id = None if whole_og else membership.essms_id
    og_id = membership.essms.og_id
    last = AnnualReport.objects.filter(og_id=og_id, essms_id=essms_id, year=year).aggregate(v=Max("version"))["v"]
    report = AnnualReport.objects.create(
        og_id=og_id, essms_id=essms_id, year=year, version=(last or 0) + 1, requested_by=user_of(actor)
    )
    transaction.on_commit(lambda: generate_annual_report.delay(report.pk))
    return report


def _essms_ids(report: AnnualReport) -> list[int]:
    if report.essms_id:
        return [report.essms_id]
    return list(Essms.objects.filter(og_id=report.og_id).order_by("name").values_list("pk", flat=True))


def render_report(report_id: int) -> AnnualReport:
    """Compute the year's figures, draw the PDF and freeze both (a ready report is left untouched)."""
    report = AnnualReport.objects.select_related("og", "essms").get(pk=report_id)
    if report.status == ReportStatus.READY:
        return report
    try:
        period = Period(datetime.date(report.year, 1, 1), datetime.date(report.year, 12, 31))
        ids = _essms_ids(report)
        values = compute(Scope(ids, period), REPORT_CODES)
        per_essms = []
        if not report.essms_id:
            names = dict(Essms.objects.filter(pk__in=ids).values_list("pk", "name"))
            occupancy = [compute(Scope([i], period), ["occupancy_rate"])[0].value for i in ids]
            per_essms.append(
                charts.bars("Taux d'occupation par établissement (%)", [names[i] for i in ids],
                            {"Taux d'occupation": occupancy}, horizontal=True)
            )  # fmt: skip
        figure_charts = [
            charts.bars(v.indicator.label, list(v.breakdown), {"Nombre": list(v.breakdown.values())})
            for v in values
            if v.code in ("gir_distribution", "exits") and v.breakdown
        ]
        html = render_to_string(
            "pilotage/report_pdf.html",
            {
                "report": report,
                "title": str(report.essms or report.og),
                "period": period,
                "values": values,
                "charts": per_essms + figure_charts,
                "generated_at": timezone.now(),
            },
        )
        from weasyprint import HTML  # imported here: only the PDF needs Pango

        pdf = HTML(string=html).write_pdf()
        report.figures = {v.code: v.as_dict() for v in values}
        report.file.save(f"{report.year}-v{report.version}.pdf", ContentFile(pdf), save=False)
        report.status = ReportStatus.READY
        report.generated_at = timezone.now()
        report.save(update_fields=["figures", "file", "status", "generated_at"])
    except Exception as error:
        AnnualReport.objects.filter(pk=report.pk).update(status=ReportStatus.FAILED, error=str(error)[:300])
        raise
    return report
