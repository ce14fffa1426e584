"""Services of the activities: programme and participation, every bad input refused in French, nothing written."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from activities.models import Activity, ActivitySession, Attendance, Registration, SessionStatus
from activities.services import participation, programme
from dui.errors import NotFound, RightRefused
from dui.models import AccessLog, Metier
from tests.activities.factories import activity, admitted, register, session
from tests.factories import UnitFactory, UsagerFactory, professional


@pytest.fixture
def animatrice(essms):
    return professional(essms, Metier.ANIMATEUR)


@pytest.fixture
def loto(essms, animatrice):
    return activity(essms, by=animatrice)


def test_activity_create_and_duplicate_name_refused(animatrice, essms):
    created = programme.activity_create(animatrice, kind="atelier", name=" Atelier mémoire ", default_place="Salle 2")
    assert (created.name, created.essms_id) == ("Atelier mémoire", essms.pk)
    with pytest.raises(ValidationError) as error:
        programme.activity_create(animatrice, kind="atelier", name="ATELIER mémoire")
    assert "déjà ce nom" in str(error.value)
    assert Activity.objects.count() == 1


def test_activity_unknown_kind_refused(animatrice):
    with pytest.raises(ValidationError) as error:
        programme.activity_create(animatrice, kind="karaoke", name="Chant")
    assert error.value.message_dict == {"kind": ["Type d'activité inconnu."]}
    assert not Activity.objects.exists()


def test_an_ash_may_read_but_not_write_the_programme(essms):
    ash = professional(essms, Metier.ASH)
    with pytest.raises(RightRefused):
        programme.activity_create(ash, kind="atelier", name="Chant")
    assert not Activity.objects.exists()


def test_session_create_with_units_and_facilitators(animatrice, loto, essms, unit):
    starts = timezone.now() + datetime.timedelta(days=1)
    created = programme.session_create(
        animatrice, activity=loto, starts_at=starts, unit_ids=[unit.pk], facilitator_ids=[animatrice.pk]
    )
    assert created.place == "Salon"  # the activity's default place
    assert list(created.units.all()) == [unit]
    assert list(created.facilitators.all()) == [animatrice]
    assert created.status == SessionStatus.PLANNED
    assert AccessLog.objects.filter(object_type="activities.activitysession", action="create").count() == 1


def test_session_in_the_past_marked_planned_is_refused(animatrice, loto):
    with pytest.raises(ValidationError) as error:
        programme.session_create(animatrice, activity=loto, starts_at=timezone.now() - datetime.timedelta(hours=3))
    assert error.value.message_dict == {"status": [programme.PAST_PLANNED]}
    assert not ActivitySession.objects.exists()


def test_session_in_the_past_recorded_as_held_is_accepted(animatrice, loto):
    held = programme.session_create(
        animatrice, activity=loto, starts_at=timezone.now() - datetime.timedelta(hours=3), status=SessionStatus.HELD
    )
    assert held.status == SessionStatus.HELD


def test_session_to_come_marked_held_is_refused(animatrice, loto):
    with pytest.raises(ValidationError) as error:
        programme.session_create(
            animatrice, activity=loto, starts_at=timezone.now() + datetime.timedelta(days=2), status=SessionStatus.HELD
        )
    assert error.value.message_dict == {"status": [programme.FUTURE_HELD]}
    assert not ActivitySession.objects.exists()


def test_session_with_a_unit_of_another_essms_is_refused(animatrice, loto, sibling_essms):
    other_unit = UnitFactory(essms=sibling_essms)
    with pytest.raises(ValidationError) as error:
        programme.session_create(
            animatrice, activity=loto, starts_at=timezone.now() + datetime.timedelta(days=1), unit_ids=[other_unit.pk]
        )
    assert error.value.message_dict == {"units": ["Unité inconnue dans cet établissement."]}
    assert not ActivitySession.objects.exists()


def test_session_run_by_a_professional_of_another_essms_is_refused(animatrice, loto, sibling_essms):
    outsider = professional(sibling_essms, Metier.ANIMATEUR)
    with pytest.raises(ValidationError) as error:
        programme.session_create(
            animatrice, activity=loto, starts_at=timezone.now() + datetime.timedelta(days=1),
            facilitator_ids=[outsider.pk],
        )  # fmt: skip
    assert error.value.message_dict == {"facilitators": ["Professionnel inconnu dans cet établissement."]}
    assert not ActivitySession.objects.exists()


def test_session_end_before_start_is_refused(animatrice, loto):
    starts = timezone.now() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        programme.session_create(
            animatrice, activity=loto, starts_at=starts, ends_at=starts - datetime.timedelta(hours=1)
        )
    assert error.value.message_dict == {"ends_at": ["La fin de la séance doit être après son début."]}
    assert not ActivitySession.objects.exists()


def test_session_of_an_activity_of_another_essms_is_not_found(loto, sibling_essms):
    outsider = professional(sibling_essms, Metier.ANIMATEUR)
    with pytest.raises(NotFound):
        programme.session_create(outsider, activity=loto, starts_at=timezone.now() + datetime.timedelta(days=1))
    assert not ActivitySession.objects.exists()


def test_session_of_a_withdrawn_activity_is_refused(animatrice, loto):
    programme.activity_update(animatrice, activity=loto, is_active=False)
    with pytest.raises(ValidationError) as error:
        programme.session_create(animatrice, activity=loto, starts_at=timezone.now() + datetime.timedelta(days=1))
    assert "plus proposée" in str(error.value)
    assert not ActivitySession.objects.exists()


def test_registration_of_a_person_with_a_sejour(animatrice, loto, usager):
    admitted(usager, by=animatrice)
    sess = session(loto, by=animatrice)
    registration = participation.registration_create(animatrice, session=sess, usager=usager)
    assert registration.essms_id == sess.essms_id
    assert (
        AccessLog.objects.filter(object_type="activities.registration", action="create", usager_id=usager.pk).count()
        == 1
    )
    with pytest.raises(ValidationError) as error:
        participation.registration_create(animatrice, session=sess, usager=usager)
    assert error.value.message_dict == {"usager": [participation.ALREADY]}
    assert Registration.objects.count() == 1


def test_registration_of_a_person_of_another_essms_is_refused(animatrice, loto, sibling_essms):
    outsider = admitted(UsagerFactory(essms=sibling_essms), by=animatrice)
    sess = session(loto, by=animatrice)
    with pytest.raises(ValidationError) as error:
        participation.registration_create(animatrice, session=sess, usager=outsider)
    assert error.value.message_dict == {"usager": [participation.OTHER_ESSMS]}
    assert not Registration.objects.exists()


def test_registration_of_a_person_without_sejour_is_refused(animatrice, loto, usager):
    sess = session(loto, by=animatrice)
    with pytest.raises(ValidationError) as error:
        participation.registration_create(animatrice, session=sess, usager=usager)
    assert error.value.message_dict == {"usager": [participation.NO_SEJOUR]}
    assert not Registration.objects.exists()


def _today_session(loto, animatrice):
    return session(loto, by=animatrice, starts_at=timezone.now() - datetime.timedelta(minutes=5), status="held")


def test_attendance_marks_the_session_held_and_keeps_satisfaction(animatrice, loto, usager):
    admitted(usager, by=animatrice)
    sess = session(loto, by=animatrice, starts_at=timezone.now() - datetime.timedelta(minutes=5))
    ActivitySession.objects.filter(pk=sess.pk).update(status=SessionStatus.PLANNED)
    sess.refresh_from_db()
    register(sess, usager, by=animatrice)
    row = participation.attendance_record(
        animatrice, session=sess, usager_id=usager.pk, attendance="present", satisfaction="4", comment=" Ravie "
    )
    assert (row.attendance, row.satisfaction, row.satisfaction_comment) == ("present", 4, "Ravie")
    sess.refresh_from_db()
    assert sess.status == SessionStatus.HELD
    row = participation.attendance_record(animatrice, session=sess, usager_id=usager.pk, attendance="present")
    assert row.satisfaction == 4  # one tap on the attendance keeps the score already given
    row = participation.attendance_record(animatrice, session=sess, usager_id=usager.pk, attendance="refused")
    assert (row.attendance, row.satisfaction) == (Attendance.REFUSED, None)


@pytest.mark.parametrize("score", [7, 0, "quatre", "4.5", -1])
def test_satisfaction_outside_1_to_5_is_refused(animatrice, loto, usager, score):
    sess = _today_session(loto, animatrice)
    register(sess, usager, by=animatrice)
    with pytest.raises(ValidationError) as error:
        participation.attendance_record(
            animatrice, session=sess, usager_id=usager.pk, attendance="present", satisfaction=score
        )
    assert error.value.message_dict == {"satisfaction": [participation.SCORE]}
    assert Registration.objects.get().attendance == ""


def test_satisfaction_of_an_absent_person_is_refused(animatrice, loto, usager):
    sess = _today_session(loto, animatrice)
    register(sess, usager, by=animatrice)
    with pytest.raises(ValidationError) as error:
        participation.attendance_record(
            animatrice, session=sess, usager_id=usager.pk, attendance="absent", satisfaction=3
        )
    assert error.value.message_dict == {"satisfaction": [participation.ONLY_PRESENT]}
    assert Registration.objects.get().attendance == ""


def test_attendance_of_a_person_not_registered_is_refused(animatrice, loto, usager, essms):
    sess = _today_session(loto, animatrice)
    register(sess, UsagerFactory(essms=essms), by=animatrice)
    with pytest.raises(ValidationError) as error:
        participation.attendance_record(animatrice, session=sess, usager_id=usager.pk, attendance="present")
    assert error.value.message_dict == {"usager": [participation.NOT_REGISTERED]}
    assert not Registration.objects.filter(usager=usager).exists()
    assert set(Registration.objects.values_list("attendance", flat=True)) == {""}


def test_attendance_before_the_session_day_is_refused(animatrice, loto, usager):
    sess = session(loto, by=animatrice, starts_at=timezone.now() + datetime.timedelta(days=2))
    register(sess, usager, by=animatrice)
    with pytest.raises(ValidationError) as error:
        participation.attendance_record(animatrice, session=sess, usager_id=usager.pk, attendance="present")
    assert error.value.message_dict == {"attendance": [participation.TOO_EARLY]}
    assert Registration.objects.get().attendance == ""


def test_unknown_attendance_is_refused(animatrice, loto, usager):
    sess = _today_session(loto, animatrice)
    register(sess, usager, by=animatrice)
    with pytest.raises(ValidationError):
        participation.attendance_record(animatrice, session=sess, usager_id=usager.pk, attendance="peut-être")
    assert Registration.objects.get().attendance == ""


def test_attendance_on_a_cancelled_session_is_refused(animatrice, loto, usager):
    sess = _today_session(loto, animatrice)
    register(sess, usager, by=animatrice)
    programme.session_set_status(animatrice, session=sess, status=SessionStatus.CANCELLED)
    with pytest.raises(ValidationError):
        participation.attendance_record(animatrice, session=sess, usager_id=usager.pk, attendance="present")
    assert Registration.objects.get().attendance == ""


def test_a_session_with_attendance_cannot_go_back_to_planned(animatrice, loto, usager):
    sess = session(loto, by=animatrice, starts_at=timezone.now() + datetime.timedelta(hours=1))
    register(sess, usager, by=animatrice, attendance="present")
    with pytest.raises(ValidationError):
        programme.session_set_status(animatrice, session=sess, status=SessionStatus.PLANNED)


def test_registration_cancel_only_before_attendance(animatrice, loto, usager, essms):
    sess = _today_session(loto, animatrice)
    done = register(sess, usager, by=animatrice, attendance="present")
    with pytest.raises(ValidationError):
        participation.registration_cancel(animatrice, registration=done)
    pending = register(sess, UsagerFactory(essms=essms), by=animatrice)
    participation.registration_cancel(animatrice, registration=pending)
    assert list(Registration.objects.all()) == [done]
