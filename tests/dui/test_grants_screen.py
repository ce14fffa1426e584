import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from dui import governance
from dui.models import AccessAction, AccessLog, Metier, UsagerGrant
from dui.permissions import can, has_active_grant
from dui.services import usager_grant_create
from tests.factories import MembershipFactory, UsagerFactory, UserFactory, professional


@pytest.fixture(autouse=True)
def _plain_http(settings):
    settings.SECURE_SSL_REDIRECT = False


@pytest.fixture
def director(essms):
    return professional(essms, Metier.DIRECTION)


@pytest.fixture
def director_client(client, director):
    client.force_login(director)
    return client


@pytest.fixture
def colleague(sibling_essms):
    """A doctor of another ESSMS of the same OG."""
    return professional(sibling_essms, Metier.MEDECIN, username="dr.martin")


def local_input(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def form_data(target, **overrides):
    data = {
        "usager": target.pk,
        "grantee": "dr.martin",
        "expires_at": local_input(timezone.now() + datetime.timedelta(days=7)),
        "reason": "Consultation conjointe",
    }
    data.update(overrides)
    return data


def grant(acting_user, usager, grantee, *, days=7, write=False):
    return usager_grant_create(
        acting_user,
        usager=usager,
        grantee=grantee,
        expires_at=timezone.now() + datetime.timedelta(days=days),
        reason="Suivi partagé",
        write=write,
    )


# --- Who may see it --------------------------------------------------------------------------


@pytest.mark.parametrize("metier", [Metier.DIRECTION, Metier.SECRETAIRE_MEDICALE, Metier.ACCUEIL])
def test_identity_validators_see_the_screens(client, essms, metier):
    client.force_login(professional(essms, metier))
    assert client.get(reverse("grant-list")).status_code == 200
    assert client.get(reverse("grant-create")).status_code == 200


@pytest.mark.parametrize("metier", [Metier.IDE, Metier.MEDECIN, Metier.ADMINISTRATEUR, Metier.DPO])
def test_other_metiers_get_403(client, essms, usager, colleague, metier):
    existing = grant(professional(essms, Metier.DIRECTION), usager, colleague)[0]
    client.force_login(professional(essms, metier))
    assert client.get(reverse("grant-list")).status_code == 403
    assert client.get(reverse("grant-create")).status_code == 403
    assert client.post(reverse("grant-create"), form_data(usager)).status_code == 403
    # A grant is looked up among those the user may manage: without the right, none exists (404).
    assert client.post(reverse("grant-revoke", args=[existing.pk])).status_code == 404
    existing.refresh_from_db()
    assert existing.expires_at > timezone.now()


# --- List ------------------------------------------------------------------------------------


def test_list_shows_active_grants_of_the_active_essms_only(director_client, director, essms, sibling_essms, colleague):
    here = UsagerFactory(essms=essms, birth_name="LEFEBVRE", first_names="Marthe")
    expired_usager = UsagerFactory(essms=essms, birth_name="EXPIRE", first_names="Paul")
    there = UsagerFactory(essms=sibling_essms, birth_name="VOISIN", first_names="Anne")
    grant(director, here, colleague)
    old = grant(director, expired_usager, colleague)[0]
    UsagerGrant.objects.filter(pk=old.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    grant(professional(sibling_essms, Metier.DIRECTION), there, professional(essms, Metier.IDE))

    response = director_client.get(reverse("grant-list"))
    assert [g.content_object.pk for g in response.context["grants"]] == [here.pk]
    assert "LEFEBVRE Marthe" in response.text
    assert "dr.martin" in response.text
    assert "EXPIRE" not in response.text
    assert "VOISIN" not in response.text


def test_listing_is_recorded_in_the_access_log(director_client, director, usager, colleague):
    grant(director, usager, colleague)
    before = AccessLog.objects.filter(action=AccessAction.READ).count()
    director_client.get(reverse("grant-list"))
    assert AccessLog.objects.filter(action=AccessAction.READ, usager_id=usager.pk).count() == before + 1


# --- Create ----------------------------------------------------------------------------------


def test_form_offers_only_usagers_of_the_active_essms(director_client, director, essms, sibling_essms, usager):
    there = UsagerFactory(essms=sibling_essms, birth_name="VOISIN")
    # Even a dossier of the sibling ESSMS opened to the director is not theirs to open further.
    grant(professional(sibling_essms, Metier.DIRECTION), there, director)
    response = director_client.get(reverse("grant-create"))
    choices = list(response.context["form"].fields["usager"].queryset)
    assert choices == [usager]


def test_read_only_grant_is_created(director_client, director, usager, colleague):
    response = director_client.post(reverse("grant-create"), form_data(usager), follow=True)
    assert response.redirect_chain[-1][0] == reverse("grant-list")
    assert "Accès exceptionnel accordé" in response.text
    created = UsagerGrant.objects.get()
    assert (created.user, created.content_object, created.permission.codename) == (colleague, usager, "view_usager")
    assert created.granted_by == director
    assert created.reason == "Consultation conjointe"
    assert can(colleague, "read", usager)
    assert not has_active_grant(colleague, usager.pk, "write")
    assert AccessLog.objects.filter(action=AccessAction.GRANT, usager_id=usager.pk).exists()


def test_write_grant_is_created(director_client, usager, colleague):
    response = director_client.post(reverse("grant-create"), form_data(usager, write="on"))
    assert response.status_code == 302
    assert set(UsagerGrant.objects.values_list("permission__codename", flat=True)) == {"view_usager", "change_usager"}
    assert has_active_grant(colleague, usager.pk, "write")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"expires_at": "past"}, "La date d&#x27;expiration doit être dans le futur."),
        ({"expires_at": "far"}, "Un accès exceptionnel ne peut pas dépasser 90 jours."),
        ({"expires_at": "demain"}, "Date et heure invalides"),
        ({"grantee": "inconnu"}, "Aucun professionnel actif ne porte cet identifiant."),
        ({"grantee": ""}, "Indiquez l&#x27;identifiant du professionnel bénéficiaire."),
        ({"reason": "   "}, "Le motif est obligatoire."),
        ({"usager": ""}, "Choisissez un usager."),
    ],
    ids=["past-expiry", "beyond-90-days", "malformed-expiry", "unknown-user", "no-user", "blank-reason", "no-usager"],
)
def test_bad_input_is_a_clear_error_and_writes_nothing(director_client, usager, colleague, overrides, message):
    overrides = dict(overrides)
    if overrides.get("expires_at") == "past":
        overrides["expires_at"] = local_input(timezone.now() - datetime.timedelta(hours=1))
    elif overrides.get("expires_at") == "far":
        overrides["expires_at"] = local_input(timezone.now() + datetime.timedelta(days=91))
    logged = AccessLog.objects.count()
    response = director_client.post(reverse("grant-create"), form_data(usager, **overrides))
    assert response.status_code == 400
    assert message in response.text
    assert not UsagerGrant.objects.exists()
    assert AccessLog.objects.count() == logged


