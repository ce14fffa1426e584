"""Background work of pilotage: the nightly facts, the recomputation of touched days, the reports."""

import datetime

from celery import shared_task

from pilotage import facts


@shared_task(name="pilotage.nightly_facts")
def nightly_facts() -> int:
    return facts.nightly()


@shared_task(name="pilotage.recompute_touched_facts")
def recompute_touched_facts(essms_id: int, start: str, end: str | None) -> int:
    return facts.recompute_touched(
        essms_id, datetime.date.fromisoformat(start), datetime.date.fromisoformat(end) if end else None
    )


@shared_task(name="pilotage.generate_annual_report")
def generate_annual_report(report_id: int) -> None:
    from pilotage.services.reports import render_report

    render_report(report_id)
