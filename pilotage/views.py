"""Pages of pilotage: the ESSMS (director) or unit (cadre) dashboard, headquarters' side-by-side
view, their CSV/XLSX exports, the persons behind a figure and the annual reports.

Thin: the period and unit come from the query, every figure from the selectors."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from dui import selectors as dui_selectors
from dui.actor import actor_of
from dui.catalogue import READ
from dui.permissions import can
from pilotage import exports
from pilotage import selectors as pilotage_selectors
from pilotage.indicators import BY_CODE
from pilotage.models import ReportStatus
from pilotage.pathos import NEEDED as PATHOS_CLASSES
from pilotage.pathos import pathos_preparation
from pilotage.periods import KINDS, from_query
from pilotage.services import reports as report_services

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _errors(error: ValidationError) -> list[str]:
    return [m for messages_ in getattr(error, "message_dict", {"": error.messages}).values() for m in messages_]


def _picker(request) -> dict:
    return {
        "kinds": KINDS,
        "kind": request.GET.get("period") or ("custom" if request.GET.get("start") else "month"),
        "anchor": request.GET.get("anchor", ""),
        "start": request.GET.get("start", ""),
        "end": request.GET.get("end", ""),
        "query": request.GET.urlencode(),
    }


@login_required
def board(request):
    actor = actor_of(request)
    context = {"picker": _picker(request), "units": dui_selectors.units_for_user(actor).filter(is_active=True)}
    context["unit_id"] = request.GET.get("unit", "")
    context["may_see_og"] = pilotage_selectors.may_see_og(actor)
    context["may_prepare_pathos"] = all(can(actor, READ, code) for code in PATHOS_CLASSES)
    try:
        period = from_query(request.GET)
        context["board"] = pilotage_selectors.essms_board(actor, period, unit_id=request.GET.get("unit"))
    except ValidationError as error:
        if not pilotage_selectors.may_steer(actor):
            raise
        context["errors"] = _errors(error)
        return render(request, "pilotage/board.html", context, status=400)
    return render(request, "pilotage/board.html", context)


@login_required
def og_board(request):
    actor = actor_of(request)
    context = {"picker": _picker(request)}
    try:
        context["board"] = pilotage_selectors.og_board(actor, from_query(request.GET))
    except ValidationError as error:
        context["errors"] = _errors(error)
        return render(request, "pilotage/og_board.html", context, status=400)
    return render(request, "pilotage/og_board.html", context)


def _export(board, fmt: str) -> HttpResponse:
    name = slugify(f"indicateurs-{board.title}-{board.period.start}-{board.period.end}")
    if fmt == "xlsx":
        response = HttpResponse(exports.as_xlsx(board), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    else:
        response = HttpResponse(exports.as_csv(board), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


@login_required
def board_export(request, fmt: str):
    actor = actor_of(request)
    try:
        period = from_query(request.GET)
        if request.GET.get("scope") == "og":
            board = pilotage_selectors.og_board(actor, period)
        else:
            board = pilotage_selectors.essms_board(actor, period, unit_id=request.GET.get("unit"))
    except ValidationError as error:
        return HttpResponse(" ".join(_errors(error)), status=400, content_type="text/plain; charset=utf-8")
    return _export(board, fmt)


@login_required
def persons(request, code: str):
    actor = actor_of(request)
    context = {"indicator": BY_CODE.get(code), "picker": _picker(request)}
    try:
        period = from_query(request.GET)
        context["period"] = period
        context["usagers"] = pilotage_selectors.persons_behind(actor, code, period, unit_id=request.GET.get("unit"))
    except ValidationError as error:
        context["errors"] = _errors(error)
        return render(request, "pilotage/persons.html", context, status=400)
    return render(request, "pilotage/persons.html", context)


@login_required
def report_list(request):
    actor = actor_of(request)
    if not pilotage_selectors.may_see_og(actor):
        raise PermissionDenied(report_services.REPORT_METIERS_REFUSED)
    context = {"reports": pilotage_selectors.reports_for(actor)[:50], "ready": ReportStatus.READY}
    return render(request, "pilotage/reports.html", context)


@require_POST
@login_required
def report_request(request):
    actor = actor_of(request)
    try:
        report = report_services.request_report(
            actor, year=request.POST.get("year"), whole_og=request.POST.get("scope") == "og"
        )
    except ValidationError as error:
        for message in _errors(error):
            messages.error(request, message)
        return redirect("pilotage-reports")
    messages.success(request, f"{report} demandé : il sera prêt dans quelques secondes.")
    return redirect("pilotage-reports")


@login_required
def report_pdf(request, pk: int):
    report = pilotage_selectors.access_report(actor_of(request), pk)
    if report.status != ReportStatus.READY:
        return redirect("pilotage-reports")
    scope = slugify(str(report.essms or report.og))
    return FileResponse(
        report.file.open("rb"),
        content_type="application/pdf",
        filename=f"rapport-activite-{scope}-{report.year}-v{report.version}.pdf",
    )


@login_required
def pathos_export(request):
    """The coupe PATHOS preparation (XLSX) as of a day (today by default)."""
    raw = request.GET.get("day") or timezone.localdate().isoformat()
    try:
        day = datetime.date.fromisoformat(raw)
    except ValueError:
        return HttpResponse(
            f"« {raw} » n'est pas une date (aaaa-mm-jj).", status=400, content_type="text/plain; charset=utf-8"
        )
    rows = pathos_preparation(actor_of(request), day)
    response = HttpResponse(exports.pathos_xlsx(rows, day), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="preparation-coupe-pathos-{day}.xlsx"'
    return response
