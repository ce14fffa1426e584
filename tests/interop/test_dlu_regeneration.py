"""The current DLU is never stale: a change in a source queues (after commit, debounced) a
regeneration that stores a new version only when the content changed."""

import pytest
from django.core.cache import cache

from dui.models import Antecedent, Metier
from dui.services.dlu import dlu_section_save
from interop.dlu import receivers, tasks
from interop.dlu.models import DluGeneration
from interop.dlu.services import dlu_generate, dlu_refresh
from tests.factories import professional
from tests.interop.dlu_helpers import admitted


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def ide(essms):
    return professional(essms, Metier.IDE)


@pytest.fixture
def resident(usager, ide):
    return admitted(usager, ide)


@pytest.fixture
def worker(monkeypatch):
    """Run queued refreshes at once, as a worker would (with or without a broker configured)."""
    ran = []

    def run_now(args, countdown):
        ran.append(countdown)
        return tasks.refresh_dlu.apply(args=args)

    monkeypatch.setattr(tasks.refresh_dlu, "apply_async", run_now)
    return ran


def test_a_source_change_regenerates_after_commit(resident, ide, worker, django_capture_on_commit_callbacks):
    dlu_generate(ide, usager=resident)
    with django_capture_on_commit_callbacks(execute=True):
        dlu_section_save(ide, usager=resident, preferred_hospital="CHU de Caen")
    latest = DluGeneration.objects.order_by("-pk").first()
    assert worker == [tasks.DEBOUNCE_SECONDS]
    assert (DluGeneration.objects.count(), latest.automatic, latest.version.uploaded_by) == (2, True, ide)
    assert latest.missing and "Établissement" not in str(latest.missing)


def test_changes_within_the_debounce_window_share_one_run(
    resident, ide, monkeypatch, django_capture_on_commit_callbacks
):
    queued = []
    monkeypatch.setattr(tasks.refresh_dlu, "apply_async", lambda args, countdown: queued.append((args, countdown)))
    with django_capture_on_commit_callbacks(execute=True):
        Antecedent.objects.create(essms=resident.essms, usager=resident, created_by=ide, label="HTA")
        Antecedent.objects.create(essms=resident.essms, usager=resident, created_by=ide, label="Diabète")
    assert queued == [([resident.pk], tasks.DEBOUNCE_SECONDS)]


def test_nothing_is_queued_when_the_transaction_rolls_back(
    resident, ide, monkeypatch, django_capture_on_commit_callbacks
):
    queued = []
    monkeypatch.setattr(receivers, "queue_refresh", queued.append)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        Antecedent.objects.create(essms=resident.essms, usager=resident, created_by=ide, label="HTA")
    assert len(callbacks) == 1 and queued == []  # the callback is bound to the commit, never run here


def test_refresh_is_idempotent(resident, ide):
    dlu_generate(ide, usager=resident)
    assert dlu_refresh(resident.pk) is None
    Antecedent.objects.create(essms=resident.essms, usager=resident, created_by=ide, label="HTA")
    assert dlu_refresh(resident.pk).version.number == 2
    assert dlu_refresh(resident.pk) is None
    assert DluGeneration.objects.count() == 2


def test_a_dossier_never_generated_is_left_alone(resident, ide):
    Antecedent.objects.create(essms=resident.essms, usager=resident, created_by=ide, label="HTA")
    assert tasks.refresh_dlu(resident.pk) is None
    assert not DluGeneration.objects.exists()


def test_an_archived_dossier_is_not_regenerated(resident, ide):
    from django.utils import timezone

    dlu_generate(ide, usager=resident)
    resident.archived_at = timezone.now()
    resident.save()
    assert dlu_refresh(resident.pk) is None


def test_the_author_who_left_is_not_impersonated(resident, ide):
    from django.utils import timezone

    dlu_generate(ide, usager=resident)
    ide.membership.ends_at = timezone.now()
    ide.membership.save()
    Antecedent.objects.create(essms=resident.essms, usager=resident, created_by=ide, label="HTA")
    assert dlu_refresh(resident.pk) is None
    assert DluGeneration.objects.count() == 1


def test_a_broker_outage_does_not_break_the_change(resident, ide, monkeypatch, django_capture_on_commit_callbacks):
    from kombu.exceptions import OperationalError

    def down(args, countdown):
        raise OperationalError("Connection refused")

    monkeypatch.setattr(tasks.refresh_dlu, "apply_async", down)
    with django_capture_on_commit_callbacks(execute=True):
        Antecedent.objects.create(essms=resident.essms, usager=resident, created_by=ide, label="HTA")
    assert Antecedent.objects.filter(usager=resident).exists()
    assert cache.get(tasks.debounce_key(resident.pk)) is None  # the next change queues again
