import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dui import governance, services
from dui.models import Habilitation, HabilitationChange, Membership, Metier, User
from dui.permissions import can
from tests.factories import professional

ANTECEDENTS_READ = "antecedents:read"


@pytest.fixture(autouse=True)
def _plain_http(settings):
    settings.SECURE_SSL_REDIRECT = False


@pytest.fixture
def admin_user(essms):
    return professional(essms, Metier.ADMINISTRATEUR)


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def cell(og, metier, code) -> Habilitation:
    return Habilitation.objects.select_related("document_class").get(og=og, metier=metier, document_class__code=code)


def current_cells(og, metier) -> list[str]:
    """The posted form of the current matrix row, as the editor renders it."""
    values = []
    for row in Habilitation.objects.filter(og=og, metier=metier).select_related("document_class"):
        values += [f"{row.document_class.code}:{action}" for action in sorted(row.actions())]
    return values


def row_form(og, metier, *, add=(), remove=()) -> dict[str, list[str]]:
    """The form the editor posts for one métier: every class shown, the ticked cells adjusted."""
    codes = list(
        Habilitation.objects.filter(og=og, metier=metier)
        .order_by("document_class__position")
        .values_list("document_class__code", flat=True)
    )
    cells = [v for v in current_cells(og, metier) if v not in remove and v.split(":")[0] not in remove]
    return {"classe": codes, "cell": [*cells, *add]}


def matrix_snapshot(og) -> list[tuple]:
    return list(
        Habilitation.objects.filter(og=og)
        .order_by("pk")
        .values_list("metier", "document_class__code", "can_read", "can_write", "can_validate")
    )


def fresh_request_user(user) -> User:
    """The user as the next request sees it: reloaded, membership resolved again, no cached rights."""
    fresh = User.objects.get(pk=user.pk)
    fresh.membership = Membership.objects.active().select_related("essms__og").get(user=fresh)
    return fresh


def save_url(metier):
    return reverse("habilitation-matrix-save", args=[metier])


# --- Reading ---------------------------------------------------------------------------------


def test_page_without_metier_shows_the_whole_grid_and_offers_one_metier(admin_client, og):
    response = admin_client.get(reverse("habilitation-matrix"))
    assert response.status_code == 200
    assert '<select id="metier" name="metier"' in response.text
    assert "Animateur(rice)" in response.text
    rows = Habilitation.objects.filter(og=og).count()
    assert response.text.count('name="cell"') == rows * 3
    assert f'value="{Metier.ANIMATEUR}:antecedents:read"' in response.text


def test_admin_sees_default_denials_and_grants_with_enabled_checkboxes(admin_client):
    response = admin_client.get(reverse("habilitation-matrix"), {"metier": Metier.ANIMATEUR})
    assert response.status_code == 200
    cells = {
        (c["code"], a["action"]): a["granted"]
        for tier in response.context["tiers"]
        for c in tier["classes"]
        for a in c["actions"]
    }
    assert cells[("antecedents", "read")] is False  # médical: denied to animateurs by default
    assert cells[("habitudes_vie", "read")] is True
    assert cells[("habitudes_vie", "write")] is True
    assert cells[("allergies", "read")] is True
    assert cells[("allergies", "write")] is False
    assert [tier["label"] for tier in response.context["tiers"]][:2] == ["Administratif", "Social"]
    assert "Gouvernance" in response.text
    assert "Enregistrer les modifications" in response.text
    assert " disabled" not in response.text
    assert f'action="{save_url(Metier.ANIMATEUR)}"' in response.text
    assert response.text.count('name="classe"') == len(cells) // 3


def test_direction_reads_the_matrix_without_editing(client, essms):
    client.force_login(professional(essms, Metier.DIRECTION))
    response = client.get(reverse("habilitation-matrix"), {"metier": Metier.IDE})
    assert response.status_code == 200
    assert "Enregistrer les modifications" not in response.text
    assert " disabled" in response.text
    assert "Consultation seule" in response.text


@pytest.mark.parametrize("metier", [Metier.IDE, Metier.ANIMATEUR, Metier.SECRETAIRE_MEDICALE])
def test_metiers_without_the_right_get_403(client, essms, metier):
    client.force_login(professional(essms, metier))
    assert client.get(reverse("habilitation-matrix")).status_code == 403
    assert client.get(reverse("habilitation-matrix"), {"metier": Metier.IDE}).status_code == 403


