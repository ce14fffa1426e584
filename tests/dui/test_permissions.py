"""The default matrix, its edits, object grants and memberships, through the one decision function."""

import datetime

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from dui import selectors, services
from dui.catalogue import DOCUMENT_CLASSES
from dui.models import Habilitation, HabilitationChange, Membership, Metier, UsagerGrant, User
from dui.permissions import can
from tests.factories import UsagerFactory, professional


def fresh(user: User) -> User:
    """The same user as a new request sees them: reloaded, membership re-resolved."""
    from dui.middleware import resolve_membership

    reloaded = User.objects.get(pk=user.pk)
    reloaded.membership = resolve_membership(reloaded, getattr(user, "membership", None) and user.membership.pk)
    return reloaded


DEFAULTS = [
    # (métier, class, action, expected)
    (Metier.ANIMATEUR, "antecedents", "read", False),
    (Metier.ANIMATEUR, "centres_interet", "write", True),
    (Metier.ANIMATEUR, "allergies", "read", True),
    (Metier.TECHNIQUE, "identite", "read", False),
    (Metier.TECHNIQUE, "transmissions", "read", False),
    (Metier.ASH, "cr_hospitalisation", "read", False),
    (Metier.AIDE_SOIGNANT, "transmissions", "write", True),
    (Metier.AIDE_SOIGNANT, "antecedents", "read", False),
    (Metier.AIDE_SOIGNANT, "soins_palliatifs", "read", True),
    (Metier.MEDECIN, "prescriptions", "validate", True),
    (Metier.IDE, "prescriptions", "write", False),
    (Metier.IDE, "prescriptions", "read", True),
    (Metier.IDE, "contention", "validate", False),
    (Metier.MEDECIN_COORDONNATEUR, "contention", "validate", True),
    (Metier.SECRETAIRE_MEDICALE, "cr_hospitalisation", "write", True),
    (Metier.SECRETAIRE_MEDICALE, "transmissions", "read", True),
    (Metier.SECRETAIRE_MEDICALE, "transmissions", "write", False),
    (Metier.PHARMACIEN, "prescriptions", "write", True),
    (Metier.DIRECTION, "antecedents", "read", False),
    (Metier.DIRECTION, "journal_acces", "read", True),
    (Metier.DPO, "journal_acces", "read", True),
    (Metier.IDE, "journal_acces", "read", False),
    (Metier.ADMINISTRATEUR, "habilitations", "write", True),
    (Metier.DIRECTION, "habilitations", "write", False),
    (Metier.ENSEIGNANT, "projet_scolarisation", "write", True),
    (Metier.ENSEIGNANT, "transmissions", "read", False),
    (Metier.PARTENAIRE, "identite", "write", True),
    (Metier.PARTENAIRE, "antecedents", "read", False),
]


@pytest.mark.parametrize(("metier", "code", "action", "expected"), DEFAULTS)
def test_default_matrix(essms, sibling_essms, metier, code, action, expected):
    # A children's class is offered in the IME only (dui.essms_kinds): checked there.
    place = sibling_essms if code == "projet_scolarisation" else essms
    assert can(professional(place, metier), action, code) is expected


def test_every_og_has_a_full_matrix(og, foreign_essms):
    cells = Habilitation.objects.filter(og=og).count()
    assert cells == Habilitation.objects.filter(og=foreign_essms.og).count()
    assert cells == len(Metier.values) * len(DOCUMENT_CLASSES)


def test_object_of_own_essms_follows_the_matrix(essms, usager):
    assert can(professional(essms, Metier.IDE), "read", usager)
    assert not can(professional(essms, Metier.TECHNIQUE), "read", usager)


def test_object_of_another_essms_is_refused(usager, sibling_essms, foreign_essms):
    assert not can(professional(sibling_essms, Metier.DIRECTION), "read", usager)
    assert not can(professional(foreign_essms, Metier.DIRECTION), "read", usager)


