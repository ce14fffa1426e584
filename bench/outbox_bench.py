"""Outbox and inbox throughput on PostgreSQL + Redis: never part of the test suite.

    DATABASE_URL=postgres://…/dui_bench_copy REDIS_URL=redis://127.0.0.1:6379/N python bench/outbox_bench.py

1. The outbox drains N queued documents (default 1,000) to the stub DMP with one Celery worker
   (solo pool, in a thread of this process, real Redis broker): documents per second.
2. The inbox stores and files M received MSSanté messages (default 500; half carry a qualified INS of
   the ESSMS and are filed, half wait "à rapprocher"): messages per second.

It writes a new OG/ESSMS (FINESS 99…) into the database it is given: run it on a copy of the scale
database (`createdb -T dui_bench dui_bench_<name>`), never on dui_bench itself.
"""

import argparse
import datetime
import os
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def luhn(body: str) -> str:
    total = 0
    for index, char in enumerate(reversed(body)):
        digit = int(char) * (2 if index % 2 == 0 else 1)
        total += digit - 9 if digit > 9 else digit
    return body + str((10 - total % 10) % 10)


def world(persons: int):
    from django.core.files.base import ContentFile

    from dui.actor import Actor
    from dui.ins import IdentityStatus, matricule_key
    from dui.models import DmpChannel, Essms, EssmsKind, Membership, Metier, Usager, User
    from dui.pdf_minimal import simple_pdf
    from dui.services import og_create
    from dui.services.dmp import dmp_consent_record
    from dui.services.documents import document_upload

    tag = uuid.uuid4().hex[:6]
    og = og_create(name=f"Banc {tag}", finess_juridique=luhn(f"99{int(tag, 16) % 10**6:06d}"))
    essms = Essms.objects.create(og=og, name=f"EHPAD banc {tag}", finess=luhn(f"98{int(tag, 16) % 10**6:06d}"),
                                 kind=EssmsKind.EHPAD, capacity=persons)  # fmt: skip
    user = User.objects.create(username=f"banc-{tag}", first_name="Banc", last_name="Secrétaire", rpps="10000000001")
    actor = Actor.for_task(user, Membership.objects.create(user=user, essms=essms, metier=Metier.SECRETAIRE_MEDICALE))
    doctor = User.objects.create(username=f"banc-med-{tag}", last_name="Médecin", rpps="10000000002")
    doctor_actor = Actor.for_task(doctor, Membership.objects.create(user=doctor, essms=essms, metier=Metier.MEDECIN))
    pdf = simple_pdf(["Document de liaison d'urgence"])
    documents, people = [], []
    for number in range(persons):
        body = f"2{38 + number % 50:02d}0{1 + number % 9}75{100 + number % 800:03d}{number % 1000:03d}"[:13]
        usager = Usager.objects.create(
            essms=essms, birth_name=f"BANC{number}", first_names="Jeanne", sex="F",
            birth_date=datetime.date(1938, 1, 1) + datetime.timedelta(days=number),
            ins_matricule=body + f"{matricule_key(body):02d}", identity_status=IdentityStatus.QUALIFIEE,
            search_text=f"banc{number} jeanne",
        )  # fmt: skip
        dmp_consent_record(actor, usager=usager, informed_on=datetime.date(2026, 1, 1), informed_how=DmpChannel.ORAL)
        file = ContentFile(pdf + f"%{number}".encode(), name="dlu.pdf")
        documents.append(
            document_upload(
                doctor_actor,
                usager=usager,
                document_class_code="dlu",
                title="DLU",
                document_date=datetime.date(2026, 1, 2),
                file=file,
            )
        )
        people.append(usager)
    return essms, actor, documents, people


def bench_outbox(actor, documents) -> dict:
    from celery.contrib.testing.worker import start_worker
    from django.db import transaction

    from config.celery import app
    from interop.outbox.models import Delivery, DeliveryState
    from interop.outbox.services import delivery_queue, outbox_sweep

    app.conf.task_always_eager = False
    with transaction.atomic():  # queued while no worker runs: the drain alone is measured
        rows = [delivery_queue(actor, document=document, connector="dmp").pk for document in documents]
    outbox_sweep(limit=len(rows) + 10)
    started = time.perf_counter()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30, loglevel="WARNING"):
        while Delivery.objects.filter(pk__in=rows).exclude(state=DeliveryState.DELIVERED).exists():
            time.sleep(0.2)
        elapsed = time.perf_counter() - started
    return {"documents": len(rows), "seconds": round(elapsed, 2), "per_second": round(len(rows) / elapsed, 1)}


def bench_inbox(essms, people, count: int) -> dict:
    sys.path.insert(0, str(ROOT))
    from interop.mssante.models import InboxState
    from interop.mssante.services import inbox_receive
    from tests.interop.outbox.mails import cr_message

    messages = []
    for number in range(count):
        person = people[number % len(people)]
        ins = person.ins_matricule if number % 2 == 0 else ""
        messages.append(cr_message(ins=ins, family=person.birth_name, given="Jeanne", birth=person.birth_date))
    started = time.perf_counter()
    items = [inbox_receive(essms, raw, source="bench") for raw in messages]
    elapsed = time.perf_counter() - started
    filed = sum(1 for item in items if item.state == InboxState.FILED)
    return {"messages": count, "filed": filed, "seconds": round(elapsed, 2), "per_second": round(count / elapsed, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--messages", type=int, default=500)
    args = parser.parse_args()
    setup()
    from django.conf import settings

    if "postgresql" not in settings.DATABASES["default"]["ENGINE"] or not os.environ.get("REDIS_URL"):
        sys.exit("PostgreSQL (DATABASE_URL) et Redis (REDIS_URL) sont nécessaires.")
    essms, actor, documents, people = world(args.documents)
    print("outbox → DMP (bouchon), 1 worker :", bench_outbox(actor, documents))
    print("inbox MSSanté :", bench_inbox(essms, people, args.messages))


if __name__ == "__main__":
    main()
