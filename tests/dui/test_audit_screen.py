import csv
import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from dui.audit import log_access
from dui.models import AccessAction, AccessLog, AppendOnlyError, Channel, Metier
from tests.factories import UsagerFactory, UserFactory, professional

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture(autouse=True)
def _plain_http(settings):
    settings.SECURE_SSL_REDIRECT = False


def add_log(essms, *, username="alice", usager_id=None, at=None, action=AccessAction.READ, channel=Channel.WEB, **kw):
    fields = {
        "username": username,
        "metier": Metier.IDE,
        "essms": essms,
        "action": action,
        "channel": channel,
        "object_type": "dui.usager",
        "object_id": str(usager_id or 0),
        "document_class": "identite",
        "usager_id": usager_id,
        **kw,
    }
    if at is None:
        return AccessLog.objects.create(**fields)
    with time_machine.travel(at, tick=False):
        return AccessLog.objects.create(**fields)


@pytest.fixture
def director(essms):
    return professional(essms, Metier.DIRECTION)


@pytest.fixture
def director_client(client, director):
    client.force_login(director)
    return client


def listed_details(response) -> list[str]:
    return [row["entry"].detail for row in response.context["rows"]]


def read_csv(response) -> list[list[str]]:
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.startswith("\ufeff")
    return list(csv.reader(io.StringIO(content.removeprefix("\ufeff")), delimiter=";"))


# --- Who may see it --------------------------------------------------------------------------


@pytest.mark.parametrize("metier", [Metier.DIRECTION, Metier.DPO, Metier.ADMINISTRATEUR])
def test_governance_metiers_see_the_log(client, essms, metier):
    add_log(essms, detail="lecture du dossier")
    client.force_login(professional(essms, metier))
    response = client.get(reverse("audit-log"))
    assert response.status_code == 200
    assert "lecture du dossier" in response.text
    assert client.get(reverse("audit-log-csv")).status_code == 200


@pytest.mark.parametrize("metier", [Metier.IDE, Metier.SECRETAIRE_MEDICALE, Metier.CADRE_SANTE])
def test_other_metiers_get_403_on_screen_and_export(client, essms, metier):
    add_log(essms, detail="lecture du dossier")
    client.force_login(professional(essms, metier))
    assert client.get(reverse("audit-log")).status_code == 403
    assert client.get(reverse("audit-log-csv")).status_code == 403


