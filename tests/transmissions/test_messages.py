"""Internal messages and notes de service: sending, expansion, receipts, approval, isolation, screens."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from dui.models import AccessLog, Membership, Metier
from tests.factories import UserFactory, professional
from transmissions.models import Message, MessageKind, MessageRecipient
from transmissions.selectors.messages import (
    access_message,
    inbox_for_user,
    message_receipts,
    sent_by_user,
    unread_messages_count,
)
from transmissions.services.messages import NO_RECIPIENT, message_acknowledge, message_open, message_send


@pytest.fixture
def director(essms):
    return professional(essms, Metier.DIRECTION, first_name="Hélène", last_name="Directrice")


@pytest.fixture
def team(essms):
    """Two aides-soignants, one IDE, one ASH in ESSMS A."""
    return {
        "as1": professional(essms, Metier.AIDE_SOIGNANT, last_name="Aubert"),
        "as2": professional(essms, Metier.AIDE_SOIGNANT, last_name="Bernard"),
        "ide": professional(essms, Metier.IDE, last_name="Chevalier"),
        "ash": professional(essms, Metier.ASH, last_name="Dumont"),
    }


def send(user, **kwargs):
    values = {"subject": "Exercice incendie", "body": "Jeudi à 14 h, rassemblement au jardin."} | kwargs
    return message_send(user, **values)


def recipients_of(message):
    return set(MessageRecipient.objects.filter(message=message).values_list("user_id", flat=True))


# --- Sending ------------------------------------------------------------------------------------


def test_message_to_users_and_metier_is_expanded_once_per_person(director, team):
    message = send(director, users=[team["ide"].pk, team["as1"].pk], metiers=[Metier.AIDE_SOIGNANT])
    assert recipients_of(message) == {team["ide"].pk, team["as1"].pk, team["as2"].pk}
    assert message.audience["metiers"] == [Metier.AIDE_SOIGNANT]
    assert {entry["id"] for entry in message.audience["users"]} == {team["ide"].pk, team["as1"].pk}
    assert message.essms_id == director.membership.essms_id
    assert AccessLog.objects.filter(action="create", object_type="transmissions.message", object_id=str(message.pk))


def test_whole_essms_excludes_sender_partners_ended_and_other_essms(director, team, essms, sibling_essms):
    other = professional(sibling_essms, Metier.AIDE_SOIGNANT)
    ended = professional(essms, Metier.IDE)
    Membership.objects.filter(user=ended).update(ends_at="2000-01-01T00:00:00Z", starts_at="1999-01-01T00:00:00Z")
    partner = UserFactory(is_partner_system=True)
    Membership.objects.create(user=partner, essms=essms, metier=Metier.PARTENAIRE)
    message = send(director, whole_essms=True)
    assert recipients_of(message) == {user.pk for user in team.values()}
    assert other.pk not in recipients_of(message)


def test_a_person_with_two_memberships_in_the_essms_gets_one_row(director, team, essms):
    Membership.objects.create(user=team["ide"], essms=essms, metier=Metier.CADRE_SANTE)
    message = send(director, metiers=[Metier.IDE, Metier.CADRE_SANTE], users=[team["ide"].pk])
    assert recipients_of(message) == {team["ide"].pk}


def test_any_member_sends_a_plain_message(team):
    message = send(team["ash"], users=[team["ide"].pk])
    assert message.kind == MessageKind.MESSAGE
    assert recipients_of(message) == {team["ide"].pk}


def test_note_de_service_by_direction(director, team):
    message = send(director, kind=MessageKind.NOTE_DE_SERVICE, whole_essms=True, requires_ack=True)
    assert (message.kind, message.requires_ack) == (MessageKind.NOTE_DE_SERVICE, True)


@pytest.mark.parametrize(
    ("kwargs", "field", "text"),
    [
        ({"subject": "   "}, "subject", "objet du message est obligatoire"),
        ({"body": ""}, "body", "texte du message est obligatoire"),
        ({"subject": "x" * 201}, "subject", "200 caractères"),
        ({"kind": "tract"}, "kind", "Type de message inconnu"),
        ({"metiers": ["astronaute"]}, "metiers", "Métier inconnu"),
        ({"users": ["abc"]}, "users", "Destinataire inconnu"),
    ],
)
def test_bad_input_writes_nothing(director, team, kwargs, field, text):
    values = {"users": [team["ide"].pk]} | kwargs
    with pytest.raises(ValidationError) as caught:
        send(director, **values)
    assert text in " ".join(caught.value.message_dict[field])
    assert not Message.objects.exists()
    assert not MessageRecipient.objects.exists()


def test_no_recipient_is_refused(director):
    with pytest.raises(ValidationError) as caught:
        send(director)
    assert caught.value.message_dict["recipients"] == [NO_RECIPIENT]
    assert not Message.objects.exists()


def test_only_oneself_or_an_empty_metier_means_no_recipient(director):
    for kwargs in ({"users": [director.pk]}, {"metiers": [Metier.PHARMACIEN]}):
        with pytest.raises(ValidationError, match="Aucun destinataire"):
            send(director, **kwargs)
    assert not Message.objects.exists()


def test_a_user_of_another_essms_is_refused(director, team, sibling_essms):
    outsider = professional(sibling_essms, Metier.IDE)
    with pytest.raises(ValidationError) as caught:
        send(director, users=[team["ide"].pk, outsider.pk])
    assert f"identifiant {outsider.pk}" in caught.value.message_dict["users"][0]
    assert not Message.objects.exists()


@pytest.mark.parametrize("metier", [Metier.AIDE_SOIGNANT, Metier.IDE, Metier.PARTENAIRE, Metier.TECHNIQUE])
def test_note_de_service_by_another_metier_is_refused(essms, team, metier):
    sender = professional(essms, metier)
    with pytest.raises(ValidationError) as caught:
        send(sender, kind=MessageKind.NOTE_DE_SERVICE, users=[team["ide"].pk])
    assert "ne permet pas d'envoyer une note de service" in caught.value.message_dict["kind"][0]
    assert not Message.objects.exists()


def test_without_membership_nothing_is_sent(team):
    user = UserFactory()
    with pytest.raises(PermissionDenied):
        send(user, users=[team["ide"].pk])
    assert not Message.objects.exists()


# --- Reading, receipts, approval ----------------------------------------------------------------


def test_open_is_recorded_the_first_time_only(director, team):
    message = send(director, users=[team["ide"].pk])
    assert message_open(team["ide"], message=message) is True
    first = MessageRecipient.objects.get(message=message).opened_at
    assert message_open(team["ide"], message=message) is False
    assert MessageRecipient.objects.get(message=message).opened_at == first
    # The sender opening it changes nothing.
    assert message_open(director, message=message) is False


def test_acknowledgement(director, team):
    message = send(director, users=[team["ide"].pk], requires_ack=True)
    row = message_acknowledge(team["ide"], message=message)
    assert row.acknowledged_at is not None and row.opened_at is not None
    with pytest.raises(ValidationError, match="déjà approuvé"):
        message_acknowledge(team["ide"], message=message)


def test_acknowledgement_refused_when_not_asked_or_not_a_recipient(director, team):
    message = send(director, users=[team["ide"].pk])
    with pytest.raises(ValidationError, match="ne demande pas"):
        message_acknowledge(team["ide"], message=message)
    asked = send(director, users=[team["ide"].pk], requires_ack=True)
    for user in (director, team["as1"]):
        with pytest.raises(PermissionDenied):
            message_acknowledge(user, message=asked)
    assert not MessageRecipient.objects.filter(acknowledged_at__isnull=False).exists()


def test_receipts_for_the_sender_only(director, team):
    message = send(director, metiers=[Metier.AIDE_SOIGNANT], requires_ack=True)
    message_acknowledge(team["as1"], message=message)
    receipts = message_receipts(director, message=message)
    assert (receipts.total, receipts.opened, receipts.acknowledged) == (2, 1, 1)
    from dui.errors import NotFound

    with pytest.raises(NotFound):
        message_receipts(team["as1"], message=message)


def test_inbox_unread_first_and_unread_count(director, team):
    first = send(director, subject="Premier", users=[team["ide"].pk])
    second = send(director, subject="Second", users=[team["ide"].pk])
    message_open(team["ide"], message=second)
    assert [row.message_id for row in inbox_for_user(team["ide"])] == [first.pk, second.pk]
    assert unread_messages_count(team["ide"]) == 1
    assert unread_messages_count(team["as1"]) == 0


def test_unread_count_is_one_query(director, team, django_assert_num_queries):
    for _ in range(5):
        send(director, users=[team["ide"].pk])
    with django_assert_num_queries(1):
        assert unread_messages_count(team["ide"]) == 5


def test_messages_stay_in_their_essms(director, team, essms, sibling_essms):
    """The same person active in another ESSMS does not see the message there."""
    message = send(director, users=[team["ide"].pk])
    elsewhere = Membership.objects.create(user=team["ide"], essms=sibling_essms, metier=Metier.IDE)
    team["ide"].membership = elsewhere
    assert not inbox_for_user(team["ide"]).exists()
    assert unread_messages_count(team["ide"]) == 0
    from dui.errors import NotFound

    with pytest.raises(NotFound):
        access_message(team["ide"], message.pk)


def test_sent_box_counts(director, team):
    message = send(director, metiers=[Metier.AIDE_SOIGNANT], requires_ack=True)
    message_open(team["as2"], message=message)
    row = sent_by_user(director).get()
    assert (row.recipients_total, row.recipients_opened, row.recipients_acknowledged) == (2, 1, 0)


# --- Screens ------------------------------------------------------------------------------------


def test_compose_page_and_send(client, director, team):
    client.force_login(director)
    page = client.get(reverse("message-compose"))
    assert page.status_code == 200
    assert "Note de service" in page.content.decode()
    response = client.post(
        reverse("message-compose"),
        {
            "kind": MessageKind.NOTE_DE_SERVICE,
            "subject": "Protocole canicule",
            "body": "Hydratation toutes les heures.",
            "requires_ack": "on",
            "metiers": [Metier.AIDE_SOIGNANT],
            "users": [team["ide"].pk],
        },
    )
    message = Message.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("message-detail", args=[message.pk])
    assert recipients_of(message) == {team["as1"].pk, team["as2"].pk, team["ide"].pk}
    detail = client.get(response["Location"]).content.decode()
    assert "Ouvert par 0/3" in detail and "Approuvé par 0/3" in detail
    assert "Note de service envoyée à 3 destinataires." in detail


@pytest.mark.parametrize(
    ("data", "text"),
    [
        ({"subject": "", "body": "x", "whole_essms": "on"}, "L&#x27;objet du message est obligatoire."),
        ({"subject": "x", "body": "  ", "whole_essms": "on"}, "Le texte du message est obligatoire."),
        ({"subject": "x", "body": "y"}, "Aucun destinataire"),
        ({"subject": "x", "body": "y", "users": ["999999"]}, "Destinataire inconnu dans cet établissement."),
    ],
)
def test_compose_bad_input_shows_french_error_and_writes_nothing(client, director, team, data, text):
    client.force_login(director)
    response = client.post(reverse("message-compose"), {"kind": "message", **data})
    assert response.status_code == 200
    assert text in response.content.decode()
    assert not Message.objects.exists()


def test_compose_a_user_of_another_essms_is_refused(client, director, sibling_essms):
    outsider = professional(sibling_essms, Metier.IDE)
    client.force_login(director)
    response = client.post(
        reverse("message-compose"), {"kind": "message", "subject": "x", "body": "y", "users": [outsider.pk]}
    )
    assert "Destinataire inconnu dans cet établissement." in response.content.decode()
    assert not Message.objects.exists()


def test_compose_note_de_service_by_an_aide_soignant_is_refused(client, team):
    client.force_login(team["as1"])
    page = client.get(reverse("message-compose")).content.decode()
    assert 'name="kind" value="message"' in page and "Note de service" not in page
    response = client.post(
        reverse("message-compose"),
        {"kind": MessageKind.NOTE_DE_SERVICE, "subject": "x", "body": "y", "whole_essms": "on"},
    )
    assert "ne permet pas d&#x27;envoyer une note de service" in response.content.decode()
    assert not Message.objects.exists()


def test_recipient_opens_and_approves(client, director, team):
    message = send(director, users=[team["ide"].pk, team["as1"].pk], requires_ack=True)
    client.force_login(team["ide"])
    inbox = client.get(reverse("message-inbox")).content.decode()
    assert "Non lu" in inbox and "À approuver" in inbox and "1 non lu" in inbox
    page = client.get(reverse("message-detail", args=[message.pk])).content.decode()
    assert "J'ai lu et j'approuve" in page
    assert "Lecture par les destinataires" not in page  # receipts are the sender's
    assert MessageRecipient.objects.get(message=message, user=team["ide"]).opened_at is not None
    assert AccessLog.objects.filter(action="read", object_type="transmissions.message", user=team["ide"]).exists()
    response = client.post(reverse("message-acknowledge", args=[message.pk]))
    assert response.status_code == 302
    assert MessageRecipient.objects.get(message=message, user=team["ide"]).acknowledged_at is not None
    again = client.post(reverse("message-acknowledge", args=[message.pk]), follow=True).content.decode()
    assert "déjà approuvé" in again
    client.force_login(director)
    sender_page = client.get(reverse("message-detail", args=[message.pk])).content.decode()
    assert "Ouvert par 1/2" in sender_page and "Approuvé par 1/2" in sender_page
    assert "Pas encore ouvert" in sender_page
    # The sender's reading does not open it for anybody.
    assert MessageRecipient.objects.filter(opened_at__isnull=False).count() == 1


def test_non_recipient_gets_404(client, director, team, sibling_essms):
    message = send(director, users=[team["ide"].pk], requires_ack=True)
    for user in (team["as1"], professional(sibling_essms, Metier.DIRECTION)):
        client.force_login(user)
        assert client.get(reverse("message-detail", args=[message.pk])).status_code == 404
        assert client.post(reverse("message-acknowledge", args=[message.pk])).status_code == 404
    assert not MessageRecipient.objects.filter(opened_at__isnull=False).exists()


def test_sender_acknowledging_own_message_is_404(client, director, team):
    message = send(director, users=[team["ide"].pk], requires_ack=True)
    client.force_login(director)
    assert client.post(reverse("message-acknowledge", args=[message.pk])).status_code == 404


@pytest.mark.parametrize("count", [3, 20])
def test_inbox_and_sent_query_counts_do_not_grow(client, director, team, count, django_assert_max_num_queries):
    for index in range(count):
        send(director, subject=f"Message {index}", users=[team["ide"].pk], kind=MessageKind.NOTE_DE_SERVICE)
        send(team["ide"], subject=f"Réponse {index}", users=[director.pk])
    client.force_login(team["ide"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("message-inbox"))
    assert response.content.decode().count("Note de service</span>") == count
    with django_assert_max_num_queries(12):
        assert client.get(reverse("message-sent")).status_code == 200


def test_pages_without_membership_are_404(client, db):
    client.force_login(UserFactory())
    for name in ("message-inbox", "message-sent", "message-compose"):
        assert client.get(reverse(name)).status_code == 404
