"""The pages: dossier's sendings and DMP information, the "Envois" screen, the MSSanté queue."""

import datetime
import html

from dui.actor import Actor
from dui.models import DmpConsent
from interop.mssante.models import InboxState
from interop.mssante.services import inbox_receive
from interop.outbox import services
from interop.outbox.models import Connector, Delivery, DeliveryState
from tests.interop.outbox.mails import cr_message


def test_dossier_page_sends_and_refuses_with_a_reason(client, secretaire, dlu_document):
    client.force_login(secretaire)
    url = f"/usagers/{dlu_document.usager_id}/envois/"
    assert client.get(url).status_code == 200
    answer = client.post(
        f"{url}envoyer/",
        {"document": dlu_document.pk, "connector": "mssante", "recipient": "dr@gmail.com", "confidentiality": "N"},
    )
    assert answer.status_code == 400 and "adresse de messagerie sécurisée" in answer.content.decode()
    assert not Delivery.objects.exists()
    answer = client.post(f"{url}envoyer/", {"document": dlu_document.pk, "connector": "dmp", "confidentiality": "R",
                                           "masking": ["MASQUE_PS"]})  # fmt: skip
    assert answer.status_code == 302
    assert Delivery.objects.get().masking == "MASQUE_PS"


def test_dmp_opposition_recorded_from_the_dossier(client, secretaire, informed):
    client.force_login(secretaire)
    url = f"/usagers/{informed.pk}/envois/dmp/"
    bad = client.post(url, {"informed_on": "2026-01-05", "informed_how": "oral", "opposed": "on"})
    assert bad.status_code == 400 and "date de l'opposition" in html.unescape(bad.content.decode())
    good = client.post(url, {"informed_on": "2026-01-05", "informed_how": "oral", "opposed": "on",
                             "opposed_on": "2026-02-01", "opposed_how": "ecrit"})  # fmt: skip
    assert good.status_code == 302
    consent = DmpConsent.objects.get(usager=informed)
    assert consent.opposed and consent.opposed_on == datetime.date(2026, 2, 1)
    assert "s'oppose à l'alimentation" in html.unescape(client.get(f"/usagers/{informed.pk}/envois/").content.decode())


def test_envois_screen_filters_and_renvoyer(client, secretaire, dlu_document):
    row = services.delivery_queue(Actor(secretaire), document=dlu_document, connector=Connector.DMP)
    Delivery.objects.filter(pk=row.pk).update(state=DeliveryState.DEAD)
    client.force_login(secretaire)
    page = client.get("/envois/", {"state": "dead", "connector": "dmp"}).content.decode()
    assert "Renvoyer" in page and dlu_document.title in page
    assert dlu_document.title not in client.get("/envois/", {"state": "delivered"}).content.decode()
    assert "précède" in client.get("/envois/", {"start": "2026-03-02", "end": "2026-03-01"}).content.decode()
    client.post(f"/envois/{row.pk}/renvoyer/")
    row.refresh_from_db()
    assert row.state in (DeliveryState.PENDING, DeliveryState.DELIVERED)


def test_inbox_queue_files_in_one_click(client, secretaire, essms, qualified):
    item = inbox_receive(essms, cr_message(), source="imap")
    client.force_login(secretaire)
    page = client.get("/messagerie/a-rapprocher/").content.decode()
    assert "Classer chez" in page
    client.post(f"/messagerie/a-rapprocher/{item.pk}/classer/", {"usager": qualified.pk})
    item.refresh_from_db()
    assert item.state == InboxState.FILED


def test_document_page_shows_where_it_went(client, secretaire, dlu_document):
    row = services.delivery_queue(Actor(secretaire), document=dlu_document, connector=Connector.DMP)
    services.delivery_deliver(row.pk)
    client.force_login(secretaire)
    page = html.unescape(client.get(f"/usagers/{dlu_document.usager_id}/documents/{dlu_document.pk}/").content.decode())
    assert "DMP : Envoyé le" in page