def test_user_without_membership_gets_404(client, db):
    client.force_login(UserFactory())
    assert client.get(reverse("audit-log")).status_code == 404
    assert client.get(reverse("audit-log-csv")).status_code == 404


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(reverse("audit-log"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


# --- Screen ----------------------------------------------------------------------------------


def test_only_rows_of_the_active_essms_are_listed(director_client, essms, sibling_essms, foreign_essms):
    add_log(essms, detail="ici")
    add_log(sibling_essms, detail="établissement voisin")
    add_log(foreign_essms, detail="autre organisme")
    response = director_client.get(reverse("audit-log"))
    assert listed_details(response) == ["ici"]
    assert "établissement voisin" not in response.text
    assert "autre organisme" not in response.text


def test_columns_are_rendered_in_french(director_client, essms):
    usager = UsagerFactory(essms=essms, birth_name="LEFEBVRE", first_names="Marthe")
    add_log(
        essms,
        username="camille.ide",
        usager_id=usager.pk,
        action=AccessAction.UPDATE,
        channel=Channel.API,
        document_class="antecedents",
        detail="mise à jour",
        at=datetime.datetime(2025, 3, 10, 14, 5, tzinfo=PARIS),
    )
    text = director_client.get(reverse("audit-log")).text
    for expected in ("10/03/2025 14:05", "camille.ide", "Infirmier(ère) (IDE)", "Modification", "API", "Antécédents"):
        assert expected in text
    assert "LEFEBVRE Marthe" in text
    # The object is named for a human; the internal number stays in the CSV only.
    assert "Dossier usager — LEFEBVRE Marthe" in text
    assert f"dui.usager #{usager.pk}" not in text


def test_filter_by_usager(director_client, essms):
    add_log(essms, usager_id=11, detail="dossier 11")
    add_log(essms, usager_id=12, detail="dossier 12")
    response = director_client.get(reverse("audit-log"), {"usager": 11})
    assert listed_details(response) == ["dossier 11"]


def test_filter_by_username_contains_case_insensitive(director_client, essms):
    add_log(essms, username="marie.dupont", detail="marie")
    add_log(essms, username="paul.martin", detail="paul")
    response = director_client.get(reverse("audit-log"), {"utilisateur": "DUPONT"})
    assert listed_details(response) == ["marie"]


def test_filter_by_action_and_channel(director_client, essms):
    add_log(essms, action=AccessAction.READ, channel=Channel.WEB, detail="lecture web")
    add_log(essms, action=AccessAction.EXPORT, channel=Channel.API, detail="export api")
    add_log(essms, action=AccessAction.EXPORT, channel=Channel.WEB, detail="export web")
    response = director_client.get(reverse("audit-log"), {"action": "export", "canal": "api"})
    assert listed_details(response) == ["export api"]


def test_period_is_inclusive_in_paris_time(director_client, essms):
    # 23:30 in Paris on the 10th is 22:30 UTC; 00:30 on the 11th is 23:30 UTC on the 10th.
    add_log(essms, detail="9 au soir", at=datetime.datetime(2025, 3, 9, 23, 59, tzinfo=PARIS))
    add_log(essms, detail="10 au matin", at=datetime.datetime(2025, 3, 10, 0, 0, tzinfo=PARIS))
    add_log(essms, detail="10 au soir", at=datetime.datetime(2025, 3, 10, 23, 30, tzinfo=PARIS))
    add_log(essms, detail="11 après minuit", at=datetime.datetime(2025, 3, 11, 0, 30, tzinfo=PARIS))
    url = reverse("audit-log")

    response = director_client.get(url, {"debut": "2025-03-10", "fin": "2025-03-10"})
    assert sorted(listed_details(response)) == ["10 au matin", "10 au soir"]

    response = director_client.get(url, {"debut": "2025-03-11"})
    assert listed_details(response) == ["11 après minuit"]

    response = director_client.get(url, {"fin": "2025-03-09"})
    assert listed_details(response) == ["9 au soir"]


def test_inverted_period_is_a_clear_error_and_lists_nothing(director_client, essms):
    add_log(essms, detail="présent")
    response = director_client.get(reverse("audit-log"), {"debut": "2025-03-12", "fin": "2025-03-10"})
    assert response.status_code == 200
    assert "La date de début doit précéder la date de fin." in response.text
    assert listed_details(response) == []


def test_invalid_filter_value_is_reported_not_ignored(director_client, essms):
    add_log(essms, detail="présent")
    response = director_client.get(reverse("audit-log"), {"usager": "abc"})
    assert listed_details(response) == []
    assert "Corrigez les filtres" in response.text
    assert director_client.get(reverse("audit-log-csv"), {"usager": "abc"}).status_code == 400


def test_pagination_keeps_filters(director_client, essms):
    AccessLog.objects.bulk_create(
        [
            AccessLog(
                username="alice",
                essms=essms,
                action=AccessAction.READ,
                channel=Channel.WEB,
                object_type="dui.usager",
                object_id="1",
                detail=f"ligne {n}",
            )
            for n in range(51)
        ]
    )
    add_log(essms, username="bob", detail="bob")
    response = director_client.get(reverse("audit-log"), {"utilisateur": "alice"})
    page = response.context["page"]
    assert len(page.rows) == 50
    assert page.is_first
    assert page.next_cursor
    assert "Accès plus anciens" in response.text
    assert "utilisateur=alice&amp;apres=" in response.text
    response = director_client.get(reverse("audit-log"), {"utilisateur": "alice", "apres": page.next_cursor})
    older = response.context["page"]
    assert [row.detail for row in older.rows] == ["ligne 0"]
    assert not older.next_cursor
    assert "Revenir aux plus récents" in response.text


def test_pages_reach_back_across_months_and_years(director_client, essms, monkeypatch):
    """Rows months and years apart are found window after window, newest first, each exactly once."""
    monkeypatch.setattr("dui.views.audit.PAGE_SIZE", 2)
    now = datetime.datetime.now(tz=ZoneInfo("Europe/Paris"))
    ages = [0, 1, 40, 200, 1500]  # days
    for days in ages:
        add_log(essms, detail=f"il y a {days} jours", at=now - datetime.timedelta(days=days))
    seen, cursor = [], None
    for _ in range(len(ages)):
        params = {"apres": cursor} if cursor else {}
        page = director_client.get(reverse("audit-log"), params).context["page"]
        seen += [row.detail for row in page.rows]
        cursor = page.next_cursor
        if not cursor:
            break
    assert seen == [f"il y a {days} jours" for days in ages]


def test_a_cursor_that_does_not_parse_shows_the_newest_page(director_client, essms):
    add_log(essms, detail="récent")
    for cursor in ("n'importe quoi", "2026-13-45T00:00:00+00:00_12", "2026-01-01T00:00:00_x"):
        page = director_client.get(reverse("audit-log"), {"apres": cursor}).context["page"]
        assert page.is_first
        assert [row.detail for row in page.rows] == ["récent"]


# --- CSV export ------------------------------------------------------------------------------


def test_csv_export_content(director_client, essms):
    usager = UsagerFactory(essms=essms, birth_name="LEFEBVRE", first_names="Marthe")
    add_log(
        essms,
        username="camille.ide",
        usager_id=usager.pk,
        detail="consultation; avec point-virgule",
        at=datetime.datetime(2025, 3, 10, 14, 5, 7, tzinfo=PARIS),
    )
    response = director_client.get(reverse("audit-log-csv"))
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="journal-acces-')
    rows = read_csv(response)
    assert rows[0] == [
        "Date",
        "Utilisateur",
        "Métier",
        "Action",
        "Canal",
        "Objet",
        "Classe",
        "N° usager",
        "Usager",
        "Détail",
        "Adresse IP",
        "Type d'objet",
        "N° objet",
    ]
    assert rows[1] == [
        "10/03/2025 14:05:07",
        "camille.ide",
        "Infirmier(ère) (IDE)",
        "Lecture",
        "Web",
        "Dossier usager — LEFEBVRE Marthe",
        "Identité et état civil (INS)",
        str(usager.pk),
        "LEFEBVRE Marthe",
        "consultation; avec point-virgule",
        "",
        "dui.usager",
        str(usager.pk),
    ]
    assert len(rows) == 2


def test_csv_export_applies_filters_and_never_leaks_other_essms(director_client, essms, sibling_essms, foreign_essms):
    add_log(essms, username="marie.dupont", detail="ici marie")
    add_log(essms, username="paul.martin", detail="ici paul")
    add_log(sibling_essms, username="marie.dupont", detail="voisin marie")
    add_log(foreign_essms, username="marie.dupont", detail="autre organisme marie")

    all_rows = read_csv(director_client.get(reverse("audit-log-csv")))
    assert sorted(row[9] for row in all_rows[1:]) == ["ici marie", "ici paul"]

    filtered = read_csv(director_client.get(reverse("audit-log-csv"), {"utilisateur": "marie"}))
    assert [row[9] for row in filtered[1:]] == ["ici marie"]


def test_csv_export_of_a_period(director_client, essms):
    add_log(essms, detail="avant", at=datetime.datetime(2025, 3, 9, 12, 0, tzinfo=PARIS))
    add_log(essms, detail="pendant", at=datetime.datetime(2025, 3, 10, 23, 59, tzinfo=PARIS))
    rows = read_csv(director_client.get(reverse("audit-log-csv"), {"debut": "2025-03-10", "fin": "2025-03-10"}))
    assert [row[9] for row in rows[1:]] == ["pendant"]


def test_screen_and_export_do_not_write_the_log(director_client, essms):
    add_log(essms, detail="seule ligne")
    director_client.get(reverse("audit-log"))
    b"".join(director_client.get(reverse("audit-log-csv")).streaming_content)
    assert AccessLog.objects.count() == 1


# --- Append-only -----------------------------------------------------------------------------


@pytest.fixture
def superuser_client(client, db):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


def test_superuser_can_view_the_log_in_the_admin(superuser_client, essms):
    entry = add_log(essms, detail="visible")
    assert superuser_client.get(reverse("admin:dui_accesslog_changelist")).status_code == 200
    assert superuser_client.get(reverse("admin:dui_accesslog_change", args=[entry.pk])).status_code == 200


def test_superuser_cannot_change_the_log_in_the_admin(superuser_client, essms):
    entry = add_log(essms, detail="original")
    response = superuser_client.post(
        reverse("admin:dui_accesslog_change", args=[entry.pk]), {"detail": "falsifié", "username": "x"}
    )
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.detail == "original"


def test_superuser_cannot_delete_the_log_in_the_admin(superuser_client, essms):
    entry = add_log(essms, detail="original")
    url = reverse("admin:dui_accesslog_delete", args=[entry.pk])
    assert superuser_client.get(url).status_code == 403
    assert superuser_client.post(url, {"post": "yes"}).status_code == 403
    response = superuser_client.post(
        reverse("admin:dui_accesslog_changelist"), {"action": "delete_selected", "_selected_action": [entry.pk]}
    )
    assert response.status_code in (200, 302)
    assert AccessLog.objects.filter(pk=entry.pk).exists()


def test_superuser_cannot_add_to_the_log_in_the_admin(superuser_client, essms):
    assert superuser_client.get(reverse("admin:dui_accesslog_add")).status_code == 403
    assert superuser_client.post(reverse("admin:dui_accesslog_add"), {"username": "x"}).status_code == 403


def test_queryset_update_and_delete_are_refused(essms):
    add_log(essms, detail="original")
    with pytest.raises(AppendOnlyError):
        AccessLog.objects.filter(essms=essms).update(detail="falsifié")
    with pytest.raises(AppendOnlyError):
        AccessLog.objects.filter(essms=essms).delete()
    assert AccessLog.objects.get().detail == "original"


def test_instance_save_after_create_and_delete_are_refused(essms):
    entry = add_log(essms, detail="original")
    entry.detail = "falsifié"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    assert AccessLog.objects.get().detail == "original"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigger installed on PostgreSQL only")
@pytest.mark.parametrize(
    "sql", ["UPDATE dui_accesslog SET detail = 'falsifié'", "DELETE FROM dui_accesslog"], ids=["update", "delete"]
)
def test_database_refuses_raw_update_and_delete(essms, sql):
    add_log(essms, detail="original")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert AccessLog.objects.get().detail == "original"


def test_the_journal_counts_nothing_and_says_which_page_it_shows(client, essms, usager):
    director = professional(essms, Metier.DIRECTION)
    for _ in range(3):
        log_access(director, AccessAction.READ, usager)
    client.force_login(director)
    body = client.get(reverse("audit-log")).content.decode()
    assert "Les accès les plus récents, du plus récent au plus ancien." in body
    assert "Accès plus anciens</a>" not in body
