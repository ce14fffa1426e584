"""Patient banner: content, rights, fixed query count, pages that show it, flags editing (web and API)."""

import datetime

import pytest
from django.urls import reverse

from dui.models import Allergy, Metier, Placement, Sejour, Usager
from dui.selectors.banner import ALLERGIES_UNKNOWN, age_on, banner_for, banners_for
from dui.services.medical import usager_set_flags
from tests.factories import UsagerFactory, professional


@pytest.fixture
def ide(essms):
    return professional(essms, Metier.IDE)


def place(usager, unit, room="12"):
    by = professional(usager.essms, Metier.DIRECTION)
    sejour = Sejour.objects.create(
        essms=usager.essms, usager=usager, status="active", first_contact_on=datetime.date(2024, 1, 1),
        admitted_on=datetime.date(2024, 1, 1), created_by=by,
    )  # fmt: skip
    return Placement.objects.create(
        essms=usager.essms, sejour=sejour, usager=usager, unit=unit, room=room, modality="hp",
        starts_on=datetime.date(2024, 1, 1), created_by=by,
    )  # fmt: skip


def allergy(usager, substance, severity=""):
    return Allergy.objects.create(
        essms=usager.essms, usager=usager, substance=substance, severity=severity,
        created_by=professional(usager.essms, Metier.MEDECIN),
    )  # fmt: skip


def test_age_counts_birthdays():
    assert age_on(datetime.date(1940, 6, 15), datetime.date(2025, 6, 14)) == 84
    assert age_on(datetime.date(1940, 6, 15), datetime.date(2025, 6, 15)) == 85


def test_banner_shows_names_room_unit_allergies_and_alerts(essms, unit, ide):
    usager = UsagerFactory(essms=essms, birth_name="MARTIN", used_name="DURAND", first_names="Jeanne")
    place(usager, unit, room="7")
    allergy(usager, "Amoxicilline", "moderee")
    allergy(usager, "Pénicilline", "severe")
    ended = allergy(usager, "Iode")
    Allergy.objects.filter(pk=ended.pk).update(ended_at=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC))
    Usager.objects.filter(pk=usager.pk).update(fall_risk=True, swallowing_disorder=True, isolation_bmr=True)
    usager.refresh_from_db()
    banner = banner_for(ide, usager=usager)
    assert banner.shows_birth_name and banner.birth_name == "MARTIN"
    assert (banner.room, banner.unit_name) == ("7", unit.name)
    assert [a.substance for a in banner.allergies] == ["Pénicilline", "Amoxicilline"]  # severe first, ended left out
    assert banner.has_severe_allergy
    assert [a.code for a in banner.alerts] == ["isolation_bmr", "swallowing_disorder", "fall_risk"]
    assert banner.initials == "JD"


def test_no_allergy_reads_non_renseigne(client, essms, unit, ide, usager):
    place(usager, unit)
    assert banner_for(ide, usager=usager).allergies == []
    client.force_login(ide)
    assert ALLERGIES_UNKNOWN in client.get(reverse("usager-detail", args=[usager.pk])).content.decode()


def test_rights_hide_what_the_metier_may_not_read(essms, unit, usager):
    """An assistant social reads no care nor medical class: no allergies, no alerts, never shown as "none"."""
    social = professional(essms, Metier.ASSISTANT_SOCIAL)
    ash = professional(essms, Metier.ASH)
    place(usager, unit)
    allergy(usager, "Latex", "severe")
    Usager.objects.filter(pk=usager.pk).update(palliative_care=True, fall_risk=True)
    usager.refresh_from_db()
    banner = banner_for(social, usager=usager)
    assert banner.allergies is None and banner.alerts == []
    assert banner.room == "12"  # séjours: readable
    banner = banner_for(ash, usager=usager)
    assert [a.substance for a in banner.allergies] == ["Latex"]
    assert [a.code for a in banner.alerts] == ["fall_risk"]  # plan de soins readable, soins palliatifs not


