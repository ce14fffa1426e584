"""RPPS on professionals: 11 digits with a Luhn key, unique when set, editable in the administration."""

from collections import defaultdict

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse

from dui.models import Metier, User
from dui.rpps import idnat_ps, rpps_from_national_id, validate_rpps
from dui.selectors.people import user_for_rpps
from tests.factories import UserFactory, professional

VALID = "10001023232"
BAD_KEY = "10001023233"


@pytest.mark.parametrize("number", [VALID, "10001034346", "10001 0232 32", "100.0102.3232"])
def test_valid_numbers_pass(number):
    validate_rpps(number)


@pytest.mark.parametrize("number", ["1000102323", "100010232321", "1000102323A", "", "8" + VALID])
def test_format_refused(number):
    with pytest.raises(ValidationError) as error:
        validate_rpps(number)
    assert "11 chiffres attendus" in error.value.messages[0]


def test_wrong_key_refused():
    with pytest.raises(ValidationError) as error:
        validate_rpps(BAD_KEY)
    assert "clé de contrôle" in error.value.messages[0]


def test_key_check_can_be_turned_off(settings):
    settings.RPPS_CHECK_KEY = False
    validate_rpps(BAD_KEY)


@pytest.mark.parametrize(
    ("national_id", "rpps"),
    [("810001023232", VALID), (VALID, VALID), ("0123456789", ""), ("3123456789/abc", ""), ("", ""), ("8100010232", "")],
)
def test_rpps_from_national_id(national_id, rpps):
    assert rpps_from_national_id(national_id) == rpps


def test_idnat_ps_is_8_plus_rpps():
    assert idnat_ps(VALID) == "810001023232"


def test_model_refuses_a_bad_key_in_french(db):
    user = UserFactory.build(username="x.bad", rpps=BAD_KEY)
    with pytest.raises(ValidationError) as error:
        user.full_clean()
    assert "clé de contrôle" in " ".join(error.value.message_dict["rpps"])


def test_rpps_unique_when_set(db):
    UserFactory(username="a", rpps=VALID)
    second = UserFactory.build(username="b", rpps=VALID)
    with pytest.raises(ValidationError) as error:
        second.full_clean()
    assert "déjà celui d'un autre compte" in str(error.value)
    with pytest.raises(IntegrityError):
        second.save()


def test_many_accounts_without_rpps(db):
    UserFactory(username="a", rpps="")
    UserFactory(username="b", rpps="")
    assert User.objects.filter(rpps="").count() == 2


def test_user_for_rpps_skips_inactive_and_partner_accounts(essms):
    assert user_for_rpps("") is None
    partner = professional(essms, Metier.PARTENAIRE, username="sys", rpps=VALID, is_partner_system=True)
    assert user_for_rpps(VALID) is None
    partner.rpps = ""
    partner.save()
    user = professional(essms, Metier.IDE, username="ide", rpps=VALID)
    assert user_for_rpps(VALID) == user
    user.is_active = False
    user.save()
    assert user_for_rpps(VALID) is None


@pytest.fixture
def admin_client(client, db):
    admin = User.objects.create_superuser("root", "root@example.org", "Correct-horse-battery-42")
    client.force_login(admin)
    return client


def change_form_data(user: User, **changes) -> dict:
    return {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "08:00:00",
        "rpps": user.rpps,
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        **changes,
    }


def test_admin_sets_an_rpps(admin_client, essms):
    user = professional(essms, Metier.MEDECIN, username="dr.lefort")
    response = admin_client.post(reverse("admin:dui_user_change", args=[user.pk]), change_form_data(user, rpps=VALID))
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.rpps == VALID


@pytest.mark.parametrize(
    ("rpps", "message"), [(BAD_KEY, "clé de contrôle"), ("12345", "11 chiffres"), ("1000102323A", "11 chiffres")]
)
def test_admin_refuses_a_bad_rpps(admin_client, essms, rpps, message):
    user = professional(essms, Metier.MEDECIN, username="dr.lefort")
    response = admin_client.post(reverse("admin:dui_user_change", args=[user.pk]), change_form_data(user, rpps=rpps))
    assert response.status_code == 200
    assert message in response.content.decode()
    user.refresh_from_db()
    assert user.rpps == ""


def test_admin_refuses_a_taken_rpps(admin_client, essms):
    professional(essms, Metier.IDE, username="ide", rpps=VALID)
    user = professional(essms, Metier.MEDECIN, username="dr.lefort")
    response = admin_client.post(reverse("admin:dui_user_change", args=[user.pk]), change_form_data(user, rpps=VALID))
    assert response.status_code == 200
    assert "déjà celui d" in response.content.decode()
    user.refresh_from_db()
    assert user.rpps == ""


def test_demo_health_professionals_get_valid_rpps(db):
    from demo.seed.tenancy import DEMO_RPPS, seed_tenancy

    seed_tenancy(defaultdict(int))
    seed_tenancy(defaultdict(int))  # idempotent
    accounts = {user.username: user.rpps for user in User.objects.exclude(rpps="")}
    assert accounts == DEMO_RPPS
    for username in ("ehpad.medecin", "ehpad.ide", "ehpad.pharmacien", "ehpad.medecin_coordonnateur"):
        validate_rpps(accounts[username])
    assert not User.objects.get(username="ehpad.ash").rpps
