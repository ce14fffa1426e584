"""Messages API: inbox, read (marks opened), send, approve; scoped; French 400s."""

import pytest
from django.test import Client
from django.urls import reverse

from dui.models import Metier
from interop.services import api_token_create
from tests.factories import professional
from transmissions.models import Message, MessageKind, MessageRecipient
from transmissions.services.messages import message_send


@pytest.fixture
def director(essms):
    return professional(essms, Metier.DIRECTION)


@pytest.fixture
def ide(essms):
    return professional(essms, Metier.IDE, first_name="Inès", last_name="Durand")


@pytest.fixture
def aide_soignant(essms):
    return professional(essms, Metier.AIDE_SOIGNANT)


def session(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_send_list_read_and_acknowledge(director, ide, aide_soignant):
    sender = session(director)
    response = post(
        sender,
        reverse("api:message-list"),
        {
            "kind": "note_de_service",
            "subject": "Visite de la CPAM",
            "body": "Mardi matin.",
            "requires_ack": True,
            "metiers": ["ide", "aide_soignant"],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["kind"], body["is_sender"], body["recipients_total"]) == ("note_de_service", True, 2)
    assert {row["user"] for row in body["receipts"]} == {ide.pk, aide_soignant.pk}
    message_id = body["id"]

    reader = session(ide)
    inbox = reader.get(reverse("api:message-list")).json()
    assert [row["id"] for row in inbox["results"]] == [message_id]
    assert inbox["results"][0]["opened_at"] is None and inbox["results"][0]["receipts"] is None
    read = reader.get(reverse("api:message-detail", args=[message_id])).json()
    assert read["opened_at"] is not None and read["receipts"] is None and read["is_sender"] is False
    ack = reader.post(reverse("api:message-acknowledge", args=[message_id]))
    assert ack.status_code == 200 and ack.json()["acknowledged_at"] is not None
    again = reader.post(reverse("api:message-acknowledge", args=[message_id]))
    assert again.status_code == 400 and "déjà approuvé" in again.json()["non_field_errors"][0]

    seen = sender.get(reverse("api:message-detail", args=[message_id])).json()
    assert (seen["recipients_opened"], seen["recipients_acknowledged"]) == (1, 1)
    sent = sender.get(reverse("api:message-list"), {"box": "sent"}).json()
    assert sent["results"][0]["recipients_total"] == 2


@pytest.mark.parametrize(
    ("data", "field", "text"),
    [
        ({"subject": "", "body": "x", "whole_essms": True}, "subject", "L'objet du message est obligatoire."),
        ({"body": "x", "whole_essms": True}, "subject", "L'objet du message est obligatoire."),
        ({"subject": "x", "body": "   ", "whole_essms": True}, "body", "Le texte du message est obligatoire."),
        ({"subject": "x", "body": "y"}, "recipients", "Aucun destinataire"),
        ({"subject": "x", "body": "y", "metiers": ["pilote"]}, "metiers", "Métier inconnu"),
        ({"subject": "x", "body": "y", "kind": "tract", "whole_essms": True}, "kind", "Type de message inconnu"),
    ],
)
def test_send_bad_input_is_400_in_french(director, ide, data, field, text):
    response = post(session(director), reverse("api:message-list"), data)
    assert response.status_code == 400
    assert text in " ".join(response.json()[field])
    assert not Message.objects.exists()


def test_recipient_of_another_essms_is_refused(director, sibling_essms):
    outsider = professional(sibling_essms, Metier.IDE)
    data = {"subject": "x", "body": "y", "users": [outsider.pk]}
    response = post(session(director), reverse("api:message-list"), data)
    assert response.status_code == 400
    assert "Destinataire inconnu dans cet établissement" in response.json()["users"][0]
    assert not Message.objects.exists()


def test_note_de_service_by_an_aide_soignant_is_refused(aide_soignant, ide):
    response = post(
        session(aide_soignant),
        reverse("api:message-list"),
        {"kind": "note_de_service", "subject": "x", "body": "y", "users": [ide.pk]},
    )
    assert response.status_code == 400
    assert "note de service" in response.json()["kind"][0]
    assert not Message.objects.exists()


def test_partner_token_may_not_send_a_note_de_service(client, essms, ide):
    _, raw = api_token_create(essms_finess=essms.finess, name="Logiciel RH", scopes="messages.read messages.write")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    data = {"kind": "note_de_service", "subject": "x", "body": "y", "users": [ide.pk]}
    response = client.post(reverse("api:message-list"), data, content_type="application/json", **headers)
    assert response.status_code == 400
    assert "note de service" in response.json()["kind"][0]
    assert not Message.objects.exists()
    # A plain message goes through; the partner account itself is never a recipient.
    data["kind"] = "message"
    assert client.post(reverse("api:message-list"), data, content_type="application/json", **headers).status_code == 201


def test_non_recipient_gets_404_and_nothing_changes(director, ide, aide_soignant, sibling_essms):
    message = message_send(director, subject="x", body="y", users=[ide.pk], requires_ack=True)
    for user in (aide_soignant, professional(sibling_essms, Metier.DIRECTION)):
        client = session(user)
        assert client.get(reverse("api:message-detail", args=[message.pk])).status_code == 404
        assert client.post(reverse("api:message-acknowledge", args=[message.pk])).status_code == 404
        assert client.get(reverse("api:message-list")).json()["results"] == []
    assert not MessageRecipient.objects.filter(opened_at__isnull=False).exists()


def test_sender_cannot_acknowledge_and_bad_box(director, ide):
    message = message_send(director, subject="x", body="y", users=[ide.pk], requires_ack=True)
    client = session(director)
    refused = client.post(reverse("api:message-acknowledge", args=[message.pk]))
    assert refused.status_code == 403 and "destinataire" in refused.json()["detail"]
    assert client.get(reverse("api:message-list"), {"box": "corbeille"}).status_code == 400


@pytest.mark.parametrize("count", [3, 20])
def test_inbox_query_count_does_not_grow(director, ide, count, django_assert_max_num_queries):
    for index in range(count):
        message_send(director, subject=f"M{index}", body="y", users=[ide.pk], kind=MessageKind.MESSAGE)
    client = session(ide)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("api:message-list"))
    assert response.json()["count"] == count
    sender = session(director)
    with django_assert_max_num_queries(10):
        assert len(sender.get(reverse("api:message-list"), {"box": "sent"}).json()["results"]) == count
