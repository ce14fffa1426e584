"""Demo appointments (past and coming, with transports) and documents (small real PDFs) of a
ward, so that the planning and the dossiers look used. Idempotent: each row is looked up by
its natural key (person + title) before it is created."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dui.models import Appointment, Document, EssmsKind, Membership, Transport, Usager
from dui.pdf_minimal import simple_pdf
from dui.services import documents as document_services
from dui.services import planning as planning_services

# (person index, days from today, hour, title, place, practitioner, transport, booked, accompanied by)
APPOINTMENTS = {
    EssmsKind.EHPAD: [
        (0, -12, 10, "Consultation de cardiologie", "CHU Gabriel-Montpied", "Dr Lambert", Transport.VSL, True, ""),
        (1, -5, 14, "Radiographie de la hanche", "Centre hospitalier de Riom", "", Transport.AMBULANCE, True, ""),
        (2, -2, 9, "Soins dentaires", "Cabinet dentaire des Salins", "Dr Perret", Transport.FAMILLE, False, "sa fille"),
        (0, 3, 11, "Bilan ophtalmologique", "Clinique de la Châtaigneraie", "Dr Aubert", Transport.TAXI, True, ""),
        (3, 6, 15, "Consultation mémoire", "CHU Estaing", "Dr Vidal", Transport.VSL, False, "IDE de l'unité"),
        (4, 1, 10, "Pédicure-podologue", "Dans l'établissement", "Mme Roche", Transport.AUCUN, False, ""),
    ],
    EssmsKind.IME: [
        (0, -9, 16, "Orthophonie", "Cabinet d'orthophonie du centre", "Mme Colin", Transport.ETABLISSEMENT, True, ""),
        (1, -3, 10, "Consultation de neuropédiatrie", "CHU Estaing", "Dr Marchal", Transport.FAMILLE, False, "sa mère"),
        (2, 2, 14, "Bilan de psychomotricité", "CAMSP", "M. Hubert", Transport.ETABLISSEMENT, True, "éducateur"),
        (1, 8, 9, "EEG de contrôle", "CHU Estaing", "Dr Marchal", Transport.AMBULANCE, False, ""),
    ],
}

# (person index, days ago, class code, title, source, lines of the PDF)
DOCUMENTS = {
    EssmsKind.EHPAD: [
        (0, 14, "cr_consultation", "CR consultation cardiologie", "CHU Gabriel-Montpied", [
            "Compte rendu de consultation de cardiologie",
            "Fibrillation atriale connue, bien tolérée. Fréquence cardiaque 72/min.",
            "Poursuite du traitement anticoagulant. Contrôle dans 6 mois.",
        ]),
        (1, 5, "cr_hospitalisation", "CR de passage aux urgences", "Centre hospitalier de Riom", [
            "Passage aux urgences après une chute",
            "Radiographie du bassin : pas de fracture.",
            "Retour en EHPAD avec antalgiques de palier 1 et surveillance de la marche.",
        ]),
        (3, 20, "cr_biologie", "Bilan sanguin", "Laboratoire Bio Dômes", [
            "Numération formule sanguine et ionogramme",
            "Hémoglobine 11,8 g/dL ; créatinine 92 µmol/L ; albumine 33 g/L.",
        ]),
    ],
    EssmsKind.IME: [
        (1, 4, "cr_consultation", "CR neuropédiatrie", "CHU Estaing", [
            "Consultation de neuropédiatrie",
            "Épilepsie partielle, crises espacées sous traitement.",
            "Protocole de crise : midazolam buccal si crise de plus de 5 minutes.",
        ]),
        (0, 30, "bilan_educatif", "Bilan éducatif du trimestre", "IME Les Peupliers", [
            "Bilan éducatif",
            "Progrès en autonomie pour l'habillage ; participe à l'atelier horticulture.",
        ]),
    ],
}  # fmt: skip


def _acting(users: dict, essms, prefix: str, names: tuple[str, ...]):
    for name in names:
        user = users.get(f"{prefix}.{name}")
        membership = Membership.objects.active().filter(user=user, essms=essms).first() if user else None
        if membership is not None:
            user.membership = membership
            return user
    return None


def _people(essms) -> list[Usager]:
    return list(Usager.objects.filter(essms=essms, archived_at__isnull=True).order_by("pk")[:5])


def seed(essms, users: dict) -> int:
    prefix = "ehpad" if essms.kind == EssmsKind.EHPAD else "ime"
    people = _people(essms)
    if not people:
        return 0
    return _appointments(essms, users, prefix, people) + _documents(essms, users, prefix, people)


def _appointments(essms, users, prefix, people) -> int:
    secretary = _acting(users, essms, prefix, ("secretaire_medicale", "cadre_sante", "direction"))
    if secretary is None:
        return 0
    created = 0
    today = timezone.localdate()
    for index, days, hour, title, place, practitioner, transport, booked, with_whom in APPOINTMENTS.get(essms.kind, []):
        usager = people[index % len(people)]
        if Appointment.objects.filter(usager=usager, title=title).exists():
            continue
        day = today + datetime.timedelta(days=days)
        starts_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
        planning_services.appointment_create(
            secretary,
            usager=usager,
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(hours=1),
            title=title,
            place=place,
            practitioner=practitioner,
            transport=transport,
            transport_booked=booked,
            accompanied_by=with_whom,
        )
        created += 1
    return created


def _documents(essms, users, prefix, people) -> int:
    created = 0
    today = timezone.localdate()
    for index, days_ago, code, title, source, lines in DOCUMENTS.get(essms.kind, []):
        usager = people[index % len(people)]
        if Document.objects.filter(usager=usager, title=title).exists():
            continue
        names = ("educateur", "secretaire_medicale") if code.startswith("bilan") else ("secretaire_medicale",)
        author = _acting(users, essms, prefix, names)
        if author is None:
            continue
        file = SimpleUploadedFile(f"{title}.pdf", simple_pdf(lines, title=title), content_type="application/pdf")
        document_services.document_upload(
            author,
            usager=usager,
            document_class_code=code,
            title=title,
            document_date=today - datetime.timedelta(days=days_ago),
            source=source,
            file=file,
        )
        created += 1
    return created
