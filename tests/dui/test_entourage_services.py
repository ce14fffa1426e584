"""Entourage services: contacts and référents, bad inputs change nothing, history is kept, writes audited."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from dui.models import AccessLog, Contact, ContactRole, Metier, Referent, ReferentRole
from dui.services.entourage import contact_add, contact_end, contact_update, referent_set
from tests.factories import MembershipFactory, UsagerFactory, professional

RPPS = "10003456789"


@pytest.fixture
def secretaire(essms):
    return professional(essms, Metier.SECRETAIRE_MEDICALE)


def add(user, usager, **fields):
    values = {"role": ContactRole.FAMILLE, "last_name": "Lefebvre", "first_name": "Paul", "relationship": "Fils"}
    return contact_add(user, usager=usager, **{**values, **fields})


def assert_refused(error, field, text):
    assert text in " ".join(error.value.message_dict[field])


def test_contact_add_writes_the_row_and_an_audit_row(secretaire, usager):
    contact = add(secretaire, usager, phone="06 12 34 56 78", is_emergency_contact=True)
    assert (contact.essms_id, contact.usager_id, contact.is_emergency_contact) == (usager.essms_id, usager.pk, True)
    log = AccessLog.objects.get()
    assert (log.action, log.object_id, log.document_class, log.usager_id, log.user) == (
        "create",
        str(contact.pk),
        "entourage",
        usager.pk,
        secretaire,
    )


@pytest.mark.parametrize("rpps", ["1000345678", "100034567890", "1000345678A"])
def test_rpps_must_be_eleven_digits(secretaire, usager, rpps):
    with pytest.raises(ValidationError) as error:
        add(secretaire, usager, role=ContactRole.PROFESSIONNEL_EXTERNE, last_name="Kiné", rpps=rpps)
    assert_refused(error, "rpps", "11 chiffres")
    assert not Contact.objects.exists()
    assert not AccessLog.objects.exists()


def test_medecin_traitant_requires_an_rpps(secretaire, usager):
    with pytest.raises(ValidationError) as error:
        add(secretaire, usager, role=ContactRole.MEDECIN_TRAITANT, last_name="Dr Roux")
    assert_refused(error, "rpps", "RPPS du médecin traitant est obligatoire")
    assert not Contact.objects.exists()


def test_medecin_traitant_requires_a_name(secretaire, usager):
    with pytest.raises(ValidationError) as error:
        add(secretaire, usager, role=ContactRole.MEDECIN_TRAITANT, last_name="  ", rpps=RPPS)
    assert_refused(error, "last_name", "nom est obligatoire")
    assert not Contact.objects.exists()


def test_representant_legal_requires_a_protection_measure(secretaire, usager):
    with pytest.raises(ValidationError) as error:
        add(secretaire, usager, role=ContactRole.REPRESENTANT_LEGAL, last_name="UDAF")
    assert_refused(error, "protection_measure", "mesure de protection")
    assert not Contact.objects.exists()


def test_representant_legal_with_its_measure(secretaire, usager):
    until = timezone.localdate() + datetime.timedelta(days=365)
    contact = add(
        secretaire,
        usager,
        role=ContactRole.REPRESENTANT_LEGAL,
        last_name="UDAF",
        protection_measure="curatelle_renforcee",
        protection_until=until,
    )
    assert (contact.protection_measure, contact.protection_until) == ("curatelle_renforcee", until)


def test_a_measure_belongs_only_to_the_representant_legal(secretaire, usager):
    with pytest.raises(ValidationError) as error:
        add(secretaire, usager, protection_measure="tutelle")
    assert_refused(error, "protection_measure", "Seul un représentant légal")
    assert not Contact.objects.exists()


def test_bad_email_is_refused(secretaire, usager):
    with pytest.raises(ValidationError) as error:
        add(secretaire, usager, email="pas-un-courriel")
    assert "email" in error.value.message_dict
    assert not Contact.objects.exists()


def test_replacing_the_personne_de_confiance_keeps_history(secretaire, usager):
    first = add(secretaire, usager, role=ContactRole.PERSONNE_CONFIANCE, last_name="Martin")
    second = add(secretaire, usager, role=ContactRole.PERSONNE_CONFIANCE, last_name="Bernard")
    first.refresh_from_db()
    assert first.ended_at is not None
    assert second.ended_at is None
    assert Contact.objects.filter(usager=usager, role=ContactRole.PERSONNE_CONFIANCE).count() == 2
    assert list(AccessLog.objects.order_by("id").values_list("action", "object_id")) == [
        ("create", str(first.pk)),
        ("update", str(first.pk)),
        ("create", str(second.pk)),
    ]


def test_a_new_medecin_traitant_ends_the_previous_but_not_other_roles(secretaire, usager):
    family = add(secretaire, usager)
    old = add(secretaire, usager, role=ContactRole.MEDECIN_TRAITANT, last_name="Roux", rpps=RPPS)
    new = add(secretaire, usager, role=ContactRole.MEDECIN_TRAITANT, last_name="Blanc", rpps="10009876543")
    active = set(Contact.objects.filter(usager=usager, ended_at__isnull=True).values_list("pk", flat=True))
    assert active == {family.pk, new.pk}
    assert old.pk not in active


def test_single_roles_are_per_dossier(secretaire, essms, usager):
    other = UsagerFactory(essms=essms)
    first = add(secretaire, usager, role=ContactRole.PERSONNE_CONFIANCE)
    add(secretaire, other, role=ContactRole.PERSONNE_CONFIANCE)
    first.refresh_from_db()
    assert first.ended_at is None


def test_writing_on_an_archived_dossier_is_refused(secretaire, usager):
    usager.archived_at = timezone.now()
    usager.save()
    with pytest.raises(ValidationError, match="archivé"):
        add(secretaire, usager)
    assert not Contact.objects.exists()
    assert not AccessLog.objects.exists()


def test_a_metier_without_write_right_is_refused(essms, usager):
    with pytest.raises(PermissionDenied):
        add(professional(essms, Metier.IDE), usager)
    assert not Contact.objects.exists()


def test_another_essms_dossier_is_refused(secretaire, sibling_essms):
    with pytest.raises(PermissionDenied):
        add(secretaire, UsagerFactory(essms=sibling_essms))
    assert not Contact.objects.exists()


def test_contact_update_changes_fields_and_audits(secretaire, usager):
    contact = add(secretaire, usager)
    contact_update(secretaire, contact=contact, phone="0102030405", relationship="Petit-fils")
    contact.refresh_from_db()
    assert (contact.phone, contact.relationship) == ("0102030405", "Petit-fils")
    log = AccessLog.objects.filter(action="update").get()
    assert "phone" in log.detail


def test_contact_update_with_bad_rpps_changes_nothing(secretaire, usager):
    contact = add(secretaire, usager, role=ContactRole.MEDECIN_TRAITANT, last_name="Roux", rpps=RPPS)
    with pytest.raises(ValidationError):
        contact_update(secretaire, contact=contact, rpps="123")
    contact.refresh_from_db()
    assert contact.rpps == RPPS
    assert not AccessLog.objects.filter(action="update").exists()


def test_contact_update_to_personne_de_confiance_ends_the_previous(secretaire, usager):
    trusted = add(secretaire, usager, role=ContactRole.PERSONNE_CONFIANCE, last_name="Martin")
    daughter = add(secretaire, usager, last_name="Durand")
    contact_update(secretaire, contact=daughter, role=ContactRole.PERSONNE_CONFIANCE)
    trusted.refresh_from_db()
    assert trusted.ended_at is not None
    assert Contact.objects.get(pk=daughter.pk).role == ContactRole.PERSONNE_CONFIANCE


def test_contact_end_keeps_the_row(secretaire, usager):
    contact = add(secretaire, usager)
    contact_end(secretaire, contact=contact)
    assert Contact.objects.get(pk=contact.pk).ended_at is not None
    with pytest.raises(ValidationError, match="déjà clos"):
        contact_end(secretaire, contact=Contact.objects.get(pk=contact.pk))
    with pytest.raises(ValidationError, match="clos"):
        contact_update(secretaire, contact=Contact.objects.get(pk=contact.pk), phone="01")


# --- Référents


@pytest.fixture
def cadre(essms):
    return professional(essms, Metier.CADRE_SANTE)


def test_referent_set_then_replaced_keeps_history(cadre, essms, usager):
    first = professional(essms, Metier.AIDE_SOIGNANT)
    second = professional(essms, Metier.EDUCATEUR)
    old = referent_set(cadre, usager=usager, user=first, role=ReferentRole.REFERENT)
    new = referent_set(cadre, usager=usager, user=second, role=ReferentRole.REFERENT)
    old.refresh_from_db()
    assert old.ends_on == timezone.localdate()
    assert (new.starts_on, new.ends_on) == (timezone.localdate(), None)
    assert Referent.objects.filter(usager=usager).count() == 2
    assert AccessLog.objects.filter(object_type="dui.referent").count() == 3


def test_one_referent_and_one_suppleant(cadre, essms, usager):
    referent = referent_set(cadre, usager=usager, user=professional(essms, Metier.IDE), role=ReferentRole.REFERENT)
    suppleant = referent_set(cadre, usager=usager, user=professional(essms, Metier.IDE), role=ReferentRole.SUPPLEANT)
    referent.refresh_from_db()
    assert referent.ends_on is None
    assert suppleant.ends_on is None


def test_referent_of_another_essms_is_refused(cadre, sibling_essms, usager):
    outsider = professional(sibling_essms, Metier.IDE)
    with pytest.raises(ValidationError) as error:
        referent_set(cadre, usager=usager, user=outsider, role=ReferentRole.REFERENT)
    assert_refused(error, "user", "n'exerce pas dans l'établissement")
    assert not Referent.objects.exists()
    assert not AccessLog.objects.exists()


def test_referent_with_an_ended_membership_is_refused(cadre, essms, usager):
    gone = MembershipFactory(essms=essms, ends_at=timezone.now() - datetime.timedelta(days=1)).user
    with pytest.raises(ValidationError):
        referent_set(cadre, usager=usager, user=gone, role=ReferentRole.REFERENT)
    assert not Referent.objects.exists()


def test_the_same_person_cannot_be_referent_and_suppleant(cadre, essms, usager):
    pro = professional(essms, Metier.IDE)
    referent_set(cadre, usager=usager, user=pro, role=ReferentRole.REFERENT)
    with pytest.raises(ValidationError, match="déjà le référent"):
        referent_set(cadre, usager=usager, user=pro, role=ReferentRole.SUPPLEANT)
    assert Referent.objects.count() == 1


def test_referent_bad_role_and_rights_and_archive(cadre, essms, usager):
    pro = professional(essms, Metier.IDE)
    with pytest.raises(ValidationError):
        referent_set(cadre, usager=usager, user=pro, role="chef")
    with pytest.raises(PermissionDenied):
        referent_set(professional(essms, Metier.ASH), usager=usager, user=pro, role="referent")
    usager.archived_at = timezone.now()
    usager.save()
    with pytest.raises(ValidationError, match="archivé"):
        referent_set(cadre, usager=usager, user=pro, role="referent")
    assert not Referent.objects.exists()
