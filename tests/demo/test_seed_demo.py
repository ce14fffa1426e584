from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from demo.seed import DEMO_PASSWORD
from dui.finess import finess_is_valid
from dui.models import Essms, EssmsKind, Membership, Metier, OrganismeGestionnaire, Unit, Usager, User

pytestmark = pytest.mark.django_db

MODELS = (OrganismeGestionnaire, Essms, Unit, User, Membership, Usager)


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def test_seed_demo_is_idempotent():
    first_output = seed()
    after_first = counts()
    second_output = seed()

    assert counts() == after_first
    assert "rien à créer" in second_output
    assert "rien à créer" not in first_output


def test_seed_demo_does_not_reset_a_changed_password():
    seed()
    user = User.objects.get(username="ehpad.ide")
    user.set_password("Un-autre-mot-de-passe-2026")
    user.save()

    seed()

    user.refresh_from_db()
    assert user.check_password("Un-autre-mot-de-passe-2026")


def test_seed_demo_finess_numbers_are_valid():
    seed()
    og = OrganismeGestionnaire.objects.get(name="Association Les Cèdres")
    assert finess_is_valid(og.finess_juridique)
    assert og.essms_set.count() == 2
    for essms in og.essms_set.all():
        assert finess_is_valid(essms.finess)


@pytest.mark.parametrize(
    ("name", "kind", "capacity", "units", "usernames"),
    [
        (
            "EHPAD Les Cèdres",
            EssmsKind.EHPAD,
            90,
            {"Unité Glycine", "Unité Lilas", "UVP Les Iris"},
            {"ehpad.direction", "ehpad.ide", "ehpad.aide_soignant", "ehpad.medecin_coordonnateur", "og.direction"},
        ),
        (
            "IME Les Peupliers",
            EssmsKind.IME,
            60,
            {"Internat", "Semi-internat", "Atelier Horticulture"},
            {"ime.direction", "ime.educateur", "ime.psychologue", "og.direction"},
        ),
    ],
)
def test_seed_demo_establishments_have_units_staff_and_usagers(name, kind, capacity, units, usernames):
    seed()
    essms = Essms.objects.get(name=name)

    assert essms.kind == kind
    assert essms.capacity == capacity
    assert set(essms.units.values_list("name", flat=True)) == units
    members = set(Membership.objects.active().filter(essms=essms).values_list("user__username", flat=True))
    assert usernames <= members
    assert essms.usagers.count() >= 3


def test_seed_demo_covers_main_metiers():
    seed()
    metiers = set(Membership.objects.values_list("metier", flat=True))
    expected = {
        Metier.DIRECTION,
        Metier.CADRE_SANTE,
        Metier.MEDECIN_COORDONNATEUR,
        Metier.IDE,
        Metier.AIDE_SOIGNANT,
        Metier.ASH,
        Metier.EDUCATEUR,
        Metier.PSYCHOLOGUE,
        Metier.ANIMATEUR,
        Metier.SECRETAIRE_MEDICALE,
        Metier.DPO,
        Metier.ADMINISTRATEUR,
    }
    assert expected <= metiers


def test_seed_demo_og_user_works_in_both_establishments():
    seed()
    finesses = set(
        Membership.objects.active().filter(user__username="og.direction").values_list("essms__finess", flat=True)
    )
    assert finesses == set(Essms.objects.values_list("finess", flat=True))


def test_seed_demo_accounts_log_in_with_the_printed_password(rf):
    output = seed()
    assert DEMO_PASSWORD in output
    assert "ime.educateur" in output
    request = rf.post("/connexion/")
    assert authenticate(request, username="ime.educateur", password=DEMO_PASSWORD) is not None


def test_seed_demo_relative_logs_in_on_the_portal(client):
    """The demo relative (famille.martin) reaches her mother's page with the printed password."""
    from django.urls import reverse

    call_command("seed_demo", stdout=StringIO())
    response = client.post(reverse("portal-login"), {"username": "famille.martin", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    page = client.get(reverse("portal-home")).content.decode()
    assert "A participé au loto" in page and "Messages avec l'équipe" in page
