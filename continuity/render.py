"""The pack's two files: the PDF (WeasyPrint, each person's DLU first page appended with pypdf) and
the CSV (one line per person × item, `;` and a BOM so that Excel opens it as UTF-8)."""

from __future__ import annotations

import csv
import io

from django.template.loader import render_to_string
from pypdf import PdfReader, PdfWriter

from continuity.content import Line, PackContent, PersonSection


def pack_pdf(content: PackContent) -> bytes:
    from weasyprint import HTML  # imported here: only the PDF needs Pango

    html = render_to_string("pdf/continuity_pack.html", {"pack": content, "essms": content.unit.essms})
    document = HTML(string=html).render()
    # The page each person's section ends on: where their DLU page goes.
    ends: dict[int, int] = {}
    for number, page in enumerate(document.pages):
        for anchor in page.anchors:
            if anchor.startswith("end-"):
                ends[int(anchor[4:])] = number
    main = PdfReader(io.BytesIO(document.write_pdf()))
    dlu_after: dict[int, list[PersonSection]] = {}
    for person in content.persons:
        if person.dlu_file and person.usager.pk in ends:
            dlu_after.setdefault(ends[person.usager.pk], []).append(person)
    writer = PdfWriter()
    for number, page in enumerate(main.pages):
        writer.add_page(page)
        for person in dlu_after.get(number, []):
            first = _dlu_first_page(person)
            if first is not None:
                writer.add_page(first)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _dlu_first_page(person: PersonSection):
    """Page 1 of the stored DLU; None when the file is missing or damaged (the section still says where)."""
    try:
        with person.dlu_file.open("rb") as handle:
            reader = PdfReader(io.BytesIO(handle.read()))
            return reader.pages[0] if reader.pages else None
    except Exception:  # pypdf raises many types on damaged files; the pack must still be made
        return None


CSV_HEADER = (
    "Unité", "Chambre", "Nom", "Prénoms", "Date de naissance", "INS", "Rubrique", "Date et heure", "Libellé", "Détail",
)  # fmt: skip


def pack_csv(content: PackContent) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for person in content.persons:
        usager = person.usager
        ident = (content.unit.name, person.room, str(usager), usager.first_names, f"{usager.birth_date:%d/%m/%Y}",
                 person.ins)  # fmt: skip

        def row(rubric: str, line: Line, ident=ident) -> None:
            writer.writerow((*ident, rubric, line.time_label, line.label, line.detail))

        for line in person.allergies or []:
            row("Allergie", line)
        if person.allergies == [] and person.no_known_allergy:
            row("Allergie", Line("Aucune allergie connue"))
        for line in person.treatments or []:
            row("Traitement en cours", line)
        for line in person.doses:
            row("Médicament 24 h", line)
        for line in person.care:
            row("Soin 24 h", line)
        for line in person.appointments:
            row("Rendez-vous", line)
        dlu = f"DLU du {person.dlu_date:%d/%m/%Y} (page 1 dans le PDF)" if person.dlu_file else "Pas de DLU enregistré"
        row("DLU", Line(dlu))
    return ("\ufeff" + out.getvalue()).encode("utf-8")