def test_fixed_query_count_with_few_and_many(django_assert_num_queries, essms, unit, ide):
    people = []
    for n in range(12):
        person = UsagerFactory(essms=essms, birth_name=f"NOM{n}", first_names="Paul")
        place(person, unit, room=str(n))
        allergy(person, "Latex", "severe")
        people.append(person)
    banners_for(ide, usagers=people[:1])  # warms the rights cache
    with django_assert_num_queries(2):
        few = banners_for(ide, usagers=people[:2])
    with django_assert_num_queries(2):
        many = banners_for(ide, usagers=people)
    assert len(few) == 2 and len(many) == 12
    light = list(Usager.objects.filter(pk__in=[p.pk for p in people]).only("id", "essms_id", "birth_name"))
    with django_assert_num_queries(3):  # deferred fields filled in one query, not one per person
        banners = banners_for(ide, usagers=light)
    assert all(b.allergies and b.room for b in banners.values())


def test_banner_pages(client, essms, unit, ide, usager):
    place(usager, unit)
    allergy(usager, "Pénicilline", "severe")
    client.force_login(ide)
    names = (
        "usager-detail", "usager-medical", "usager-entourage", "care-plan", "usager-evaluations", "medication-chart",
        "usager-sejours", "usager-documents", "usager-planning",
    )  # fmt: skip
    for name in names:
        html = client.get(reverse(name, args=[usager.pk])).content.decode()
        assert 'class="pb"' in html and "Allergie Pénicilline" in html and "pb-danger" in html, name
    html = client.get(reverse("synthese", args=[usager.pk])).content.decode()
    assert "Allergie Pénicilline" in html
    html = client.get(reverse("transmission-create"), {"usager": usager.pk}).content.decode()
    assert "Allergie Pénicilline" in html


