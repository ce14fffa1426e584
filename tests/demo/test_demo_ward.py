"""seed_demo gives a ward that looks used, idempotently; the demo script runs like production
(DEBUG off, French error pages, static files by WhiteNoise) over plain HTTP on the LAN."""

import io
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from pypdf import PdfReader

from dui.models import Appointment, Document, DocumentVersion, Transport
from transmissions.models import Event, EventKind, Transmission

ROOT = Path(__file__).resolve().parents[2]
MODELS = (Transmission, Event, Appointment, Document, DocumentVersion)


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture
def seeded(db):
    return seed()


def test_a_week_of_transmissions_by_several_metiers_day_and_night(seeded):
    notes = list(Transmission.objects.all())
    assert len(notes) >= 20
    assert len({note.author_metier for note in notes}) >= 4
    hours = {timezone.localtime(note.observed_at).hour for note in notes}
    assert any(hour >= 21 or hour < 7 for hour in hours) and any(8 <= hour < 20 for hour in hours)
    days = {timezone.localtime(note.observed_at).date() for note in notes}
    assert len(days) >= 6
    assert any(note.donnees and note.actions for note in notes) and any(note.narrative for note in notes)


def test_a_fall_in_the_ehpad_and_a_seizure_in_the_ime(seeded):
    assert Event.objects.get(kind=EventKind.CHUTE).essms.name == "EHPAD Les Cèdres"
    assert Event.objects.get(kind=EventKind.EPILEPSIE).essms.name == "IME Les Peupliers"


def test_appointments_past_and_coming_with_transports(seeded):
    now = timezone.now()
    assert Appointment.objects.filter(starts_at__lt=now).exists()
    assert Appointment.objects.filter(starts_at__gt=now).exists()
    assert Appointment.objects.exclude(transport=Transport.AUCUN).count() >= 5


def test_documents_are_real_pdfs(seeded):
    versions = list(DocumentVersion.objects.all())
    assert len(versions) >= 4
    for version in versions:  # scanned letters, and the DLU and PPA the demo generates
        with version.file.open("rb") as handle:
            assert len(PdfReader(io.BytesIO(handle.read())).pages) >= 1


def test_rerun_creates_no_duplicates(seeded):
    before = {model.__name__: model.objects.count() for model in MODELS}
    assert "rien à créer" in seed()
    assert {model.__name__: model.objects.count() for model in MODELS} == before


def test_finess_numbers_are_printed_for_api_tokens(seeded):
    assert "630781227  EHPAD Les Cèdres" in seeded
    assert "create_api_token --essms 630781227" in seeded


def test_demo_script_runs_without_debug_over_plain_http():
    script = (ROOT / "scripts" / "demo.sh").read_text()
    assert re.search(r'export DEBUG="\$\{DEBUG:-0\}"', script)
    for name in ("SECURE_SSL_REDIRECT", "SECURE_COOKIES", "SECURE_HSTS_SECONDS"):
        assert re.search(rf'export {name}="\$\{{{name}:-0\}}"', script), name
    assert "collectstatic --noinput" in script
    assert 'runserver "0.0.0.0:${PORT}"' in script
    assert "export ALLOWED_HOSTS=" in script


def test_production_defaults_stay_strict():
    settings_text = (ROOT / "config" / "settings.py").read_text()
    assert 'ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,testserver")' in settings_text
    assert 'SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)' in settings_text


def test_without_debug_an_unknown_page_is_french(client, settings, db):
    settings.DEBUG = False
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    content = response.content.decode()
    assert "Page introuvable" in content
    assert "Page not found" not in content