def test_unknown_metier_is_404(admin_client):
    assert admin_client.get(reverse("habilitation-matrix"), {"metier": "sorcier"}).status_code == 404
    assert admin_client.post(save_url("sorcier"), {"cell": [ANTECEDENTS_READ]}).status_code == 404


# --- Who may write ---------------------------------------------------------------------------


@pytest.mark.parametrize("metier", [Metier.IDE, Metier.DIRECTION, Metier.DPO])
def test_users_who_cannot_write_get_404_on_save(client, essms, og, metier):
    before = matrix_snapshot(og)
    client.force_login(professional(essms, metier))
    response = client.post(save_url(Metier.ANIMATEUR), row_form(og, Metier.ANIMATEUR, add=[ANTECEDENTS_READ]))
    assert response.status_code == 404
    assert matrix_snapshot(og) == before
    assert not HabilitationChange.objects.exists()


def test_save_requires_post(admin_client):
    assert admin_client.get(save_url(Metier.ANIMATEUR)).status_code == 405


# --- Saving ----------------------------------------------------------------------------------


def test_admin_grant_is_audited_and_applies_at_the_next_request(admin_client, admin_user, essms, og):
    animateur = professional(essms, Metier.ANIMATEUR)
    assert not can(animateur, "read", "antecedents")

    response = admin_client.post(
        save_url(Metier.ANIMATEUR), row_form(og, Metier.ANIMATEUR, add=[ANTECEDENTS_READ]), follow=True
    )
    assert response.redirect_chain[-1][0] == f"{reverse('habilitation-matrix')}?metier={Metier.ANIMATEUR}"
    assert "1 case modifiée" in response.text

    change = HabilitationChange.objects.get()
    assert (change.og_id, change.metier, change.document_class.code) == (og.pk, Metier.ANIMATEUR, "antecedents")
    assert (change.action, change.granted, change.changed_by_id) == ("read", True, admin_user.pk)
    assert cell(og, Metier.ANIMATEUR, "antecedents").can_read

    assert can(fresh_request_user(animateur), "read", "antecedents")
    assert "Antécédents" in response.text.split("Historique des modifications")[1]


def test_withdrawing_read_withdraws_write_and_validate(admin_client, og):
    assert cell(og, Metier.IDE, "transmissions").actions() == {"read", "write", "validate"}
    response = admin_client.post(save_url(Metier.IDE), row_form(og, Metier.IDE, remove=["transmissions"]), follow=True)
    assert "3 cases modifiées" in response.text
    assert cell(og, Metier.IDE, "transmissions").actions() == set()
    assert HabilitationChange.objects.count() == 3


def test_granting_write_implies_read(admin_client, og):
    response = admin_client.post(
        save_url(Metier.ANIMATEUR), row_form(og, Metier.ANIMATEUR, add=["antecedents:write"]), follow=True
    )
    assert "2 cases modifiées" in response.text
    assert cell(og, Metier.ANIMATEUR, "antecedents").actions() == {"read", "write"}


def test_only_changed_cells_are_written(admin_client, og):
    before = matrix_snapshot(og)
    response = admin_client.post(save_url(Metier.ANIMATEUR), row_form(og, Metier.ANIMATEUR), follow=True)
    assert "Aucune modification" in response.text
    assert not HabilitationChange.objects.exists()
    assert matrix_snapshot(og) == before


@pytest.mark.parametrize(
    ("bad_value", "message"),
    [
        ("inconnue:read", "Classe de document inconnue : « inconnue »."),
        ("antecedents:delete", "Action inconnue : « delete »"),
        ("antecedents", "Action inconnue"),
    ],
)
def test_invalid_values_are_a_clear_error_and_change_nothing(admin_client, og, bad_value, message):
    before = matrix_snapshot(og)
    response = admin_client.post(
        save_url(Metier.ANIMATEUR), row_form(og, Metier.ANIMATEUR, add=[ANTECEDENTS_READ, bad_value])
    )
    assert response.status_code == 400
    assert "La matrice n'a pas été modifiée" in response.text
    assert message in response.text
    assert matrix_snapshot(og) == before
    assert not HabilitationChange.objects.exists()


def test_admin_cannot_remove_their_own_right_to_edit(admin_client, og):
    before = matrix_snapshot(og)
    form = row_form(og, Metier.ADMINISTRATEUR, remove=["habilitations:write"])
    response = admin_client.post(save_url(Metier.ADMINISTRATEUR), form)
    assert response.status_code == 400
    assert "votre propre métier" in response.text
    assert matrix_snapshot(og) == before


