"""Bad input to the tenancy services: a clear error, nothing written."""

import pytest
from django.core.exceptions import ValidationError

from dui import services
from dui.catalogue import DOCUMENT_CLASSES
from dui.models import Essms, EssmsKind, Habilitation, Membership, Metier, OrganismeGestionnaire
from tests.factories import UserFactory


def test_og_create_fills_the_default_matrix(db):
    og = services.og_create(name="Association Horizon", finess_juridique="630 000 529")
    assert og.finess_juridique == "630000529"
    assert Habilitation.objects.filter(og=og).count() == len(Metier.values) * len(DOCUMENT_CLASSES)


@pytest.mark.parametrize("finess", ["630000528", "63000052", "ABCDEFGHI"])
def test_og_with_invalid_finess_is_refused(db, finess):
    with pytest.raises(ValidationError, match="FINESS"):
        services.og_create(name="Association Horizon", finess_juridique=finess)
    assert not OrganismeGestionnaire.objects.exists()
    assert not Habilitation.objects.exists()


def test_essms_with_invalid_finess_is_refused(og):
    with pytest.raises(ValidationError, match="clé de contrôle"):
        services.essms_create(og=og, name="EHPAD Test", finess="940711345", kind=EssmsKind.EHPAD)
    assert not Essms.objects.exists()


def test_essms_with_unknown_kind_is_refused(og):
    with pytest.raises(ValidationError):
        services.essms_create(og=og, name="EHPAD Test", finess="940711344", kind="hopital")
    assert not Essms.objects.exists()


def test_duplicate_finess_is_refused(og):
    services.essms_create(og=og, name="EHPAD Un", finess="940711344", kind=EssmsKind.EHPAD)
    with pytest.raises(ValidationError):
        services.essms_create(og=og, name="EHPAD Deux", finess="940711344", kind=EssmsKind.EHPAD)
    assert Essms.objects.count() == 1


def test_membership_for_unknown_essms_is_refused(db):
    user = UserFactory()
    with pytest.raises(ValidationError, match="Aucun ESSMS"):
        services.membership_create(user=user, essms_finess="630781227", metier=Metier.IDE)
    assert not Membership.objects.exists()


def test_membership_with_unknown_metier_is_refused(essms):
    with pytest.raises(ValidationError):
        services.membership_create(user=UserFactory(), essms_finess=essms.finess, metier="sorcier")
    assert not Membership.objects.exists()


def test_unit_names_are_unique_within_an_essms(essms, sibling_essms):
    services.unit_create(essms=essms, name="Glycine")
    services.unit_create(essms=sibling_essms, name="Glycine")
    with pytest.raises(ValidationError):
        services.unit_create(essms=essms, name="Glycine")


def test_og_create_gives_the_default_cible_catalogue(db):
    from transmissions.models import Cible

    og = services.og_create(name="Association Horizon", finess_juridique="630000529")
    assert Cible.objects.filter(og=og, label="Chute").exists()


# --- Every tenancy write is audited (by the platform task when no one acts) ---------------------------


def audit_rows():
    from dui.models import AccessLog

    return [
        (row.action, row.object_type, row.channel, row.user_id, row.detail) for row in AccessLog.objects.order_by("pk")
    ]


def test_og_essms_and_unit_creations_are_audited(db):
    og = services.og_create(name="Association Horizon", finess_juridique="630000529")
    essms = services.essms_create(og=og, name="EHPAD Un", finess="940711344", kind=EssmsKind.EHPAD)
    unit = services.unit_create(essms=essms, name="Glycine")
    assert audit_rows() == [
        ("create", "dui.organismegestionnaire", "task", None, "organisme gestionnaire créé : Association Horizon"),
        ("create", "dui.essms", "task", None, "établissement créé : EHPAD Un"),
        ("create", "dui.unit", "task", None, "unité créée : Glycine"),
    ]
    from dui.models import AccessLog

    assert AccessLog.objects.get(object_type="dui.unit").object_id == str(unit.pk)


def test_membership_start_and_end_are_audited_with_the_actor(essms):
    from dui.actor import Actor
    from tests.factories import professional

    admin = professional(essms, Metier.ADMINISTRATEUR)
    user = UserFactory(username="lea.ide")
    membership = services.membership_create(
        Actor(user=admin, ip="10.0.0.7"), user=user, essms_finess=essms.finess, metier=Metier.IDE
    )
    services.membership_end(membership=membership)
    assert audit_rows() == [
        ("create", "dui.membership", "web", admin.pk, "affectation créée : lea.ide, Infirmier(ère) (IDE)"),
        ("update", "dui.membership", "task", None, "affectation terminée : lea.ide, Infirmier(ère) (IDE)"),
    ]


def test_a_refused_tenancy_write_is_not_audited(og):
    from dui.models import AccessLog

    with pytest.raises(ValidationError):
        services.essms_create(og=og, name="EHPAD Test", finess="940711345", kind=EssmsKind.EHPAD)
    assert not AccessLog.objects.exists()