def test_grantee_of_another_og_is_refused(director_client, usager, foreign_essms):
    professional(foreign_essms, Metier.MEDECIN, username="dr.ailleurs")
    response = director_client.post(reverse("grant-create"), form_data(usager, grantee="dr.ailleurs"))
    assert response.status_code == 400
    assert "n&#x27;exerce dans aucun autre établissement de l&#x27;organisme gestionnaire" in response.text
    assert not UsagerGrant.objects.exists()


def test_grantee_of_the_same_essms_only_is_refused(director_client, usager, essms):
    professional(essms, Metier.IDE, username="ide.ici")
    response = director_client.post(reverse("grant-create"), form_data(usager, grantee="ide.ici"))
    assert response.status_code == 400
    assert not UsagerGrant.objects.exists()


def test_grantee_whose_membership_ended_or_account_is_disabled_is_refused(director_client, usager, sibling_essms):
    MembershipFactory(
        essms=sibling_essms,
        user=UserFactory(username="parti"),
        ends_at=timezone.now() - datetime.timedelta(days=1),
    )
    inactive = professional(sibling_essms, Metier.MEDECIN, username="desactive")
    inactive.is_active = False
    inactive.save()
    for username in ("parti", "desactive"):
        response = director_client.post(reverse("grant-create"), form_data(usager, grantee=username))
        assert response.status_code == 400
    assert not UsagerGrant.objects.exists()


def test_usager_of_another_essms_cannot_be_chosen(director_client, sibling_essms, colleague):
    there = UsagerFactory(essms=sibling_essms)
    response = director_client.post(reverse("grant-create"), form_data(there))
    assert response.status_code == 400
    assert "Choisissez un usager de l&#x27;établissement actif." in response.text
    assert not UsagerGrant.objects.exists()


# --- Revoke ----------------------------------------------------------------------------------


def test_revoke_ends_the_grant_now(director_client, director, usager, colleague):
    read, write = grant(director, usager, colleague, write=True)
    response = director_client.post(reverse("grant-revoke", args=[read.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("grant-list")
    assert "révoqué" in response.text
    for row in (read, write):
        row.refresh_from_db()
        assert row.expires_at <= timezone.now()
    assert list(response.context["grants"]) == []
    assert not can(colleague, "read", usager)
    assert AccessLog.objects.filter(action=AccessAction.UPDATE, usager_id=usager.pk, detail__contains="révoqué")


def test_revoking_write_keeps_read(director_client, director, usager, colleague):
    _read, write = grant(director, usager, colleague, write=True)
    director_client.post(reverse("grant-revoke", args=[write.pk]))
    assert has_active_grant(colleague, usager.pk, "read")
    assert not has_active_grant(colleague, usager.pk, "write")


def test_revoke_requires_post(director_client, director, usager, colleague):
    existing = grant(director, usager, colleague)[0]
    assert director_client.get(reverse("grant-revoke", args=[existing.pk])).status_code == 405


def test_grant_of_another_essms_cannot_be_revoked(director_client, director, sibling_essms, essms):
    there = UsagerFactory(essms=sibling_essms)
    other = grant(professional(sibling_essms, Metier.DIRECTION), there, professional(essms, Metier.IDE))[0]
    assert director_client.post(reverse("grant-revoke", args=[other.pk])).status_code == 404
    assert director_client.post(reverse("grant-revoke", args=[999999])).status_code == 404
    other.refresh_from_db()
    assert other.expires_at > timezone.now()
    with pytest.raises(PermissionDenied):
        governance.usager_grant_revoke(director, grant=other)
    other.refresh_from_db()
    assert other.expires_at > timezone.now()