def test_banner_of_another_essms_is_never_shown(client, foreign_essms, sibling_essms, ide):
    client.force_login(ide)
    for essms in (foreign_essms, sibling_essms):
        other = UsagerFactory(essms=essms)
        assert client.get(reverse("usager-detail", args=[other.pk])).status_code == 404
        assert client.get(reverse("usager-banner", args=[other.pk])).status_code == 404
        assert client.get(reverse("api:usager-banner-detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("usager-banner", args=[987654])).status_code == 404


def test_banner_fragment_for_the_transmission_form(client, essms, unit, ide, usager):
    """The form fetches the banner of the person chosen in its list."""
    place(usager, unit)
    allergy(usager, "Latex", "severe")
    client.force_login(ide)
    html = client.get(reverse("usager-banner", args=[usager.pk])).content.decode()
    assert "Allergie Latex" in html and "<html" not in html
    page = client.get(reverse("transmission-create")).content.decode()
    assert 'id="tr-banner"' in page and reverse("usager-banner", args=[0]) in page


# ---------- Flags ----------


def test_flags_set_by_web_form_and_audited(client, essms, ide, usager):
    client.force_login(ide)
    response = client.post(reverse("medical-flags", args=[usager.pk]), {"fall_risk": "on", "swallowing_disorder": "on"})
    assert response.status_code == 302
    usager.refresh_from_db()
    assert usager.fall_risk and usager.swallowing_disorder and not usager.isolation_bmr


def test_flags_refused_without_write_right_change_nothing(essms, usager):
    from django.core.exceptions import PermissionDenied

    ash = professional(essms, Metier.ASH)
    with pytest.raises(PermissionDenied):
        usager_set_flags(ash, usager=usager, isolation_bmr=True)
    usager.refresh_from_db()
    assert not usager.isolation_bmr


def test_flags_api_read_and_patch(client, essms, ide, usager):
    client.force_login(ide)
    url = reverse("api:usager-flags-detail", args=[usager.pk])
    assert client.get(url).json()["fall_risk"] is False
    response = client.patch(url, {"fall_risk": True, "isolation_bmr": True}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["fall_risk"] is True and response.json()["isolation_bmr"] is True
    usager.refresh_from_db()
    assert usager.fall_risk and usager.isolation_bmr


def test_flags_api_bad_input_writes_nothing(client, essms, ide, usager):
    client.force_login(ide)
    url = reverse("api:usager-flags-detail", args=[usager.pk])
    response = client.patch(url, {"fall_risk": "peut-être"}, content_type="application/json")
    assert response.status_code == 400
    assert client.patch(url, {"archived_at": "2025-01-01"}, content_type="application/json").status_code == 400
    usager.refresh_from_db()
    assert not usager.fall_risk


def test_flags_api_forbidden_class_and_other_essms(client, essms, foreign_essms, usager):
    ash = professional(essms, Metier.ASH)
    client.force_login(ash)
    url = reverse("api:usager-flags-detail", args=[usager.pk])
    response = client.patch(url, {"palliative_care": True}, content_type="application/json")
    assert response.status_code in (403, 404)
    usager.refresh_from_db()
    assert not usager.palliative_care
    other = UsagerFactory(essms=foreign_essms)
    assert client.get(reverse("api:usager-flags-detail", args=[other.pk])).status_code == 404


def test_banner_api(client, essms, unit, ide, usager):
    place(usager, unit, room="3")
    allergy(usager, "Latex", "severe")
    client.force_login(ide)
    body = client.get(reverse("api:usager-banner-detail", args=[usager.pk])).json()
    assert body["room"] == "3" and body["unit"] == unit.name
    assert body["allergies"] == [{"substance": "Latex", "severity": "severe", "is_severe": True}]


# ---------- Demo ----------


def test_demo_persons_carry_banner_alerts_idempotently(db):
    from io import StringIO

    from django.core.management import call_command

    call_command("seed_demo", stdout=StringIO())
    moreau = Usager.objects.get(birth_name="MOREAU")
    assert moreau.fall_risk
    assert Usager.objects.get(birth_name="DUBOIS").swallowing_disorder
    assert Usager.objects.get(birth_name="GAUTHIER").isolation_bmr
    assert Allergy.objects.filter(severity="severe", ended_at__isnull=True).exists()
    before = Allergy.objects.count()
    call_command("seed_demo", stdout=StringIO())
    assert Allergy.objects.count() == before
    assert Usager.objects.get(birth_name="MOREAU").fall_risk


def test_banner_reads_are_logged(client, essms, unit, ide, usager):
    """What the banner reveals (allergies, each alert's class) is in the access log, in one insert."""
    from dui.models import AccessLog

    place(usager, unit)
    allergy(usager, "Latex", "severe")
    Usager.objects.filter(pk=usager.pk).update(swallowing_disorder=True)
    client.force_login(ide)
    client.get(reverse("medication-chart", args=[usager.pk]))
    logged = set(
        AccessLog.objects.filter(detail="bandeau patient", usager_id=usager.pk).values_list("document_class", flat=True)
    )
    assert logged == {"allergies", "regime_alimentaire"}


def test_no_known_allergy_statement_is_distinct_from_nothing_entered(essms):
    """An explicit, dated "aucune allergie connue" shows as such; nothing entered stays "non renseigné"."""
    from dui.models import AllergyStatement
    from dui.selectors.banner import banner_for
    from tests.factories import UsagerFactory, professional

    nurse = professional(essms, Metier.IDE)
    stated, unknown = UsagerFactory(essms=essms), UsagerFactory(essms=essms)
    AllergyStatement.objects.create(essms=essms, usager=stated, created_by=nurse)
    assert banner_for(nurse, usager=unknown).allergies_unknown_text == "Allergies : non renseigné"
    text = banner_for(nurse, usager=stated).allergies_unknown_text
    assert text.startswith("Aucune allergie connue (au ")
