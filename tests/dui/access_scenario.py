"""A short care session replayed by the "no lost access event" test.

A nurse opens the active file, the feed, the worklist, a dossier page and a document, then a partner
lists transmissions through the API. `natural_events()` turns the logged events into comparable
tuples: database ids are replaced by the rank of the object among the scenario's objects of that
type (creation order), so the fixture holds no id that depends on the database or the test order.
"""

import datetime
import re
from collections import Counter

from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from dui import access_events
from dui.models import AccessLog, Metier
from dui.services.documents import document_upload
from soins.services import care as care_services
from tests.dui.test_documents import PDF, upload
from tests.factories import UnitFactory, professional
from tests.soins import factories_care as care
from tests.transmissions.test_feed import write

SHIFT_IN_DETAIL = re.compile(r"liste de soins \w+ du \d\d/\d\d/\d{4}")
PEOPLE = ("ARNAUD", "BLANC", "CHEVALIER", "DUMONT")


def run_session(client, essms):
    """Build the data (unlogged setup is wiped from the comparison by `start`) and replay the views."""
    from dui.shifts import shift_at

    unit = UnitFactory(essms=essms, name="Unité Tilleul")
    cadre = professional(essms, Metier.CADRE_SANTE, username="cadre.scenario")
    nurse = professional(essms, Metier.IDE, username="ide.scenario")
    shift = shift_at(timezone.now())
    people = []
    for name in PEOPLE:
        person = care.placed_person(essms, unit, cadre, name=name, room=name[:3])
        care.plan(cadre, person, "Toilette complète", poste=shift.poste)
        people.append(person)
    care_services.occurrences_generate_for_shift(essms, shift)
    for hours, person in enumerate(people, start=1):
        write(nurse, usager=person, hours_ago=hours, narrative=f"Observation {person.birth_name}")
    secretary = professional(essms, Metier.SECRETAIRE_MEDICALE, username="secretaire.scenario")
    document = document_upload(
        secretary,
        usager=people[0],
        document_class_code="cr_hospitalisation",
        title="CR hospitalisation",
        document_date=timezone.localdate() - datetime.timedelta(days=2),
        source="CHU",
        file=upload(PDF),
    )
    start = AccessLog.objects.order_by("-id").values_list("id", flat=True).first() or 0
    client.force_login(nurse)
    pages = [
        (reverse("active-file"), {"unite": unit.pk}),
        (reverse("transmission-feed"), {}),
        (reverse("worklist"), {"unite": unit.pk, "poste": shift.poste, "date": shift.date}),
        (reverse("usager-detail", args=[people[1].pk]), {}),
        (reverse("usager-documents", args=[people[0].pk]), {}),
        (reverse("document-detail", args=[people[0].pk, document.pk]), {}),
        (reverse("document-download", args=[people[0].pk, document.pk]), {}),
        ("/api/v1/transmissions/", {}),
    ]
    for url, params in pages:
        response = client.get(url, params)
        assert response.status_code == 200, url
    return start


def _ranks(object_type: str) -> dict[str, int]:
    """Rank of each id among all the rows of that model (creation order) – stable across databases."""
    model = apps.get_model(object_type)
    pks = list(model.objects.order_by("pk").values_list("pk", flat=True))
    return {str(pk): rank for rank, pk in enumerate(pks, start=1)}


def natural_events(after_id: int) -> Counter:
    """The multiset of logical events logged after row `after_id`, with ids replaced by ranks."""
    events = list(access_events.logical_events(AccessLog.objects.filter(id__gt=after_id)))
    ranks = {kind: _ranks(kind) for kind in {event.object_type for event in events} | {"dui.usager"}}
    result = Counter()
    for event in events:
        result[
            (
                event.username,
                event.metier,
                event.object_type,
                ranks[event.object_type].get(event.object_id, event.object_id),
                event.document_class,
                ranks["dui.usager"].get(str(event.usager_id)) if event.usager_id else None,
                event.action,
                event.channel,
                SHIFT_IN_DETAIL.sub("liste de soins <poste>", event.detail),
                event.ip,
                event.essms_id is not None,
            )
        ] += 1
    return result
