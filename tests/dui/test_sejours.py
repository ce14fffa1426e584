"""Séjour services and selectors: lifecycle, every refused input (nothing written), audit, presence."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dui.models import Absence, AccessLog, CretonDecision, Metier, Placement, Sejour, SejourStatus
from dui.selectors import sejours as selectors
from dui.services import creton as creton_services
from dui.services import placements as placements_services
from dui.services import sejours as services
from tests.factories import UnitFactory, UsagerFactory, professional

D = datetime.date
FIRST_CONTACT = D(2024, 1, 2)
ADMISSION = D(2024, 1, 10)


@pytest.fixture
def secretaire(essms):
    return professional(essms, Metier.SECRETAIRE_MEDICALE)


@pytest.fixture
def unit_b(essms):
    return UnitFactory(essms=essms, name="Unité Tilleul")


def messages_of(excinfo) -> str:
    return " ".join(excinfo.value.messages)


def pre_admit(user, usager, on=FIRST_CONTACT):
    return services.sejour_open_pre_admission(user, usager=usager, first_contact_on=on)


def admit(user, usager, unit, on=ADMISSION, first_contact=FIRST_CONTACT, **kwargs):
    sejour = pre_admit(user, usager, first_contact)
    return services.sejour_admit(
        user,
        sejour=sejour,
        admitted_on=on,
        contract_signed_on=on,
        unit=unit,
        modality=kwargs.pop("modality", "hp"),
        room=kwargs.pop("room", "12"),
    )


def exit_(user, sejour, on, reason="retour_domicile"):
    return services.sejour_exit(user, sejour=sejour, ended_on=on, exit_reason=reason)


def snapshot():
    return (
        Sejour.objects.count(),
        list(Sejour.objects.values_list("status", "admitted_on", "ended_on")),
        list(Placement.objects.values_list("unit_id", "starts_on", "ends_on")),
        list(Absence.objects.values_list("starts_on", "ends_on")),
        CretonDecision.objects.count(),
        AccessLog.objects.count(),
    )


# --- Pré-admission and admission ----------------------------------------------------------------


def test_pre_admission_opens_a_sejour_at_first_contact_and_is_audited(secretaire, usager):
    sejour = pre_admit(secretaire, usager)
    assert (sejour.status, sejour.first_contact_on, sejour.essms_id) == (
        "pre_admission",
        D(2024, 1, 2),
        usager.essms_id,
    )
    log = AccessLog.objects.get()
    assert (log.action, log.object_type, log.usager_id, log.document_class) == (
        "create",
        "dui.sejour",
        usager.pk,
        "sejours",
    )


def test_pre_admission_refused_when_a_sejour_is_already_open(secretaire, usager, unit):
    admit(secretaire, usager, unit)
    before = snapshot()
    with pytest.raises(ValidationError) as excinfo:
        pre_admit(secretaire, usager, D(2024, 2, 1))
    assert "déjà un séjour ouvert" in messages_of(excinfo)
    assert snapshot() == before


def test_pre_admission_in_the_future_refused(secretaire, usager):
    with pytest.raises(ValidationError) as excinfo:
        pre_admit(secretaire, usager, D.today() + datetime.timedelta(days=3))
    assert "futur" in messages_of(excinfo)
    assert not Sejour.objects.exists()


def test_admission_opens_the_first_placement_and_is_audited(secretaire, usager, unit):
    sejour = admit(secretaire, usager, unit, modality="ht", room="4B")
    sejour.refresh_from_db()
    assert (sejour.status, sejour.admitted_on, sejour.contract_signed_on) == ("active", D(2024, 1, 10), D(2024, 1, 10))
    placement = Placement.objects.get()
    assert (placement.unit, placement.room, placement.modality, placement.starts_on, placement.ends_on) == (
        unit,
        "4B",
        "ht",
        D(2024, 1, 10),
        None,
    )
    actions = list(AccessLog.objects.order_by("id").values_list("action", "object_type"))
    assert actions == [("create", "dui.sejour"), ("update", "dui.sejour"), ("create", "dui.placement")]


def test_admission_refuses_a_unit_of_another_essms(secretaire, usager, sibling_essms):
    sejour = pre_admit(secretaire, usager)
    before = snapshot()
    with pytest.raises(ValidationError) as excinfo:
        services.sejour_admit(
            secretaire,
            sejour=sejour,
            admitted_on=D(2024, 1, 10),
            contract_signed_on=D(2024, 1, 10),
            unit=UnitFactory(essms=sibling_essms),
            modality="hp",
        )
    assert excinfo.value.message_dict["unit"] == ["Cette unité n'appartient pas à l'établissement du séjour."]
    assert snapshot() == before
    sejour.refresh_from_db()
    assert sejour.status == "pre_admission"


def test_admission_refuses_a_closed_unit(secretaire, usager, essms):
    sejour = pre_admit(secretaire, usager)
    closed = UnitFactory(essms=essms, name="Ancienne aile", is_active=False)
    with pytest.raises(ValidationError) as excinfo:
        services.sejour_admit(
            secretaire,
            sejour=sejour,
            admitted_on=D(2024, 1, 10),
            contract_signed_on=D(2024, 1, 10),
            unit=closed,
            modality="hp",
        )
    assert "fermée" in messages_of(excinfo)
    assert not Placement.objects.exists()


def test_admission_before_first_contact_or_in_the_future_refused(secretaire, usager, unit):
    sejour = pre_admit(secretaire, usager, D(2024, 1, 2))
    before = snapshot()
    for admitted_on, expected in [
        (D(2023, 12, 31), "ne peut pas précéder le premier contact"),
        (D.today() + datetime.timedelta(days=1), "futur"),
    ]:
        with pytest.raises(ValidationError) as excinfo:
            services.sejour_admit(
                secretaire,
                sejour=sejour,
                admitted_on=admitted_on,
                contract_signed_on=D(2024, 1, 2),
                unit=unit,
                modality="hp",
            )
        assert expected in " ".join(excinfo.value.message_dict["admitted_on"])
    assert snapshot() == before


def test_admission_of_an_active_sejour_refused(secretaire, usager, unit):
    sejour = admit(secretaire, usager, unit)
    with pytest.raises(ValidationError, match="Seule une pré-admission"):
        services.sejour_admit(
            secretaire,
            sejour=sejour,
            admitted_on=D(2024, 2, 1),
            contract_signed_on=D(2024, 2, 1),
            unit=unit,
            modality="hp",
        )
    assert Placement.objects.count() == 1


def test_overlapping_sejours_are_refused(secretaire, usager, unit):
    first = admit(secretaire, usager, unit, on=D(2023, 1, 2), first_contact=D(2023, 1, 1))
    exit_(secretaire, first, D(2024, 3, 1))
    sejour = pre_admit(secretaire, usager, D(2024, 2, 1))  # re-admission: a new contact before the sortie is fine
    before = snapshot()
    with pytest.raises(ValidationError) as excinfo:
        services.sejour_admit(
            secretaire,
            sejour=sejour,
            admitted_on=D(2024, 3, 1),
            contract_signed_on=D(2024, 3, 1),
            unit=unit,
            modality="hp",
        )
    assert excinfo.value.message_dict["admitted_on"] == [
        "Les séjours ne peuvent pas se chevaucher : cette admission chevauche le séjour du 02/01/2023 au 01/03/2024."
    ]
    assert snapshot() == before
    services.sejour_admit(
        secretaire,
        sejour=sejour,
        admitted_on=D(2024, 3, 2),
        contract_signed_on=D(2024, 3, 2),
        unit=unit,
        modality="hp",
    )
    assert Sejour.objects.filter(status="active").count() == 1


def test_a_professional_without_the_write_right_is_refused(essms, usager, unit, secretaire):
    aide = professional(essms, Metier.AIDE_SOIGNANT)  # séjours: read only
    with pytest.raises(PermissionDenied):
        pre_admit(aide, usager)
    sejour = admit(secretaire, usager, unit)
    before = snapshot()
    with pytest.raises(PermissionDenied):
        placements_services.placement_change(aide, sejour=sejour, starts_on=D(2024, 2, 1), room="9")
    with pytest.raises(PermissionDenied):
        placements_services.absence_record(aide, sejour=sejour, kind="vacances", starts_on=D(2024, 2, 1))
    with pytest.raises(PermissionDenied):
        exit_(aide, sejour, D(2024, 2, 1))
    assert snapshot() == before


def test_a_professional_of_another_essms_is_refused(usager, foreign_essms):
    outsider = professional(foreign_essms, Metier.DIRECTION)
    with pytest.raises(PermissionDenied):
        pre_admit(outsider, usager)
    assert not Sejour.objects.exists()


# --- Placements ---------------------------------------------------------------------------------


def test_placement_change_closes_the_current_one_the_day_before_and_carries_fields_over(
    secretaire, usager, unit, unit_b
):
    sejour = admit(secretaire, usager, unit, modality="hp", room="12")
    new = placements_services.placement_change(secretaire, sejour=sejour, starts_on=D(2024, 3, 1), unit=unit_b)
    old = Placement.objects.get(starts_on=D(2024, 1, 10))
    assert old.ends_on == D(2024, 2, 29)
    assert (old.unit, old.room, old.modality) == (unit, "12", "hp")  # history kept as it was
    assert (new.unit, new.room, new.modality, new.starts_on, new.ends_on) == (unit_b, "12", "hp", D(2024, 3, 1), None)
    placements_services.placement_change(secretaire, sejour=sejour, starts_on=D(2024, 4, 1), modality="ht")
    latest = selectors.current_placement(secretaire, sejour=sejour, on=D(2024, 4, 2))
    assert (latest.unit, latest.room, latest.modality) == (unit_b, "12", "ht")
    assert Placement.objects.count() == 3
    logs = list(AccessLog.objects.filter(object_type="dui.placement").values_list("action", flat=True))
    assert logs.count("create") == 3
    assert logs.count("update") == 2


@pytest.mark.parametrize("starts_on", [D(2024, 1, 10), D(2024, 1, 5)])
def test_placement_change_not_after_the_current_start_refused(secretaire, usager, unit, unit_b, starts_on):
    sejour = admit(secretaire, usager, unit)
    before = snapshot()
    with pytest.raises(ValidationError) as excinfo:
        placements_services.placement_change(secretaire, sejour=sejour, starts_on=starts_on, unit=unit_b)
    assert excinfo.value.message_dict["starts_on"] == [
        "Le changement doit prendre effet après le début de l'affectation actuelle (10/01/2024)."
    ]
    assert snapshot() == before


def test_placement_change_without_any_change_refused(secretaire, usager, unit):
    sejour = admit(secretaire, usager, unit, room="12")
    with pytest.raises(ValidationError, match="Aucun changement"):
        placements_services.placement_change(secretaire, sejour=sejour, starts_on=D(2024, 2, 1), unit=unit, room="12")
    assert Placement.objects.count() == 1


def test_placement_change_to_a_unit_of_another_essms_refused(secretaire, usager, unit, foreign_essms):
    sejour = admit(secretaire, usager, unit)
    before = snapshot()
    with pytest.raises(ValidationError) as excinfo:
        placements_services.placement_change(
            secretaire, sejour=sejour, starts_on=D(2024, 2, 1), unit=UnitFactory(essms=foreign_essms)
        )
    assert "unit" in excinfo.value.message_dict
    assert snapshot() == before


def test_placement_change_outside_the_sejour_refused(secretaire, usager, unit, unit_b):
    pre = pre_admit(secretaire, usager)
    with pytest.raises(ValidationError, match="séjour en cours"):
        placements_services.placement_change(secretaire, sejour=pre, starts_on=D(2024, 2, 1), unit=unit_b)
    assert not Placement.objects.exists()


# --- Absences -----------------------------------------------------------------------------------


def test_absence_record_and_end(secretaire, usager, unit):
    sejour = admit(secretaire, usager, unit)
    absence = placements_services.absence_record(
        secretaire, sejour=sejour, kind="hospitalisation", starts_on=D(2024, 2, 1), comment="CHU"
    )
    assert absence.ends_on is None
    placements_services.absence_end(secretaire, absence=absence, ends_on=D(2024, 2, 6))
    absence.refresh_from_db()
    assert absence.ends_on == D(2024, 2, 6)
    actions = AccessLog.objects.filter(object_type="dui.absence").order_by("id").values_list("action", flat=True)
    assert list(actions) == ["create", "update"]


@pytest.mark.parametrize(
    ("starts_on", "ends_on"),
    [
        (D(2024, 2, 5), D(2024, 2, 12)),  # starts inside
        (D(2024, 1, 25), D(2024, 2, 1)),  # ends on its first day
        (D(2024, 1, 25), None),  # open-ended, covers it
        (D(2024, 2, 3), D(2024, 2, 4)),  # inside
    ],
)
def test_overlapping_absences_refused(secretaire, usager, unit, starts_on, ends_on):
    sejour = admit(secretaire, usager, unit)
    placements_services.absence_record(
        secretaire, sejour=sejour, kind="vacances", starts_on=D(2024, 2, 1), ends_on=D(2024, 2, 10)
    )
    before = snapshot()
    with pytest.raises(ValidationError) as excinfo:
        placements_services.absence_record(
            secretaire, sejour=sejour, kind="autre", starts_on=starts_on, ends_on=ends_on
        )
    assert excinfo.value.message_dict["starts_on"] == [
        "Cette absence chevauche l'absence « Vacances / séjour en famille » du 01/02/2024 au 10/02/2024."
    ]
    assert snapshot() == before


def test_an_open_absence_blocks_later_absences_until_the_return(secretaire, usager, unit):
    sejour = admit(secretaire, usager, unit)
    open_one = placements_services.absence_record(
        secretaire, sejour=sejour, kind="hospitalisation", starts_on=D(2024, 2, 1)
    )
    with pytest.raises(ValidationError, match="chevauche"):
        placements_services.absence_record(secretaire, sejour=sejour, kind="vacances", starts_on=D(2024, 3, 1))
    placements_services.absence_end(secretaire, absence=open_one, ends_on=D(2024, 2, 10))
    placements_services.absence_record(secretaire, sejour=sejour, kind="vacances", starts_on=D(2024, 3, 1))
    assert Absence.objects.count() == 2


def test_absence_before_admission_or_with_return_before_start_refused(secretaire, usager, unit):
    sejour = admit(secretaire, usager, unit)
    before = snapshot()
    with pytest.raises(ValidationError) as excinfo:
        placements_services.absence_record(secretaire, sejour=sejour, kind="vacances", starts_on=D(2024, 1, 5))
    assert excinfo.value.message_dict["starts_on"] == [
        "Une absence ne peut pas commencer avant l'admission (10/01/2024)."
    ]
    with pytest.raises(ValidationError) as excinfo:
        placements_services.absence_record(
            secretaire, sejour=sejour, kind="vacances", starts_on=D(2024, 2, 5), ends_on=D(2024, 2, 1)
        )
    assert "ends_on" in excinfo.value.message_dict
    with pytest.raises(ValidationError, match="après l'admission"):
        placements_services.absence_record(
            secretaire,
            sejour=pre_admit(secretaire, UsagerFactory(essms=usager.essms)),
            kind="autre",
            starts_on=D(2024, 2, 5),
        )
    assert snapshot()[2:4] == before[2:4]


def test_absence_after_the_sortie_refused(secretaire, usager, unit):
    first = admit(secretaire, usager, unit)
    exit_(secretaire, first, D(2024, 3, 1))
    pre_admit(secretaire, usager, D(2024, 5, 1))  # re-admission: the dossier is writable again
    before = snapshot()
    with pytest.raises(ValidationError) as excinfo:
        placements_services.absence_record(
            secretaire, sejour=first, kind="vacances", starts_on=D(2024, 3, 5), ends_on=D(2024, 3, 8)
        )
    assert excinfo.value.message_dict["starts_on"] == [
        "Une absence ne peut pas commencer après la sortie (01/03/2024)."
    ]
    assert snapshot() == before
    # A past absence inside the closed séjour can still be recorded.
    placements_services.absence_record(
        secretaire, sejour=first, kind="vacances", starts_on=D(2024, 2, 1), ends_on=D(2024, 2, 3)
    )


def test_absence_end_refusals(secretaire, usager, unit):
    sejour = admit(secretaire, usager, unit)
    absence = placements_services.absence_record(secretaire, sejour=sejour, kind="autre", starts_on=D(2024, 2, 5))
    with pytest.raises(ValidationError) as excinfo:
        placements_services.absence_end(secretaire, absence=absence, ends_on=D(2024, 2, 1))
    assert "ends_on" in excinfo.value.message_dict
    placements_services.absence_end(secretaire, absence=absence, ends_on=D(2024, 2, 7))
    with pytest.raises(ValidationError, match="déjà terminée"):
        placements_services.absence_end(secretaire, absence=absence, ends_on=D(2024, 2, 9))
    absence.refresh_from_db()
    assert absence.ends_on == D(2024, 2, 7)


# --- Sortie, archive, re-admission --------------------------------------------------------------


def test_sortie_before_admission_refused(secretaire, usager, unit):
    sejour = admit(secretaire, usager, unit)
    before = snapshot()
    with pytest.raises(ValidationError) as excinfo:
        exit_(secretaire, sejour, D(2024, 1, 9))
    assert excinfo.value.message_dict["ended_on"] == ["La date de sortie ne peut pas précéder l'admission."]
    assert snapshot() == before
    usager.refresh_from_db()
    assert usager.archived_at is None


def test_sortie_of_a_pre_admission_refused(secretaire, usager):
    sejour = pre_admit(secretaire, usager)
    with pytest.raises(ValidationError) as excinfo:
        exit_(secretaire, sejour, D(2024, 1, 9))
    assert "ne peut pas précéder l'admission" in messages_of(excinfo)
    sejour.refresh_from_db()
    assert sejour.status == "pre_admission"


def test_sortie_before_a_later_change_or_absence_refused(secretaire, usager, unit, unit_b):
    sejour = admit(secretaire, usager, unit)
    placements_services.placement_change(secretaire, sejour=sejour, starts_on=D(2024, 3, 1), unit=unit_b)
    placements_services.absence_record(
        secretaire, sejour=sejour, kind="vacances", starts_on=D(2024, 4, 1), ends_on=D(2024, 4, 10)
    )
    before = snapshot()
    with pytest.raises(ValidationError, match="changement d'affectation du 01/03/2024"):
        exit_(secretaire, sejour, D(2024, 2, 15))
    with pytest.raises(ValidationError, match="fin de l'absence"):
        exit_(secretaire, sejour, D(2024, 4, 5))
    assert snapshot() == before


def test_sortie_closes_open_rows_archives_the_dossier_and_is_audited(secretaire, usager, unit):
    sejour = admit(secretaire, usager, unit)
    placements_services.absence_record(secretaire, sejour=sejour, kind="hospitalisation", starts_on=D(2024, 2, 20))
    exit_(secretaire, sejour, D(2024, 3, 1), reason="deces")
    sejour.refresh_from_db()
    usager.refresh_from_db()
    assert (sejour.status, sejour.ended_on, sejour.exit_reason) == ("closed", D(2024, 3, 1), "deces")
    assert Placement.objects.get().ends_on == D(2024, 3, 1)
    assert Absence.objects.get().ends_on == D(2024, 3, 1)
    assert usager.archived_at is not None
    assert AccessLog.objects.filter(object_type="dui.usager", action="update", usager_id=usager.pk).exists()
    assert AccessLog.objects.filter(object_type="dui.sejour", detail__startswith="sortie le 01/03/2024").exists()
    # Still found by authorised roles, read-only.
    assert list(selectors.sejours_for_usager(secretaire, usager=usager)) == [sejour]


def test_writes_on_an_archived_dossier_are_refused(secretaire, usager, unit, essms):
    sejour = admit(secretaire, usager, unit)
    absence = placements_services.absence_record(
        secretaire, sejour=sejour, kind="vacances", starts_on=D(2024, 2, 1), ends_on=D(2024, 2, 3)
    )
    exit_(secretaire, sejour, D(2024, 3, 1))
    before = snapshot()
    attempts = [
        lambda: placements_services.placement_change(secretaire, sejour=sejour, starts_on=D(2024, 4, 1), room="2"),
        lambda: placements_services.absence_record(secretaire, sejour=sejour, kind="autre", starts_on=D(2024, 2, 10)),
        lambda: placements_services.absence_end(secretaire, absence=absence, ends_on=D(2024, 2, 4)),
        lambda: exit_(secretaire, sejour, D(2024, 3, 2)),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError) as excinfo:
            attempt()
        assert excinfo.value.messages == ["Ce dossier est archivé : il est en lecture seule."]
    assert snapshot() == before


def test_full_lifecycle_and_readmission_opens_a_new_sejour(secretaire, usager, unit, unit_b):
    sejour = admit(secretaire, usager, unit)
    placements_services.placement_change(secretaire, sejour=sejour, starts_on=D(2024, 2, 1), unit=unit_b, room="3")
    absence = placements_services.absence_record(secretaire, sejour=sejour, kind="vacances", starts_on=D(2024, 3, 1))
    placements_services.absence_end(secretaire, absence=absence, ends_on=D(2024, 3, 15))
    exit_(secretaire, sejour, D(2024, 4, 30), reason="transfert_essms")
    usager.refresh_from_db()
    assert usager.archived_at is not None

    second = services.sejour_readmit(
        secretaire,
        usager=usager,
        first_contact_on=D(2024, 9, 1),
        admitted_on=D(2024, 9, 15),
        contract_signed_on=D(2024, 9, 15),
        unit=unit,
        modality="ht",
    )
    usager.refresh_from_db()
    assert usager.archived_at is None
    assert second.pk != sejour.pk
    assert second.status == "active"
    sejour.refresh_from_db()
    assert (sejour.status, sejour.ended_on) == ("closed", D(2024, 4, 30))  # history untouched
    assert list(Placement.objects.filter(sejour=sejour).values_list("starts_on", "ends_on")) == [
        (D(2024, 2, 1), D(2024, 4, 30)),
        (D(2024, 1, 10), D(2024, 1, 31)),
    ]
    history = list(selectors.sejours_for_usager(secretaire, usager=usager))
    assert history == [second, sejour]
    assert AccessLog.objects.filter(object_type="dui.usager", detail__contains="désarchivé").count() == 1


def test_pre_admission_on_an_archived_dossier_unarchives_it(secretaire, usager, unit):
    exit_(secretaire, admit(secretaire, usager, unit), D(2024, 2, 1))
    sejour = pre_admit(secretaire, usager, D(2024, 6, 1))
    usager.refresh_from_db()
    assert usager.archived_at is None
    assert sejour.status == "pre_admission"
    assert Sejour.objects.filter(usager=usager).count() == 2


def test_readmission_without_admission_data_stays_a_pre_admission(secretaire, usager):
    sejour = services.sejour_readmit(secretaire, usager=usager, first_contact_on=D(2024, 6, 1))
    assert sejour.status == "pre_admission"


def test_abandoned_pre_admission_is_kept_and_archives_the_dossier(secretaire, usager):
    sejour = pre_admit(secretaire, usager)
    with pytest.raises(ValidationError, match="premier contact"):
        services.sejour_cancel(secretaire, sejour=sejour, ended_on=D(2024, 1, 1), exit_reason="autre")
    services.sejour_cancel(secretaire, sejour=sejour, ended_on=D(2024, 1, 20), exit_reason="autre")
    sejour.refresh_from_db()
    usager.refresh_from_db()
    assert (sejour.status, sejour.ended_on) == ("cancelled", D(2024, 1, 20))
    assert usager.archived_at is not None


def test_anonymised_dossier_cannot_be_readmitted(secretaire, usager):
    usager.anonymised_at = usager.created_at
    usager.save(update_fields=["anonymised_at"])
    with pytest.raises(ValidationError, match="anonymisé"):
        pre_admit(secretaire, usager)
    assert not Sejour.objects.exists()


# --- Amendement Creton --------------------------------------------------------------------------


@pytest.fixture
def young_adult(sibling_essms):
    """A young adult of the IME (a children's establishment): 20 on 3 March 2024."""
    return UsagerFactory(essms=sibling_essms, birth_name="PETIT", birth_date=D(2004, 3, 3))


@pytest.fixture
def assistant_social(sibling_essms):
    return professional(sibling_essms, Metier.ASSISTANT_SOCIAL)


def test_creton_decision_recorded_for_a_young_adult_in_an_ime(assistant_social, young_adult):
    decision = creton_services.creton_decision_record(
        assistant_social,
        usager=young_adult,
        decided_on=D(2024, 1, 15),
        valid_until=D(2025, 1, 14),
        orientation="FAM Les Iris",
    )
    assert (decision.essms_id, decision.orientation) == (young_adult.essms_id, "FAM Les Iris")
    log = AccessLog.objects.get()
    assert (log.action, log.document_class, log.usager_id) == ("create", "amendement_creton", young_adult.pk)


def test_creton_decision_refused_in_an_ehpad(essms, usager):
    director = professional(essms, Metier.DIRECTION)
    with pytest.raises(ValidationError) as excinfo:
        creton_services.creton_decision_record(
            director, usager=usager, decided_on=D(2024, 1, 15), valid_until=D(2025, 1, 14)
        )
    assert excinfo.value.messages == [
        "L'amendement Creton ne concerne que les établissements pour enfants (IME, IMPRO, SESSAD, CAMSP, MECS) : "
        "EHPAD Les Cèdres (EHPAD) n'en relève pas."
    ]
    assert not CretonDecision.objects.exists()
    assert not AccessLog.objects.exists()


def test_creton_decision_refused_for_a_child_and_for_bad_dates(assistant_social, sibling_essms):
    child = UsagerFactory(essms=sibling_essms, birth_date=D(2012, 5, 1))
    with pytest.raises(ValidationError, match="jeunes adultes de 20 ans"):
        creton_services.creton_decision_record(
            assistant_social, usager=child, decided_on=D(2024, 1, 15), valid_until=D(2025, 1, 14)
        )
    adult = UsagerFactory(essms=sibling_essms, birth_date=D(2003, 5, 1))
    with pytest.raises(ValidationError) as excinfo:
        creton_services.creton_decision_record(
            assistant_social, usager=adult, decided_on=D(2024, 1, 15), valid_until=D(2024, 1, 15)
        )
    assert "valid_until" in excinfo.value.message_dict
    assert not CretonDecision.objects.exists()


def test_creton_decision_refused_on_an_archived_dossier(assistant_social, young_adult):
    young_adult.archived_at = young_adult.created_at
    young_adult.save(update_fields=["archived_at"])
    with pytest.raises(ValidationError, match="archivé"):
        creton_services.creton_decision_record(
            assistant_social, usager=young_adult, decided_on=D(2024, 1, 15), valid_until=D(2025, 1, 14)
        )
    assert not CretonDecision.objects.exists()


def test_creton_renewals_due_lists_latest_decisions_expiring_soon_or_past(assistant_social, sibling_essms, essms):
    today = D(2025, 6, 1)

    def decision(usager, valid_until):
        return CretonDecision.objects.create(
            essms=usager.essms,
            usager=usager,
            decided_on=valid_until - datetime.timedelta(days=365),
            valid_until=valid_until,
            created_by=assistant_social,
        )

    soon = decision(UsagerFactory(essms=sibling_essms, birth_name="BIENTOT"), D(2025, 7, 15))
    past = decision(UsagerFactory(essms=sibling_essms, birth_name="ECHU"), D(2025, 5, 1))
    renewed = UsagerFactory(essms=sibling_essms, birth_name="RENOUVELE")
    decision(renewed, D(2025, 6, 10))
    decision(renewed, D(2026, 6, 10))  # renewed: no alert
    decision(UsagerFactory(essms=sibling_essms, birth_name="LOIN"), D(2025, 12, 1))
    archived = UsagerFactory(essms=sibling_essms, birth_name="PARTI", archived_at=assistant_social.date_joined)
    decision(archived, D(2025, 6, 5))
    decision(UsagerFactory(essms=essms, birth_name="AUTRE"), D(2025, 6, 5))  # another ESSMS

    due = list(selectors.creton_renewals_due(assistant_social, today=today))
    assert due == [past, soon]
    assert list(selectors.creton_renewals_due(professional(sibling_essms, Metier.TECHNIQUE), today=today)) == []


# --- Selectors: presence, active file -----------------------------------------------------------


def test_presence_on_follows_the_dated_history_across_a_unit_change(secretaire, usager, unit, unit_b):
    sejour = admit(secretaire, usager, unit)
    placements_services.placement_change(secretaire, sejour=sejour, starts_on=D(2024, 3, 1), unit=unit_b)
    placements_services.absence_record(
        secretaire, sejour=sejour, kind="hospitalisation", starts_on=D(2024, 3, 10), ends_on=D(2024, 3, 12)
    )
    exit_(secretaire, sejour, D(2024, 4, 30))

    def on(day, **kwargs):
        return [
            (e.usager.pk, e.placement.unit_id, e.present) for e in selectors.presence_on(secretaire, day=day, **kwargs)
        ]

    assert on(D(2024, 1, 9)) == []  # before admission
    assert on(D(2024, 1, 10)) == [(usager.pk, unit.pk, True)]
    assert on(D(2024, 2, 29)) == [(usager.pk, unit.pk, True)]
    assert on(D(2024, 3, 1)) == [(usager.pk, unit_b.pk, True)]
    assert on(D(2024, 3, 1), unit=unit) == []
    assert on(D(2024, 3, 11)) == [(usager.pk, unit_b.pk, False)]
    assert on(D(2024, 3, 13)) == [(usager.pk, unit_b.pk, True)]
    assert on(D(2024, 4, 30)) == [(usager.pk, unit_b.pk, True)]
    assert on(D(2024, 5, 1)) == []  # after the sortie
    entry = selectors.presence_on(secretaire, day=D(2024, 3, 11))[0]
    assert entry.absence.kind == "hospitalisation"


def test_presence_on_is_scoped_to_the_active_essms(secretaire, usager, unit, foreign_essms):
    admit(secretaire, usager, unit)
    outsider = professional(foreign_essms, Metier.DIRECTION)
    assert selectors.presence_on(outsider, day=D(2024, 2, 1)) == []
    assert selectors.presence_on(professional(usager.essms, Metier.TECHNIQUE), day=D(2024, 2, 1)) == []


def _populate(n, essms, unit, user):
    for _ in range(n):
        person = UsagerFactory(essms=essms)
        sejour = admit(user, person, unit)
        placements_services.absence_record(user, sejour=sejour, kind="vacances", starts_on=D(2024, 2, 1))


@pytest.mark.parametrize("count", [3, 15])
def test_presence_query_count_does_not_grow(secretaire, essms, unit, count, django_assert_max_num_queries):
    _populate(count, essms, unit, secretaire)
    user = professional(essms, Metier.AIDE_SOIGNANT)
    with django_assert_max_num_queries(3):  # the matrix row, the placements, the absences
        entries = selectors.presence_on(user, day=D(2024, 2, 2))
    assert len(entries) == count
    assert all(e.placement.unit.name == unit.name for e in entries)
    assert {e.absence.kind for e in entries} == {"vacances"}


def test_presence_follows_the_dated_history(secretaire, essms, unit, unit_b, foreign_essms):
    present = UsagerFactory(essms=essms, birth_name="PRESENT")
    moved = UsagerFactory(essms=essms, birth_name="DEPLACE")
    gone = UsagerFactory(essms=essms, birth_name="SORTI")
    waiting = UsagerFactory(essms=essms, birth_name="ATTENTE")
    admit(secretaire, present, unit)
    sejour = admit(secretaire, moved, unit)
    placements_services.placement_change(secretaire, sejour=sejour, starts_on=D(2024, 3, 1), unit=unit_b)
    exit_(secretaire, admit(secretaire, gone, unit), D(2024, 2, 1))
    pre_admit(secretaire, waiting)
    UsagerFactory(essms=foreign_essms)

    def units_on(day, **kwargs):
        return {
            e.usager.birth_name: e.placement.unit.name for e in selectors.presence_on(secretaire, day=day, **kwargs)
        }

    assert units_on(D(2024, 4, 1)) == {"PRESENT": unit.name, "DEPLACE": unit_b.name}
    assert units_on(D(2024, 4, 1), unit=unit) == {"PRESENT": unit.name}
    assert units_on(D(2024, 1, 20)) == {"PRESENT": unit.name, "DEPLACE": unit.name, "SORTI": unit.name}
    assert selectors.presence_on(professional(foreign_essms, Metier.DIRECTION), day=D(2024, 4, 1)) == []


def test_sejours_for_usager_is_scoped(secretaire, usager, unit, foreign_essms, sibling_essms):
    admit(secretaire, usager, unit)
    assert selectors.sejours_for_usager(professional(foreign_essms, Metier.DIRECTION), usager=usager).count() == 0
    assert selectors.sejours_for_usager(professional(sibling_essms, Metier.DIRECTION), usager=usager).count() == 0
    assert selectors.sejours_for_user(professional(foreign_essms, Metier.DIRECTION)).count() == 0
    assert selectors.sejours_for_usager(secretaire, usager=usager).count() == 1


def test_timeline_orders_events(secretaire, usager, unit, unit_b):
    sejour = admit(secretaire, usager, unit)
    placements_services.placement_change(secretaire, sejour=sejour, starts_on=D(2024, 3, 1), unit=unit_b)
    placements_services.absence_record(
        secretaire, sejour=sejour, kind="vacances", starts_on=D(2024, 2, 1), ends_on=D(2024, 2, 5)
    )
    exit_(secretaire, sejour, D(2024, 4, 1))
    sejour = selectors.sejours_for_usager(secretaire, usager=usager).get()
    kinds = [(e.day, e.kind) for e in selectors.sejour_timeline(sejour)]
    assert kinds == [
        (D(2024, 1, 2), "pre_admission"),
        (D(2024, 1, 10), "admission"),
        (D(2024, 1, 10), "placement"),
        (D(2024, 2, 1), "absence"),
        (D(2024, 3, 1), "placement"),
        (D(2024, 4, 1), "sortie"),
    ]
    assert SejourStatus.CLOSED == sejour.status


def test_readmission_with_a_bad_admission_writes_nothing(secretaire, usager, unit, sibling_essms):
    exit_(secretaire, admit(secretaire, usager, unit), D(2024, 2, 1))
    before = snapshot()
    with pytest.raises(ValidationError) as excinfo:
        services.sejour_readmit(
            secretaire,
            usager=usager,
            first_contact_on=D(2024, 6, 1),
            admitted_on=D(2024, 6, 10),
            contract_signed_on=D(2024, 6, 10),
            unit=UnitFactory(essms=sibling_essms),
            modality="hp",
        )
    assert "unit" in excinfo.value.message_dict
    assert snapshot() == before
    usager.refresh_from_db()
    assert usager.archived_at is not None  # still archived: the whole re-admission was rolled back
