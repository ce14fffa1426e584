"""Identity services: INS and RNIV rules, duplicates, INSi stub, validation, merge. Bad input writes nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from dui import insi
from dui.ins import INS_NIA_OID, INS_NIR_OID, IdentityStatus, matricule_key
from dui.models import (
    AccessLog,
    AggirEvaluation,
    Allergy,
    Antecedent,
    Appointment,
    Contact,
    CretonDecision,
    Document,
    DocumentClass,
    LifeNote,
    Metier,
    Placement,
    Referent,
    Sejour,
    Treatment,
    Usager,
)
from dui.models.sejours import Absence
from dui.selectors.identity import find_suspected_duplicates, related_row_counts, search_usagers, usager_relations
from dui.services import identity as services
from dui.services import merge as merge_services
from tests.factories import UnitFactory, UsagerFactory, professional

LEFEVRE = {
    "birth_name": "Lefèvre",
    "first_names": "Marie Thérèse",
    "birth_date": "1955-08-14",
    "sex": "F",
    "birth_place_code": "14168",
}
LEFEVRE_MATRICULE = "255081416802538"
ROWS_PER_DOSSIER = 13  # rows made by fill_dossier


@pytest.fixture
def secretary(essms):
    return professional(essms, Metier.SECRETAIRE_MEDICALE)


@pytest.fixture
def director(essms):
    return professional(essms, Metier.DIRECTION)


def create(user, **overrides):
    return services.usager_create(user, data={**LEFEVRE, **overrides})


def test_stub_matricules_have_valid_keys():
    assert LEFEVRE_MATRICULE == "2550814168025" + f"{matricule_key('2550814168025'):02d}"
    for identity in insi.STUB_IDENTITIES:
        assert int(identity.matricule[13:]) == matricule_key(identity.matricule[:13])


# --- Create: happy path ---------------------------------------------------------------------


def test_create_sets_essms_search_text_oid_and_audits(secretary, essms):
    usager = create(secretary, used_name="Dupont", ins_matricule="2 55 08 14 168 025 38")
    assert usager.essms == essms
    assert usager.identity_status == IdentityStatus.PROVISOIRE
    assert usager.ins_matricule == LEFEVRE_MATRICULE
    assert usager.ins_oid == INS_NIR_OID
    assert usager.search_text == "lefevre dupont marie therese"
    assert usager.shareable_matricule == ""
    log = AccessLog.objects.get(usager_id=usager.pk)
    assert (log.action, log.user, log.channel) == ("create", secretary, "web")


def test_nia_gets_the_nia_oid(secretary):
    usager = services.usager_create(
        secretary,
        data={**LEFEVRE, "birth_name": "Okafor", "first_names": "Ada", "birth_date": "1952-11-03"}
        | {"birth_place_code": "99134", "ins_matricule": "852119913400140"},
    )
    assert usager.ins_oid == INS_NIA_OID


def test_create_validated_with_a_proof(secretary):
    usager = create(secretary, identity_status="VALI", identity_proof="cni")
    assert usager.identity_status == IdentityStatus.VALIDEE
    assert usager.identity_validated_by == secretary


# --- Create: bad input ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"ins_matricule": "255081416802539"}, "ins_matricule", "la clé ne correspond pas"),
        ({"ins_matricule": "25508141680"}, "ins_matricule", "15 caractères"),
        ({"ins_matricule": LEFEVRE_MATRICULE, "sex": "M"}, "ins_matricule", "ne correspond pas au sexe"),
        ({"ins_matricule": LEFEVRE_MATRICULE, "birth_date": "1956-08-14"}, "ins_matricule", "année de naissance"),
        ({"ins_matricule": LEFEVRE_MATRICULE, "birth_date": "1955-09-14"}, "ins_matricule", "mois de naissance"),
        ({"birth_date": "2999-01-01"}, "birth_date", "dans le futur"),
        ({"birth_date": "14/08/1955"}, "birth_date", "AAAA-MM-JJ"),
        ({"birth_place_code": "7505"}, "birth_place_code", "Code INSEE"),
        ({"birth_place_code": "ABCDE"}, "birth_place_code", "Code INSEE"),
        ({"birth_name": ""}, "birth_name", "vide"),
        ({"sex": "X"}, "sex", "valide"),
        ({"identity_status": "QUAL"}, "identity_status", "Qualifiée"),
        ({"identity_status": "RECUP"}, "identity_status", "INSi"),
        ({"identity_status": "VALI"}, "identity_status", "justificatif"),
        ({"identity_status": "VALI", "identity_proof": "livret_famille"}, None, None),
    ],
)
def test_bad_identity_is_refused_and_nothing_written(secretary, sibling_essms, overrides, field, message):
    if field is None:  # an EHPAD-only proof outside an EHPAD
        user = professional(sibling_essms, Metier.SECRETAIRE_MEDICALE)
        field, message = "identity_proof", "admission directe en EHPAD"
    else:
        user = secretary
    with pytest.raises(ValidationError) as caught:
        create(user, **overrides)
    assert message in " ".join(caught.value.message_dict[field])
    assert not Usager.objects.exists()
    assert not AccessLog.objects.exists()


def test_doubtful_identity_is_forced_provisional(secretary):
    usager = create(secretary, identity_attribute="douteuse", identity_status="VALI", identity_proof="cni")
    assert usager.identity_status == IdentityStatus.PROVISOIRE
    assert usager.identity_proof == ""


def test_proof_needs_the_validate_right(essms):
    caregiver = professional(essms, Metier.ACCUEIL)
    usager = create(caregiver, identity_proof="cni", identity_status="VALI")  # accueil may validate
    assert usager.identity_status == IdentityStatus.VALIDEE
    partner = professional(essms, Metier.PARTENAIRE)
    with pytest.raises(PermissionDenied):
        create(partner, birth_name="Autre", identity_proof="cni", identity_status="VALI")
    assert Usager.objects.count() == 1


def test_create_without_the_right_is_refused(essms):
    with pytest.raises(PermissionDenied):
        create(professional(essms, Metier.AIDE_SOIGNANT))
    assert not Usager.objects.exists()


# --- Duplicates -----------------------------------------------------------------------------


def test_duplicate_is_refused_without_confirmation(secretary):
    first = create(secretary)
    with pytest.raises(services.DuplicateSuspectedError) as caught:
        create(secretary, birth_name="LEFEVRE", first_names="marie-thérèse")
    assert caught.value.code == "duplicate"
    assert caught.value.duplicates == [first]
    assert "Doublon possible : " in caught.value.messages[0]
    assert f"dossier n° {first.pk}" in caught.value.messages[0]
    assert Usager.objects.count() == 1
    assert AccessLog.objects.count() == 1


def test_confirmed_duplicate_is_created_and_the_confirmation_audited(secretary):
    first = create(secretary)
    second = services.usager_create(secretary, data=dict(LEFEVRE), confirm_duplicate=True)
    assert second.pk != first.pk
    assert f"dossiers n° {first.pk}" in AccessLog.objects.get(usager_id=second.pk).detail


def test_same_matricule_is_a_duplicate(secretary):
    create(secretary, ins_matricule=LEFEVRE_MATRICULE)
    with pytest.raises(services.DuplicateSuspectedError):
        create(secretary, birth_name="Martin", first_names="Marie", ins_matricule=LEFEVRE_MATRICULE)


def test_duplicates_are_searched_in_the_own_essms_only(secretary, sibling_essms):
    UsagerFactory(essms=sibling_essms, birth_name="LEFEVRE", first_names="Marie", birth_date=datetime.date(1955, 8, 14))
    assert find_suspected_duplicates(secretary, data=LEFEVRE) == []
    create(secretary)


def test_other_sex_or_first_name_is_not_a_duplicate(secretary):
    create(secretary)
    create(secretary, first_names="Jeanne")
    create(secretary, sex="M", first_names="Marie")
    assert Usager.objects.count() == 3


# --- Update ---------------------------------------------------------------------------------


def test_update_changes_only_given_fields_and_audits(secretary):
    usager = create(secretary)
    updated = services.usager_update(secretary, usager=usager, data={"used_name": "Martin"})
    assert updated.used_name == "Martin"
    assert updated.first_names == "Marie Thérèse"
    assert "martin" in updated.search_text
    assert AccessLog.objects.filter(usager_id=usager.pk, action="update").count() == 1


def test_update_refuses_bad_input_and_keeps_the_row(secretary):
    usager = create(secretary)
    with pytest.raises(ValidationError):
        services.usager_update(secretary, usager=usager, data={"birth_date": "2999-01-01"})
    with pytest.raises(ValidationError):
        services.usager_update(secretary, usager=usager, data={"identity_status": "QUAL"})
    usager.refresh_from_db()
    assert usager.birth_date == datetime.date(1955, 8, 14)
    assert usager.identity_status == IdentityStatus.PROVISOIRE


def test_update_into_a_duplicate_needs_confirmation(secretary):
    create(secretary)
    other = create(secretary, first_names="Jeanne")
    with pytest.raises(services.DuplicateSuspectedError):
        services.usager_update(secretary, usager=other, data={"first_names": "Marie"})
    other.refresh_from_db()
    assert other.first_names == "Jeanne"


def test_archived_dossier_is_read_only(secretary):
    usager = create(secretary)
    Usager.objects.filter(pk=usager.pk).update(archived_at=timezone.now())
    usager.refresh_from_db()
    with pytest.raises(ValidationError, match="archivé"):
        services.usager_update(secretary, usager=usager, data={"used_name": "X"})


# --- INSi, validation, qualification --------------------------------------------------------


def test_insi_then_validation_qualifies(secretary):
    usager = create(secretary, birth_name="lefevre")
    usager = services.usager_fetch_insi(secretary, usager=usager)
    assert usager.identity_status == IdentityStatus.RECUPEREE
    assert (usager.ins_matricule, usager.ins_oid) == (LEFEVRE_MATRICULE, INS_NIR_OID)
    assert usager.birth_name == "LEFÈVRE"
    assert usager.insi_retrieved_at is not None
    assert usager.shareable_matricule == ""
    usager = services.usager_validate_identity(secretary, usager=usager, proof="passeport")
    assert usager.identity_status == IdentityStatus.QUALIFIEE
    assert usager.shareable_matricule == LEFEVRE_MATRICULE
    assert AccessLog.objects.filter(usager_id=usager.pk, action="update").count() == 2


def test_validation_then_insi_qualifies(secretary):
    usager = create(secretary)
    usager = services.usager_validate_identity(secretary, usager=usager, proof="cni")
    assert usager.identity_status == IdentityStatus.VALIDEE
    usager = services.usager_fetch_insi(secretary, usager=usager)
    assert usager.identity_status == IdentityStatus.QUALIFIEE
    assert usager.validation_dropped is False


def test_insi_unknown_person_changes_nothing(secretary):
    usager = create(secretary, birth_name="Inconnue")
    with pytest.raises(ValidationError, match="Identité introuvable"):
        services.usager_fetch_insi(secretary, usager=usager)
    usager.refresh_from_db()
    assert (usager.identity_status, usager.ins_matricule, usager.insi_retrieved_at) == ("PROV", "", None)


def test_insi_outage_is_a_clear_error(secretary):
    usager = create(secretary, birth_name="Indisponible")
    with pytest.raises(ValidationError, match="indisponible"):
        services.usager_fetch_insi(secretary, usager=usager)


def test_insi_backend_comes_from_the_setting(secretary, settings):
    class Down(insi.InsiBackend):
        def fetch(self, query):
            raise insi.InsiUnavailableError("Panne simulée.")

    settings.INSI_BACKEND = f"{__name__}.DownBackend"
    globals()["DownBackend"] = Down
    usager = create(secretary)
    with pytest.raises(ValidationError, match="Panne simulée"):
        services.usager_fetch_insi(secretary, usager=usager)


def test_insi_matricule_of_another_dossier_is_a_duplicate(secretary):
    first = services.usager_fetch_insi(secretary, usager=create(secretary))
    second = services.usager_create(secretary, data={**LEFEVRE, "first_names": "Marie"}, confirm_duplicate=True)
    with pytest.raises(services.DuplicateSuspectedError, match=f"dossier n° {first.pk}"):
        services.usager_fetch_insi(secretary, usager=second)
    second.refresh_from_db()
    assert second.ins_matricule == ""


def test_validation_needs_the_right_and_a_known_proof(secretary, essms):
    usager = create(secretary)
    with pytest.raises(PermissionDenied):
        services.usager_validate_identity(professional(essms, Metier.IDE), usager=usager, proof="cni")
    with pytest.raises(ValidationError, match="inconnu"):
        services.usager_validate_identity(secretary, usager=usager, proof="facture")
    usager.refresh_from_db()
    assert usager.identity_status == IdentityStatus.PROVISOIRE
    assert usager.identity_proof == ""


def test_incomplete_or_doubtful_identity_cannot_be_validated(secretary):
    incomplete = create(secretary, birth_place_code="")
    with pytest.raises(ValidationError, match="incomplète"):
        services.usager_validate_identity(secretary, usager=incomplete, proof="cni")
    doubtful = create(secretary, first_names="Jeanne", identity_attribute="fictive")
    with pytest.raises(ValidationError, match="douteuse ou fictive"):
        services.usager_validate_identity(secretary, usager=doubtful, proof="cni")


def test_changing_a_trait_of_a_qualified_identity_needs_a_return_to_provisional(secretary):
    usager = services.usager_fetch_insi(secretary, usager=create(secretary))
    usager = services.usager_validate_identity(secretary, usager=usager, proof="cni")
    with pytest.raises(ValidationError, match="Provisoire"):
        services.usager_update(secretary, usager=usager, data={"first_names": "Marie"})
    usager.refresh_from_db()
    assert usager.identity_status == IdentityStatus.QUALIFIEE
    usager = services.usager_update(secretary, usager=usager, data={"first_names": "Marie", "identity_status": "PROV"})
    assert usager.identity_status == IdentityStatus.PROVISOIRE
    assert (usager.insi_retrieved_at, usager.identity_proof) == (None, "")
    assert usager.shareable_matricule == ""


def test_marking_a_qualified_identity_doubtful_makes_it_provisional(secretary):
    usager = services.usager_fetch_insi(secretary, usager=create(secretary))
    usager = services.usager_validate_identity(secretary, usager=usager, proof="cni")
    usager = services.usager_update(secretary, usager=usager, data={"identity_attribute": "douteuse"})
    assert usager.identity_status == IdentityStatus.PROVISOIRE
    assert usager.shareable_matricule == ""


# --- Search ---------------------------------------------------------------------------------


def test_search_is_accent_and_case_insensitive(secretary):
    usager = create(secretary)
    create(secretary, birth_name="Martin", first_names="Paul", sex="M")
    assert list(search_usagers(Usager.objects.all(), "lefevre")) == [usager]
    assert list(search_usagers(Usager.objects.all(), "LEFÈVRE thérèse")) == [usager]
    assert list(search_usagers(Usager.objects.all(), "lefevre paul")) == []


# --- Merge ----------------------------------------------------------------------------------


def fill_dossier(usager, user, unit, year):
    """One row of every kind attached to a dossier; séjour periods by year, so they never overlap."""
    essms = usager.essms
    sejour = Sejour.objects.create(
        essms=essms,
        usager=usager,
        status="closed",
        first_contact_on=datetime.date(year, 1, 1),
        admitted_on=datetime.date(year, 1, 10),
        ended_on=datetime.date(year, 6, 30),
        created_by=user,
    )
    common = {"essms": essms, "usager": usager, "created_by": user}
    Placement.objects.create(**common, sejour=sejour, unit=unit, modality="hp", starts_on=datetime.date(year, 1, 10))
    Absence.objects.create(**common, sejour=sejour, kind="vacances", starts_on=datetime.date(year, 3, 1))
    CretonDecision.objects.create(
        **common, decided_on=datetime.date(year, 1, 1), valid_until=datetime.date(year + 1, 1, 1)
    )
    Contact.objects.create(essms=essms, usager=usager, role="famille", last_name="Proche")
    Referent.objects.create(
        essms=essms, usager=usager, user=user, role="referent", starts_on=datetime.date(year, 1, 10)
    )
    Antecedent.objects.create(**common, label="HTA")
    Allergy.objects.create(**common, substance="Pénicilline")
    Treatment.objects.create(**common, line="Paracétamol")
    AggirEvaluation.objects.create(**common, gir=3, evaluated_on=datetime.date(year, 2, 1), evaluator="IDEC")
    LifeNote.objects.create(**common, kind="habitudes_vie", topic="Lever", text="Tard")
    Document.objects.create(
        **common,
        document_class=DocumentClass.objects.get(code="piece_identite"),
        title="CNI",
        document_date=datetime.date(year, 1, 5),
    )
    Appointment.objects.create(**common, starts_at=timezone.now(), title="Dentiste")


def total_rows(usager):
    return sum(related_row_counts(usager).values())


def test_usager_relations_cover_every_dossier_model():
    models = {relation.model for relation in usager_relations()}
    expected = {Sejour, Placement, Absence, CretonDecision, Contact, Referent, Antecedent, Allergy, Treatment}
    assert expected | {AggirEvaluation, LifeNote, Document, Appointment} <= models


def test_merge_keeps_everything_of_both(secretary, director, essms):
    unit = UnitFactory(essms=essms)
    kept = create(secretary)
    merged = services.usager_create(secretary, data=dict(LEFEVRE), confirm_duplicate=True)
    fill_dossier(kept, director, unit, 2020)
    fill_dossier(merged, director, unit, 2022)
    before = total_rows(kept) + total_rows(merged)
    assert before == 2 * ROWS_PER_DOSSIER
    result = merge_services.usager_merge(director, kept=kept, merged=merged)
    assert result == kept
    assert total_rows(kept) == before
    assert total_rows(merged) == 0
    assert Sejour.objects.filter(usager=kept).count() == 2
    merged.refresh_from_db()
    assert merged.merged_into == kept
    assert merged.archived_at is not None
    logs = AccessLog.objects.filter(user=director, action="update")
    assert {log.usager_id for log in logs} == {kept.pk, merged.pk}
    assert "fusion" in logs.get(usager_id=kept.pk).detail


def test_merge_by_an_unauthorised_role_is_refused(secretary, essms):
    unit = UnitFactory(essms=essms)
    kept = create(secretary)
    merged = services.usager_create(secretary, data=dict(LEFEVRE), confirm_duplicate=True)
    fill_dossier(merged, secretary, unit, 2022)
    for metier in (Metier.SECRETAIRE_MEDICALE, Metier.IDE, Metier.QUALITE):
        with pytest.raises(PermissionDenied, match="identitovigilance"):
            merge_services.usager_merge(professional(essms, metier), kept=kept, merged=merged)
    assert total_rows(merged) == ROWS_PER_DOSSIER
    merged.refresh_from_db()
    assert merged.merged_into is None and merged.archived_at is None
    assert not AccessLog.objects.filter(action="update").exists()


def test_merge_refuses_itself_other_essms_overlap_and_repeats(secretary, director, essms, sibling_essms):
    kept = create(secretary)
    with pytest.raises(ValidationError, match="lui-même"):
        merge_services.usager_merge(director, kept=kept, merged=kept)
    foreign = UsagerFactory(essms=sibling_essms)
    with pytest.raises(ValidationError, match="établissement actif"):
        merge_services.usager_merge(director, kept=kept, merged=foreign)
    unit = UnitFactory(essms=essms)
    merged = services.usager_create(secretary, data=dict(LEFEVRE), confirm_duplicate=True)
    fill_dossier(kept, director, unit, 2020)
    fill_dossier(merged, director, unit, 2020)
    with pytest.raises(ValidationError, match="chevauchent"):
        merge_services.usager_merge(director, kept=kept, merged=merged)
    assert total_rows(merged) == ROWS_PER_DOSSIER
    Sejour.objects.filter(usager=merged).update(admitted_on=datetime.date(2021, 1, 1), ended_on=None)
    merge_services.usager_merge(director, kept=kept, merged=merged)
    with pytest.raises(ValidationError, match="déjà été fusionné"):
        merge_services.usager_merge(director, kept=kept, merged=merged)
