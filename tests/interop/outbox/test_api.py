"""API of the outbox and of the inbox: lists scoped to the ESSMS, retry of a dead letter, filing by usager."""

import pytest

from dui.actor import Actor
from interop.mssante.models import InboxState
from interop.mssante.services import inbox_receive
from interop.outbox import services
from interop.outbox.models import Connector, Delivery, DeliveryState
from tests.factories import professional
from tests.interop.outbox.mails import cr_message


@pytest.fixture
def api(client, secretaire):
    client.force_login(secretaire)
    return client


@pytest.fixture
def dead(dlu_document, secretaire):
    row = services.delivery_queue(Actor(secretaire), document=dlu_document, connector=Connector.DMP)
    Delivery.objects.filter(pk=row.pk).update(state=DeliveryState.DEAD, attempt_count=8, last_error="XDSRepositoryBusy")
    return row


def test_deliveries_listed_with_attempts_and_filters(api, dlu_document, secretaire):
    row = services.delivery_queue(Actor(secretaire), document=dlu_document, connector=Connector.DMP)
    services.delivery_deliver(row.pk)
    answer = api.get(
        "/api/v1/deliveries/", {"usager": dlu_document.usager_id, "state": "delivered", "connector": "dmp"}
    )
    assert answer.status_code == 200, answer.content
    [item] = answer.json()["results"]
    assert item["id"] == row.pk and item["attempts"][0]["outcome"] == "delivered"
    assert api.get("/api/v1/deliveries/", {"state": "pending"}).json()["results"] == []


@pytest.mark.parametrize(("name", "value"), [("state", "perdu"), ("connector", "fax"), ("usager", "abc")])
def test_bad_filters_are_a_french_400(api, name, value):
    answer = api.get("/api/v1/deliveries/", {name: value})
    assert answer.status_code == 400
    assert name in answer.json().get("errors", answer.json()) or name in str(answer.json())


def test_retry_requeues_a_dead_letter(api, dead, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        answer = api.post(f"/api/v1/deliveries/{dead.pk}/retry/")
    assert answer.status_code == 200, answer.content
    dead.refresh_from_db()
    assert dead.state == DeliveryState.DELIVERED  # eager broker in tests: delivered at once


def test_retry_of_a_delivered_row_is_refused(api, dead):
    Delivery.objects.filter(pk=dead.pk).update(state=DeliveryState.DELIVERED)
    answer = api.post(f"/api/v1/deliveries/{dead.pk}/retry/")
    assert answer.status_code == 400 and "Seul un envoi en échec" in answer.content.decode()


def test_other_essms_sees_nothing(client, dead, foreign_essms):
    client.force_login(professional(foreign_essms, "secretaire_medicale"))
    assert client.get("/api/v1/deliveries/").json()["results"] == []
    assert client.get(f"/api/v1/deliveries/{dead.pk}/").status_code == 404
    assert client.post(f"/api/v1/deliveries/{dead.pk}/retry/").status_code == 404


def test_inbox_list_and_file(api, essms, qualified):
    item = inbox_receive(essms, cr_message(), source="imap")
    [row] = api.get("/api/v1/inbox/").json()["results"]
    assert row["id"] == item.pk and row["suggestions"][0]["usager"] == qualified.pk
    answer = api.post(f"/api/v1/inbox/{item.pk}/file/", {"usager": qualified.pk}, content_type="application/json")
    assert answer.status_code == 201, answer.content
    item.refresh_from_db()
    assert item.state == InboxState.FILED


def test_inbox_file_refuses_a_dossier_of_another_essms(api, essms, foreign_essms):
    from tests.factories import UsagerFactory

    item = inbox_receive(essms, cr_message(), source="imap")
    other = UsagerFactory(essms=foreign_essms)
    answer = api.post(f"/api/v1/inbox/{item.pk}/file/", {"usager": other.pk}, content_type="application/json")
    assert answer.status_code == 400 and "Dossier introuvable" in answer.content.decode()
    item.refresh_from_db()
    assert item.state == InboxState.WAITING
