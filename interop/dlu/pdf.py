"""The DLU and fiche de liaison PDFs, rendered by WeasyPrint from self-contained templates
(no request needed: the queued regeneration renders them too)."""

import datetime

from django.template.loader import render_to_string


def render_pdf(template: str, context: dict) -> bytes:
    import weasyprint  # imported here: only the PDF needs Pango

    return weasyprint.HTML(string=render_to_string(template, context)).write_pdf()


def dlu_pdf(data: dict, *, number: int, generated_at, author: str, missing: list[dict]) -> bytes:
    gir = data.get("gir")
    context = {
        "d": data,
        "number": number,
        "generated_at": generated_at,
        "author": author,
        "missing": missing,
        "birth_date": datetime.date.fromisoformat(data["identity"]["birth_date"]),
        "gir_date": datetime.date.fromisoformat(gir["date"]) if gir else None,
    }
    return render_pdf("pdf/dlu.html", context)
