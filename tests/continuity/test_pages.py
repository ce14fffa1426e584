"""The mode dégradé page, « Générer maintenant » and the downloads: rights, scope and the access log."""

import pytest
from django.urls import reverse

from continuity import services
from continuity.models import ContinuityPack, PackKind
from dui.models import AccessLog, Metier
from tests.factories import UnitFactory, professional
from tests.soins.factories_care import placed_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def pack(essms, unit):
    placed_person(essms, unit, professional(essms, Metier.CADRE_SANTE), name="LEFEBVRE", room="12")
    return services.pack_generate(unit_id=unit.pk)


def test_night_ide_sees_the_page_and_downloads_the_pdf_logged(client, essms, pack, settings):
    settings.CONTINUITY_EXPORT_DIR = "/media/cle-usb/plans"
    nurse = professional(essms, Metier.IDE)
    client.force_login(nurse)
    page = client.get(reverse("continuity")).content.decode()
    assert "Si le DUI ne répond plus" in page and "/media/cle-usb/plans" in page and "Unité Glycine" in page
    assert reverse("continuity-download", args=[pack.pk, "pdf"]) in page
    response = client.get(reverse("continuity-download", args=[pack.pk, "pdf"]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="plan-continuite-unite-glycine-')
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    log = AccessLog.objects.get(user=nurse, object_id=str(pack.pk))
    assert log.action == "read" and log.detail == "plan de continuité téléchargé (PDF)"


def test_csv_download(client, essms, pack):
    client.force_login(professional(essms, Metier.CADRE_SANTE))
    response = client.get(reverse("continuity-download", args=[pack.pk, "csv"]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")


def test_a_metier_without_the_class_is_refused(client, essms, pack):
    client.force_login(professional(essms, Metier.AIDE_SOIGNANT))
    assert client.get(reverse("continuity")).status_code == 403
    assert client.get(reverse("continuity-download", args=[pack.pk, "pdf"])).status_code == 404
    assert not AccessLog.objects.filter(object_type="continuity.continuitypack", action="read").exists()


def test_an_unknown_format_is_a_404(client, essms, pack):
    client.force_login(professional(essms, Metier.IDE))
    assert client.get(reverse("continuity-download", args=[pack.pk, "docx"])).status_code == 404


def test_generate_now_queues_a_pack_for_the_unit(client, essms, unit, django_capture_on_commit_callbacks):
    cadre = professional(essms, Metier.CADRE_SANTE)
    client.force_login(cadre)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("continuity-generate", args=[unit.pk]))
    assert response.status_code == 302
    pack = ContinuityPack.objects.get()
    assert pack.kind == PackKind.ON_DEMAND and pack.requested_by == cadre and pack.unit == unit


def test_direction_reads_but_does_not_generate(client, essms, unit, django_capture_on_commit_callbacks):
    client.force_login(professional(essms, Metier.DIRECTION))
    assert client.get(reverse("continuity")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("continuity-generate", args=[unit.pk]), follow=True)
    assert "ne permet pas de générer" in response.content.decode()
    assert not ContinuityPack.objects.exists()


def test_another_essms_unit_and_pack_are_404(client, pack, foreign_essms):
    client.force_login(professional(foreign_essms, Metier.IDE))
    assert client.get(reverse("continuity-download", args=[pack.pk, "pdf"])).status_code == 404
    assert client.post(reverse("continuity-generate", args=[pack.unit_id])).status_code == 404
    page = client.get(reverse("continuity"), {"unite": UnitFactory(essms=foreign_essms).pk})
    assert page.status_code == 200 and "Unité Glycine" not in page.content.decode()


def test_pack_files_have_no_public_url(client, pack):
    with pytest.raises(ValueError):
        pack.pdf.url  # noqa: B018
    assert client.get(f"/media/continuity/{pack.pdf.name}").status_code == 404


def test_a_pack_id_beyond_a_bigint_is_404_not_a_database_error(client, essms, pack):
    client.force_login(professional(essms, Metier.IDE))
    assert client.get(reverse("continuity-download", args=[2**64, "pdf"])).status_code == 404