def test_matrix_change_takes_effect_at_next_request(essms):
    admin = professional(essms, Metier.ADMINISTRATEUR)
    animateur = professional(essms, Metier.ANIMATEUR)
    assert not can(animateur, "read", "antecedents")
    services.habilitation_set(
        admin, metier=Metier.ANIMATEUR, document_class_code="antecedents", action="read", granted=True
    )
    assert can(fresh(animateur), "read", "antecedents")
    change = HabilitationChange.objects.get()
    assert (change.metier, change.action, change.granted, change.changed_by) == (
        Metier.ANIMATEUR,
        "read",
        True,
        admin,
    )


def test_matrix_change_stays_in_its_og(essms, foreign_essms):
    admin = professional(essms, Metier.ADMINISTRATEUR)
    services.habilitation_set(
        admin, metier=Metier.ANIMATEUR, document_class_code="antecedents", action="read", granted=True
    )
    assert not can(professional(foreign_essms, Metier.ANIMATEUR), "read", "antecedents")


def test_withdrawing_read_withdraws_write_and_validate(essms):
    admin = professional(essms, Metier.ADMINISTRATEUR)
    row = services.habilitation_set(
        admin, metier=Metier.MEDECIN, document_class_code="antecedents", action="read", granted=False
    )
    assert (row.can_read, row.can_write, row.can_validate) == (False, False, False)
    assert HabilitationChange.objects.count() == 3


def test_only_an_administrator_edits_the_matrix(essms):
    for metier in (Metier.DIRECTION, Metier.IDE, Metier.DPO):
        with pytest.raises(PermissionDenied):
            services.habilitation_set(
                professional(essms, metier),
                metier=Metier.ANIMATEUR,
                document_class_code="antecedents",
                action="read",
                granted=True,
            )
    assert not HabilitationChange.objects.exists()


def test_unknown_class_in_matrix_edit_changes_nothing(essms):
    admin = professional(essms, Metier.ADMINISTRATEUR)
    with pytest.raises(ValidationError):
        services.habilitation_set(admin, metier=Metier.IDE, document_class_code="nope", action="read", granted=True)
    with pytest.raises(ValidationError):
        services.habilitation_set(
            admin, metier=Metier.IDE, document_class_code="identite", action="delete", granted=True
        )
    assert not HabilitationChange.objects.exists()


def test_ending_a_membership_removes_access_at_once(essms, usager):
    ide = professional(essms, Metier.IDE)
    assert can(fresh(ide), "read", usager)
    services.membership_end(membership=ide.membership)
    after = fresh(ide)
    assert after.membership is None
    assert not can(after, "read", usager)
    assert not selectors.usagers_for_user(after).exists()


def test_future_membership_is_not_active_yet(essms):
    user = professional(essms)
    Membership.objects.filter(pk=user.membership.pk).update(starts_at=timezone.now() + datetime.timedelta(days=2))
    assert fresh(user).membership is None


