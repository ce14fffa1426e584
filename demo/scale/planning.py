"""Scale data: appointments (with transports) and documents of a person, sharing one small real PDF."""

import datetime
import hashlib

from django.core.files.base import ContentFile

from demo.scale.base import _weighted
from demo.scale.profiles import COMMON_DOCUMENTS
from dui.models import Appointment, Document, DocumentVersion, Metier, Transport

DOCUMENT_SOURCES = (
    "CHU Gabriel-Montpied, Clermont-Ferrand", "CHU Estaing, Clermont-Ferrand", "Centre hospitalier de Riom",
    "Clinique de la Châtaigneraie", "Laboratoire Bio Dômes", "MDPH du Puy-de-Dôme", "CPAM du Puy-de-Dôme",
    "Centre hospitalier de Thiers",
)  # fmt: skip

# Documents of a tiny but valid PDF, written once and shared by every generated version.
PDF_BYTES = b"""%PDF-1.4
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R
/Resources << /Font << /F1 5 0 R >> >> >> endobj
4 0 obj << /Length 74 >> stream
BT /F1 14 Tf 72 770 Td (Document genere pour les mesures de volume.) Tj ET
endstream endobj
5 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj
trailer << /Root 1 0 R /Size 6 >>
%%EOF
"""


class PlanningMixin:
    """Part of Generator: the agenda and the documents."""

    def write_pdf(self) -> None:
        storage = DocumentVersion._meta.get_field("file").storage
        sha256 = hashlib.sha256(PDF_BYTES).hexdigest()
        name = f"documents/volume/{sha256[:2]}/{sha256}.pdf"
        if not storage.exists(name):
            name = storage.save(name, ContentFile(PDF_BYTES))
        self.pdf = {"name": name, "sha256": sha256, "size": len(PDF_BYTES)}

    def appointments(self, e, usager, fate, first_admission, last_day) -> None:
        rng, profile = self.rng, e.profile
        if fate in {"waiting", "abandoned"}:
            return
        clerk = self.staff_member(e, Metier.SECRETAIRE_MEDICALE, Metier.ACCUEIL, Metier.IDE)
        moments = []
        past_from = max(first_admission, last_day - datetime.timedelta(days=365))
        for _ in range(rng.randint(0, 4)):
            moments.append(self.day_between(past_from, last_day))
        if fate == "current":
            for _ in range(rng.choices((0, 1, 2), weights=(0.45, 0.4, 0.15))[0]):
                horizon = 7 if rng.random() < 0.6 else 45
                moments.append(self.today + datetime.timedelta(days=rng.randint(0, horizon)))
        for day in moments:
            start = self.at(day, rng.randint(8, 16), rng.choice((0, 15, 30, 45)))
            transport = str(
                _weighted(
                    rng,
                    (
                        (Transport.AUCUN, 0.3),
                        (Transport.VSL, 0.2),
                        (Transport.AMBULANCE, 0.15),
                        (Transport.TAXI, 0.15),
                        (Transport.FAMILLE, 0.1),
                        (Transport.ETABLISSEMENT, 0.1),
                    ),
                )
            )
            title = rng.choice(profile.appointments)
            cancelled = self.at(day - datetime.timedelta(days=2), 9) if rng.random() < 0.05 else None
            self.queue(
                Appointment(
                    essms=e.essms,
                    usager=usager,
                    starts_at=start,
                    ends_at=start + datetime.timedelta(minutes=rng.choice((30, 45, 60, 90))),
                    title=title,
                    place=rng.choice(DOCUMENT_SOURCES[:4]) if rng.random() < 0.6 else f"Cabinet du Dr {self.surname()}",
                    practitioner=f"Dr {self.surname()}",
                    transport=transport,
                    transport_booked=transport not in {Transport.AUCUN, Transport.FAMILLE} and rng.random() < 0.8,
                    accompanied_by=rng.choice(("", "", "Famille", "Aide-soignant(e)", "Éducateur(rice)")),
                    notes=rng.choice(("", "", "À jeun", "Apporter la carte Vitale et les derniers résultats")),
                    cancelled_at=cancelled,
                    created_by=clerk,
                )
            )
            if day < self.today and cancelled is None and rng.random() < 0.3:
                self.document(e, usager, "cr_consultation", day, title, f"Dr {self.surname()}")

    def identity_documents(self, e, usager, first_admission) -> None:
        rng = self.rng
        if usager.identity_proof:
            self.document(e, usager, "piece_identite", first_admission, "Pièce d'identité", "Famille")
        codes = rng.sample(COMMON_DOCUMENTS, rng.randint(0, 2)) + rng.sample(e.profile.documents, rng.randint(0, 2))
        for code in codes:
            day = self.day_between(first_admission, self.today)
            self.document(e, usager, code, day, None, rng.choice(DOCUMENT_SOURCES))

    def document(self, e, usager, code, day, title, source, author=None) -> None:
        document_class = self.classes.get(code)
        if document_class is None:
            return
        rng = self.rng
        author = author or self.staff_member(e, Metier.SECRETAIRE_MEDICALE, Metier.ASSISTANT_DIRECTION, Metier.IDE)
        day = min(day, self.today)
        document = Document(
            essms=e.essms,
            usager=usager,
            document_class=document_class,
            title=f"{title or document_class.label} du {day:%d/%m/%Y}",
            document_date=day,
            source=source,
            created_by=author,
        )
        self.queue(document)
        for number in range(1, 3 if rng.random() < 0.12 else 2):
            self.queue(
                DocumentVersion(
                    document=document,
                    number=number,
                    file=self.pdf["name"],
                    original_name=f"{code}-{day:%Y%m%d}{'-v2' if number > 1 else ''}.pdf",
                    mime_type="application/pdf",
                    size=self.pdf["size"],
                    sha256=self.pdf["sha256"],
                    uploaded_by=author,
                )
            )
