"""seed_demo gives the EHPAD a waiting list in various statuses, one accepted request ready for its pré-admission."""

from io import StringIO

import pytest
from django.core.management import call_command

from admissions.models import AdmissionRequest, Status


@pytest.fixture
def seeded(db):
    call_command("seed_demo", stdout=StringIO())


def test_demo_waiting_list_and_reseeding_adds_nothing(seeded):
    requests = AdmissionRequest.objects.filter(essms__kind="ehpad")
    assert {Status.RECUE, Status.EN_ETUDE, Status.ACCEPTEE, Status.REFUSEE} <= set(
        requests.values_list("status", flat=True)
    )
    accepted = requests.get(birth_name="MOREAU")
    assert accepted.status == Status.ACCEPTEE and accepted.opinions.exists() and accepted.usager_id is None
    assert accepted.documents.count() == 1 and accepted.contacts.count() == 1
    count = AdmissionRequest.objects.count()
    call_command("seed_demo", stdout=StringIO())
    assert AdmissionRequest.objects.count() == count