def test_the_whole_form_is_one_transaction(admin_client, og, monkeypatch):
    calls = []
    real_set = services.habilitation_set

    def failing_on_second_cell(actor, **kwargs):
        calls.append(kwargs)
        if len(calls) == 2:
            raise ValidationError("Échec simulé.")
        return real_set(actor, **kwargs)

    monkeypatch.setattr(services, "habilitation_set", failing_on_second_cell)
    before = matrix_snapshot(og)
    form = row_form(og, Metier.ANIMATEUR, add=[ANTECEDENTS_READ, "traitements:read"])
    response = admin_client.post(save_url(Metier.ANIMATEUR), form)
    assert response.status_code == 400
    assert "Échec simulé." in response.text
    assert len(calls) == 2
    assert matrix_snapshot(og) == before
    assert not HabilitationChange.objects.exists()


def test_a_change_in_one_og_does_not_touch_another(admin_client, og, foreign_essms):
    other_og = foreign_essms.og
    other_before = matrix_snapshot(other_og)
    admin_client.post(save_url(Metier.ANIMATEUR), row_form(og, Metier.ANIMATEUR, add=[ANTECEDENTS_READ]))
    assert cell(og, Metier.ANIMATEUR, "antecedents").can_read
    assert matrix_snapshot(other_og) == other_before
    assert not HabilitationChange.objects.filter(og=other_og).exists()

    other_animateur = professional(foreign_essms, Metier.ANIMATEUR)
    assert not can(other_animateur, "read", "antecedents")

    other_client = admin_client.__class__()
    other_client.force_login(professional(foreign_essms, Metier.DIRECTION))
    response = other_client.get(reverse("habilitation-matrix"), {"metier": Metier.ANIMATEUR})
    assert response.context["history"] == []


def test_sibling_essms_of_the_same_og_share_the_matrix(admin_client, og, sibling_essms):
    admin_client.post(save_url(Metier.ANIMATEUR), row_form(og, Metier.ANIMATEUR, add=[ANTECEDENTS_READ]))
    assert can(professional(sibling_essms, Metier.ANIMATEUR), "read", "antecedents")


def test_post_without_the_shown_classes_changes_nothing(admin_client, og):
    before = matrix_snapshot(og)
    response = admin_client.post(save_url(Metier.ANIMATEUR), {"cell": [ANTECEDENTS_READ]})
    assert response.status_code == 400
    assert "Formulaire incomplet" in response.text
    assert matrix_snapshot(og) == before


def test_only_the_shown_classes_are_touched(admin_client, og):
    """A partial form (one class shown) never withdraws rights on the classes it did not show."""
    before = cell(og, Metier.ANIMATEUR, "habitudes_vie").actions()
    response = admin_client.post(save_url(Metier.ANIMATEUR), {"classe": ["antecedents"], "cell": [ANTECEDENTS_READ]})
    assert response.status_code == 302
    assert cell(og, Metier.ANIMATEUR, "antecedents").can_read
    assert cell(og, Metier.ANIMATEUR, "habitudes_vie").actions() == before
    assert HabilitationChange.objects.count() == 1


def test_a_cell_outside_the_shown_classes_is_refused(admin_client, og):
    before = matrix_snapshot(og)
    response = admin_client.post(save_url(Metier.ANIMATEUR), {"classe": ["ppa"], "cell": [ANTECEDENTS_READ]})
    assert response.status_code == 400
    assert "hors du formulaire affiché" in response.text
    assert matrix_snapshot(og) == before


def test_parse_matrix_cells_normalises_implied_read(db):
    assert governance.parse_matrix_cells(["antecedents", "ppa", "dlu"], ["antecedents:validate", "ppa:read"]) == {
        "antecedents": {"read", "validate"},
        "ppa": {"read"},
        "dlu": set(),
    }


# --- The whole grid ------------------------------------------------------------------------------

GRID_SAVE = "habilitation-grid-save"


def grid_form(og, *, add=(), remove=()) -> dict[str, list[str]]:
    """The form the whole grid posts: every métier and class shown, ticked cells adjusted."""
    rows = Habilitation.objects.filter(og=og).select_related("document_class")
    metiers = sorted({row.metier for row in rows})
    codes = sorted({row.document_class.code for row in rows})
    cells = [
        f"{row.metier}:{row.document_class.code}:{action}"
        for row in rows
        for action in sorted(row.actions())
        if f"{row.metier}:{row.document_class.code}:{action}" not in remove
    ]
    return {"metier": metiers, "classe": codes, "cell": [*cells, *add]}


