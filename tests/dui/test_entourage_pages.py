"""Entourage pages: grouped contacts, référents, add/end forms, audited reads, constant query count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dui.models import AccessLog, Contact, ContactRole, Metier, Referent
from dui.services.entourage import contact_add, referent_set
from tests.factories import UsagerFactory, professional
from tests.logged import logged_events

RPPS = "10003456789"


@pytest.fixture
def secretaire(essms):
    return professional(essms, Metier.SECRETAIRE_MEDICALE)


def add(user, usager, **fields):
    return contact_add(user, usager=usager, **{"role": ContactRole.FAMILLE, "last_name": "Durand", **fields})


def page_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx)


def test_page_groups_contacts_by_role(client, secretaire, essms, usager):
    add(secretaire, usager, role=ContactRole.PERSONNE_CONFIANCE, last_name="Confiance")
    add(secretaire, usager, role=ContactRole.REPRESENTANT_LEGAL, last_name="Udaf", protection_measure="tutelle")
    add(secretaire, usager, role=ContactRole.AIDANT, last_name="Aidante")
    add(secretaire, usager, role=ContactRole.MEDECIN_TRAITANT, last_name="Roux", rpps=RPPS)
    add(secretaire, usager, role=ContactRole.PROFESSIONNEL_EXTERNE, last_name="Kine")
    referent_set(
        professional(essms, Metier.CADRE_SANTE),
        usager=usager,
        user=professional(essms, Metier.AIDE_SOIGNANT, first_name="Lucie", last_name="Referente"),
        role="referent",
    )
    client.force_login(secretaire)
    response = client.get(reverse("usager-entourage", args=[usager.pk]))
    assert response.status_code == 200
    page = response.context["page"]
    groups = {g.key: [c.last_name for c in g.contacts] for g in page.groups}
    assert groups == {
        "personne_confiance": ["Confiance"],
        "representant_legal": ["Udaf"],
        "famille": ["Aidante"],
        "medecin_traitant": ["Roux"],
        "professionnels": ["Kine"],
    }
    html = response.content.decode()
    assert "Tutelle" in html
    assert "RPPS 10003456789" in html
    assert "Lucie Referente" in html
    assert reverse("contact-add", args=[usager.pk]) in html


def test_page_reads_are_audited_in_bulk(client, secretaire, usager):
    contacts = [add(secretaire, usager, last_name=f"Nom{i}") for i in range(3)]
    last_write = AccessLog.objects.latest("id").pk
    client.force_login(secretaire)
    client.get(reverse("usager-entourage", args=[usager.pk]))
    reads = logged_events(pk__gt=last_write)
    assert {r.action for r in reads} == {"read"}
    ids = {(r.object_type, r.object_id) for r in reads}
    assert ids == {("dui.usager", str(usager.pk))} | {("dui.contact", str(c.pk)) for c in contacts}
    assert {r.channel for r in reads} == {"web"}


def test_query_count_does_not_grow_with_contacts(client, secretaire, usager):
    client.force_login(secretaire)
    url = reverse("usager-entourage", args=[usager.pk])
    add(secretaire, usager)
    few = page_queries(client, url)
    for i in range(12):
        add(secretaire, usager, last_name=f"Nom{i}", role=ContactRole.AIDANT)
    assert page_queries(client, url) == few


def test_ended_contacts_are_not_listed(client, secretaire, usager):
    old = add(secretaire, usager, role=ContactRole.PERSONNE_CONFIANCE, last_name="Ancienne")
    add(secretaire, usager, role=ContactRole.PERSONNE_CONFIANCE, last_name="Nouvelle")
    client.force_login(secretaire)
    html = client.get(reverse("usager-entourage", args=[usager.pk])).content.decode()
    assert "NOUVELLE" in html
    assert "ANCIENNE" not in html
    assert Contact.objects.filter(pk=old.pk).exists()


def test_add_contact_through_the_form(client, secretaire, usager):
    client.force_login(secretaire)
    url = reverse("contact-add", args=[usager.pk])
    assert client.get(url + "?role=medecin_traitant").status_code == 200
    response = client.post(
        url, {"role": "medecin_traitant", "last_name": "Roux", "first_name": "Anne", "rpps": RPPS}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("usager-entourage", args=[usager.pk])
    assert "Médecin traitant ajouté(e)" in response.content.decode()
    assert Contact.objects.get().rpps == RPPS


def test_bad_rpps_through_the_form_shows_the_french_message(client, secretaire, usager):
    client.force_login(secretaire)
    response = client.post(
        reverse("contact-add", args=[usager.pk]), {"role": "medecin_traitant", "last_name": "Roux", "rpps": "123"}
    )
    assert response.status_code == 200
    assert "11 chiffres" in response.content.decode()
    assert not Contact.objects.exists()


def test_representant_legal_without_measure_through_the_form(client, secretaire, usager):
    client.force_login(secretaire)
    response = client.post(reverse("contact-add", args=[usager.pk]), {"role": "representant_legal", "last_name": "X"})
    assert "mesure de protection" in response.content.decode()
    assert not Contact.objects.exists()


def test_edit_and_end_contact(client, secretaire, usager):
    contact = add(secretaire, usager)
    client.force_login(secretaire)
    edit = reverse("contact-edit", args=[usager.pk, contact.pk])
    assert client.get(edit).status_code == 200
    client.post(edit, {"role": "famille", "last_name": "Durand", "phone": "0612345678"})
    assert Contact.objects.get().phone == "0612345678"
    assert client.get(reverse("contact-end", args=[usager.pk, contact.pk])).status_code == 405
    client.post(reverse("contact-end", args=[usager.pk, contact.pk]))
    assert Contact.objects.get().ended_at is not None
    # Ended: no longer reachable.
    assert client.post(reverse("contact-end", args=[usager.pk, contact.pk])).status_code == 404


def test_reader_sees_no_forms_and_cannot_post(client, essms, secretaire, usager):
    contact = add(secretaire, usager, last_name="Durand")
    ide = professional(essms, Metier.IDE)  # entourage: read only
    client.force_login(ide)
    response = client.get(reverse("usager-entourage", args=[usager.pk]))
    html = response.content.decode()
    assert "DURAND" in html
    assert reverse("contact-add", args=[usager.pk]) not in html
    assert client.get(reverse("contact-add", args=[usager.pk])).status_code == 404
    assert client.post(reverse("contact-end", args=[usager.pk, contact.pk])).status_code == 404
    assert client.post(reverse("referent-set", args=[usager.pk]), {"role": "referent"}).status_code == 404
    assert Contact.objects.get().ended_at is None


def test_contact_of_another_dossier_is_404(client, secretaire, essms, usager):
    other = UsagerFactory(essms=essms)
    contact = add(secretaire, other)
    client.force_login(secretaire)
    assert client.post(reverse("contact-end", args=[usager.pk, contact.pk])).status_code == 404
    assert client.get(reverse("contact-edit", args=[usager.pk, contact.pk])).status_code == 404


def test_archived_dossier_shows_no_forms_and_refuses_posts(client, secretaire, usager):
    add(secretaire, usager)
    usager.archived_at = timezone.now()
    usager.save()
    client.force_login(secretaire)
    html = client.get(reverse("usager-entourage", args=[usager.pk])).content.decode()
    assert "lecture seule" in html
    assert reverse("contact-add", args=[usager.pk]) not in html
    response = client.post(reverse("contact-add", args=[usager.pk]), {"role": "famille", "last_name": "Neuf"})
    assert response.status_code == 404
    assert Contact.objects.count() == 1


def test_referent_set_through_the_form(client, essms, usager, sibling_essms):
    cadre = professional(essms, Metier.CADRE_SANTE)
    colleague = professional(essms, Metier.EDUCATEUR, first_name="Noé", last_name="Educ")
    outsider = professional(sibling_essms, Metier.EDUCATEUR)
    client.force_login(cadre)
    url = reverse("referent-set", args=[usager.pk])
    page = client.get(url)
    assert "Noé Educ" in page.content.decode()
    # A professional of another ESSMS is not even offered: the form refuses them.
    response = client.post(url, {"role": "referent", "user": outsider.pk})
    assert response.status_code == 200
    assert not Referent.objects.exists()
    response = client.post(url, {"role": "suppleant", "user": colleague.pk}, follow=True)
    assert "Suppléant désigné(e)" in response.content.decode()
    assert Referent.objects.get().user == colleague


def test_ash_sees_entourage_but_a_technicien_does_not_see_the_dossier(client, essms, secretaire, usager):
    add(secretaire, usager, last_name="Visible")
    client.force_login(professional(essms, Metier.ASH))
    assert "VISIBLE" in client.get(reverse("usager-entourage", args=[usager.pk])).content.decode()
    client.force_login(professional(essms, Metier.TECHNIQUE))
    assert client.get(reverse("usager-entourage", args=[usager.pk])).status_code == 404


def test_outsider_gets_404(client, sibling_essms, usager):
    client.force_login(professional(sibling_essms, Metier.DIRECTION))
    assert client.get(reverse("usager-entourage", args=[usager.pk])).status_code == 404
    assert not AccessLog.objects.exists()