class TestCrossEssmsGrant:
    @pytest.fixture
    def director(self, essms):
        return professional(essms, Metier.DIRECTION)

    def test_grant_opens_one_dossier_until_it_expires(self, director, usager, sibling_essms, essms):
        other = UsagerFactory(essms=essms)
        ide_b = professional(sibling_essms, Metier.IDE)
        expires = timezone.now() + datetime.timedelta(days=2)
        services.usager_grant_create(director, usager=usager, grantee=ide_b, expires_at=expires, reason="Transfert")
        assert can(fresh(ide_b), "read", usager)
        assert not can(fresh(ide_b), "write", usager)
        assert not can(fresh(ide_b), "read", other)
        assert list(selectors.usagers_for_user(fresh(ide_b))) == [usager]
        assert selectors.access_usager(fresh(ide_b), pk=usager.pk) == usager
        with time_machine.travel(expires + datetime.timedelta(minutes=1)):
            assert not can(fresh(ide_b), "read", usager)
            assert not selectors.usagers_for_user(fresh(ide_b)).exists()

    def test_grant_is_a_guardian_object_permission(self, director, usager, sibling_essms):
        cadre_b = professional(sibling_essms, Metier.CADRE_SANTE)
        services.usager_grant_create(
            director,
            usager=usager,
            grantee=cadre_b,
            expires_at=timezone.now() + datetime.timedelta(hours=4),
            reason="Remplacement",
            write=True,
        )
        assert fresh(cadre_b).has_perm("dui.view_usager", usager)
        assert fresh(cadre_b).has_perm("dui.change_usager", usager)
        assert can(fresh(cadre_b), "write", usager)

    def test_grant_does_not_bypass_the_matrix(self, director, usager, sibling_essms):
        animateur_b = professional(sibling_essms, Metier.TECHNIQUE)
        services.usager_grant_create(
            director,
            usager=usager,
            grantee=animateur_b,
            expires_at=timezone.now() + datetime.timedelta(hours=4),
            reason="Dépannage",
        )
        assert not can(fresh(animateur_b), "read", usager)

    @pytest.mark.parametrize(
        ("delta", "reason", "message"),
        [
            (datetime.timedelta(hours=-1), "Transfert", "futur"),
            (datetime.timedelta(hours=1), "   ", "motif"),
            (datetime.timedelta(days=91), "Transfert", "90 jours"),
        ],
    )
    def test_bad_grant_changes_nothing(self, director, usager, sibling_essms, delta, reason, message):
        with pytest.raises(ValidationError, match=message):
            services.usager_grant_create(
                director,
                usager=usager,
                grantee=professional(sibling_essms),
                expires_at=timezone.now() + delta,
                reason=reason,
            )
        assert not UsagerGrant.objects.exists()

    def test_grant_outside_the_og_is_refused(self, director, usager, foreign_essms):
        with pytest.raises(ValidationError, match="organisme"):
            services.usager_grant_create(
                director,
                usager=usager,
                grantee=professional(foreign_essms),
                expires_at=timezone.now() + datetime.timedelta(hours=1),
                reason="Transfert",
            )
        assert not UsagerGrant.objects.exists()

    def test_grant_to_a_colleague_of_the_same_essms_is_refused(self, director, usager, essms):
        with pytest.raises(ValidationError, match="déjà"):
            services.usager_grant_create(
                director,
                usager=usager,
                grantee=professional(essms),
                expires_at=timezone.now() + datetime.timedelta(hours=1),
                reason="Transfert",
            )
        assert not UsagerGrant.objects.exists()

    def test_a_caregiver_cannot_open_a_dossier(self, essms, usager, sibling_essms):
        with pytest.raises(PermissionDenied):
            services.usager_grant_create(
                professional(essms, Metier.AIDE_SOIGNANT),
                usager=usager,
                grantee=professional(sibling_essms),
                expires_at=timezone.now() + datetime.timedelta(hours=1),
                reason="Transfert",
            )
        assert not UsagerGrant.objects.exists()


def test_grant_permissions_exist(db):
    assert Permission.objects.filter(content_type__app_label="dui", codename="view_usager").exists()


def test_a_matrix_change_writes_one_audit_row_with_the_cells(essms):
    from dui.models import AccessLog

    admin = professional(essms, Metier.ADMINISTRATEUR)
    row = services.habilitation_set(
        admin, metier=Metier.MEDECIN, document_class_code="antecedents", action="read", granted=False
    )
    log = AccessLog.objects.get()
    assert (log.action, log.object_type, log.object_id, log.user, log.essms_id) == (
        "update",
        "dui.habilitation",
        str(row.pk),
        admin,
        essms.pk,
    )
    assert log.detail == "habilitation Médecin / antecedents : lecture retirée, écriture retirée, validation retirée"
    services.habilitation_set(
        admin, metier=Metier.MEDECIN, document_class_code="antecedents", action="read", granted=False
    )
    assert AccessLog.objects.count() == 1  # nothing changed, nothing logged