def test_grid_save_changes_several_metiers_each_cell_audited(admin_client, admin_user, og):
    form = grid_form(
        og,
        add=[f"{Metier.ANIMATEUR}:{ANTECEDENTS_READ}", f"{Metier.ASH}:{ANTECEDENTS_READ}"],
    )
    response = admin_client.post(reverse(GRID_SAVE), form, follow=True)
    assert response.status_code == 200
    assert "Matrice enregistrée : 2 cases modifiées." in response.text
    assert cell(og, Metier.ANIMATEUR, "antecedents").can_read
    assert cell(og, Metier.ASH, "antecedents").can_read
    changes = HabilitationChange.objects.filter(og=og)
    assert sorted(changes.values_list("metier", "action", "granted")) == [
        (Metier.ANIMATEUR, "read", True),
        (Metier.ASH, "read", True),
    ]
    assert set(changes.values_list("changed_by", flat=True)) == {admin_user.pk}


def test_grid_save_without_change_writes_nothing(admin_client, og):
    response = admin_client.post(reverse(GRID_SAVE), grid_form(og), follow=True)
    assert "Aucune modification." in response.text
    assert not HabilitationChange.objects.exists()


@pytest.mark.parametrize(
    ("patch", "message"),
    [
        ({"metier": ["sorcier"]}, "Métier inconnu : « sorcier »."),
        ({"metier": []}, "Formulaire incomplet : aucun métier transmis."),
        ({"classe": []}, "Formulaire incomplet : aucune classe de document transmise."),
        ({"cell": ["sorcier:antecedents:read"]}, "Métier inconnu : « sorcier »."),
        ({"cell": ["animateur:potions:read"]}, "Classe de document inconnue : « potions »."),
        ({"cell": ["animateur:antecedents:fly"]}, "Action inconnue : « fly »"),
    ],
)
def test_grid_bad_input_is_a_clear_error_and_changes_nothing(admin_client, og, patch, message):
    before = matrix_snapshot(og)
    form = grid_form(og, add=[f"{Metier.ASH}:{ANTECEDENTS_READ}"])
    if "cell" in patch:
        form["cell"] = [*form["cell"], *patch["cell"]]
    else:
        form.update(patch)
    response = admin_client.post(reverse(GRID_SAVE), form)
    assert response.status_code == 400
    assert "La matrice n'a pas été modifiée" in response.text
    assert message in response.text
    assert matrix_snapshot(og) == before
    assert not HabilitationChange.objects.exists()


def test_grid_cell_of_a_metier_not_shown_is_refused(admin_client, og):
    before = matrix_snapshot(og)
    form = grid_form(og)
    form["metier"] = [m for m in form["metier"] if m != Metier.ASH]
    form["cell"] = [c for c in form["cell"] if not c.startswith(f"{Metier.ASH}:")] + [
        f"{Metier.ASH}:{ANTECEDENTS_READ}"
    ]
    response = admin_client.post(reverse(GRID_SAVE), form)
    assert response.status_code == 400
    assert "hors du formulaire affiché" in response.text
    assert matrix_snapshot(og) == before


def test_grid_is_all_or_nothing_across_metiers(admin_client, og):
    """Removing one's own right to edit fails the whole grid, other métiers' changes included."""
    before = matrix_snapshot(og)
    form = grid_form(
        og,
        add=[f"{Metier.ANIMATEUR}:{ANTECEDENTS_READ}"],
        remove=[f"{Metier.ADMINISTRATEUR}:habilitations:write"],
    )
    response = admin_client.post(reverse(GRID_SAVE), form)
    assert response.status_code == 400
    assert "votre propre métier" in response.text
    assert matrix_snapshot(og) == before
    assert not HabilitationChange.objects.exists()


@pytest.mark.parametrize("metier", [Metier.DIRECTION, Metier.IDE])
def test_grid_save_is_404_for_users_who_cannot_write(client, essms, og, metier):
    client.force_login(professional(essms, metier))
    before = matrix_snapshot(og)
    response = client.post(reverse(GRID_SAVE), grid_form(og, add=[f"{Metier.ASH}:{ANTECEDENTS_READ}"]))
    assert response.status_code in {404}
    assert matrix_snapshot(og) == before


def test_grid_is_read_only_for_direction(client, essms):
    client.force_login(professional(essms, Metier.DIRECTION))
    text = client.get(reverse("habilitation-matrix")).text
    assert 'name="cell"' in text
    assert "disabled" in text
    assert reverse(GRID_SAVE) not in text


def test_grid_save_requires_post(admin_client):
    assert admin_client.get(reverse(GRID_SAVE)).status_code == 405
