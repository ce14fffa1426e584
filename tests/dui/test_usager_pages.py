from django.urls import reverse

from dui.models import AccessLog, Metier
from tests.factories import UsagerFactory, professional
from tests.logged import logged_events


def test_list_shows_own_dossiers_and_logs_each_read_in_one_query(
    client, essms, foreign_essms, django_assert_max_num_queries
):
    UsagerFactory.create_batch(3, essms=essms)
    UsagerFactory(essms=foreign_essms, birth_name="ETRANGER")
    client.force_login(professional(essms, Metier.AIDE_SOIGNANT))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("usager-list"))
    assert response.status_code == 200
    assert b"ETRANGER" not in response.content
    assert len(logged_events(action="read", object_type="dui.usager")) == 3


def test_search_by_name(client, essms):
    UsagerFactory(essms=essms, birth_name="BERTRAND")
    UsagerFactory(essms=essms, birth_name="MOREAU")
    client.force_login(professional(essms))
    response = client.get(reverse("usager-list"), {"q": "bert"})
    assert b"BERTRAND" in response.content
    assert b"MOREAU" not in response.content


def test_detail_is_audited(client, essms, usager):
    user = professional(essms, Metier.IDE)
    client.force_login(user)
    response = client.get(reverse("usager-detail", args=[usager.pk]))
    assert response.status_code == 200
    log = AccessLog.objects.exclude(detail="bandeau patient").get()  # the banner's reads: test_banner.py
    assert (log.user, log.metier, log.essms, log.usager_id, log.channel) == (user, "ide", essms, usager.pk, "web")


def test_detail_refused_by_the_matrix_is_404(client, essms, usager):
    client.force_login(professional(essms, Metier.TECHNIQUE))
    assert client.get(reverse("usager-detail", args=[usager.pk])).status_code == 404
    assert not AccessLog.objects.exists()


def test_dossier_page_shows_only_readable_sections_with_constant_queries(
    client, essms, usager, django_assert_max_num_queries
):
    planning = reverse("usager-planning", args=[usager.pk])
    client.force_login(professional(essms, Metier.ANIMATEUR))
    with django_assert_max_num_queries(14):
        body = client.get(reverse("usager-detail", args=[usager.pk])).content.decode()
    assert planning not in body  # rendez_vous is closed to animation by default
    assert reverse("usager-life", args=[usager.pk]) in body
    assert "Modifier l'identité" not in body
    client.force_login(professional(essms, Metier.IDE))
    assert planning in client.get(reverse("usager-detail", args=[usager.pk])).content.decode()


def test_unqualified_matricule_is_not_shown(client, essms):
    usager = UsagerFactory(essms=essms, ins_matricule="255081416802538", identity_status="RECUP")
    client.force_login(professional(essms, Metier.IDE))
    body = client.get(reverse("usager-detail", args=[usager.pk])).content.decode()
    assert "255081416802538" not in body
    assert "non communicable" in body


def test_qualified_matricule_is_shown(client, essms):
    usager = UsagerFactory(essms=essms, ins_matricule="255081416802538", identity_status="QUAL")
    client.force_login(professional(essms, Metier.IDE))
    assert "255081416802538" in client.get(reverse("usager-detail", args=[usager.pk])).content.decode()


def test_archived_dossier_is_greyed_and_read_only(client, essms):
    from django.utils import timezone

    usager = UsagerFactory(essms=essms, archived_at=timezone.now())
    client.force_login(professional(essms, Metier.SECRETAIRE_MEDICALE))
    body = client.get(reverse("usager-detail", args=[usager.pk])).content.decode()
    assert "dossier-archived" in body
    assert "consultation seule" in body
    assert "Modifier l'identité" not in body


def test_dossier_page_queries_do_not_grow_with_the_dossier(client, essms):
    """The same number of queries for an empty dossier and one with many rows in every section."""
    import datetime

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dui.models import Allergy, Antecedent, Contact, Treatment

    director = professional(essms, Metier.MEDECIN)
    client.force_login(director)
    empty, full = UsagerFactory(essms=essms), UsagerFactory(essms=essms)
    for n in range(10):
        common = {"essms": essms, "usager": full, "created_by": director}
        Antecedent.objects.create(label=f"Antécédent {n}", year=2000 + n, **common)
        Allergy.objects.create(substance=f"Allergène {n}", **common)
        Treatment.objects.create(line=f"Traitement {n}", started_on=datetime.date(2024, 1, 1), **common)
        Contact.objects.create(essms=essms, usager=full, role="famille", last_name=f"Proche{n}")
    counts = []
    for usager in (empty, full):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("usager-detail", args=[usager.pk])).status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1]


def test_dossier_page_offers_the_writing_shortcuts_the_matrix_allows(client, essms, usager):
    client.force_login(professional(essms, Metier.AIDE_SOIGNANT))
    body = client.get(reverse("usager-detail", args=[usager.pk])).content.decode()
    assert f"{reverse('transmission-create')}?usager={usager.pk}" in body
    assert f"{reverse('event-create', args=['chute'])}?usager={usager.pk}" in body
    client.force_login(professional(essms, Metier.ANIMATEUR))
    body = client.get(reverse("usager-detail", args=[usager.pk])).content.decode()
    assert reverse("transmission-create") not in body


def test_list_cards_show_initials_unit_and_room(client, essms, unit):
    from tests.soins import factories_care as care

    cadre = professional(essms, Metier.CADRE_SANTE)
    placed = UsagerFactory(essms=essms, birth_name="Bertrand", first_names="Alice")
    care.place(placed, unit, cadre, room="12B")
    UsagerFactory(essms=essms, birth_name="Moreau", first_names="Louis")
    client.force_login(professional(essms))
    text = client.get(reverse("usager-list")).text
    assert '<span class="af-avatar" aria-hidden="true">AB</span>' in text
    assert "Unité Glycine · Chambre 12B" in text
    assert "BERTRAND Alice" in text
    assert "MOREAU Louis" in text
    assert 'type="search" id="q"' in text
