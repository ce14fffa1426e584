"""Faults with a real broker and a real worker: a redis-server started here on a free port (stopped to play
a broker outage) and a Celery worker in a thread, delivering through the fake DMP and an SMTP server.

Run in CI (PostgreSQL + Redis); skipped only when REDIS_URL is unset (the machine then has no Redis)."""

import os
import shutil
import subprocess
import time

import pytest
from celery.contrib.testing.worker import start_worker

from config.celery import app
from dui.actor import Actor
from interop.outbox import services
from interop.outbox.models import Connector, Delivery, DeliveryState
from interop.outbox.package import package_of
from tests.interop.outbox.conftest import upload_document
from tests.interop.outbox.fake_dmp import FakeDmp
from tests.interop.outbox.imap_server import free_port
from tests.interop.outbox.test_connectors import Recorder

pytestmark = [
    pytest.mark.real_worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL non défini : pas de Redis sur cette machine"),
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server absent"),
]


class RedisServer:
    def __init__(self):
        self.port = free_port()
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(  # noqa: S603
            [
                shutil.which("redis-server"),
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        import redis

        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                redis.Redis.from_url(self.url).ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("redis-server n'a pas démarré")

    def stop(self):
        self.process.terminate()
        self.process.wait(10)


def _reset_producers() -> None:
    """Producers and connections are pooled per app: drop them when the broker URL changes."""
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture(scope="module")
def redis_server():
    server = RedisServer()
    server.start()
    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager", "result_backend")}
    app.conf.update(broker_url=server.url, task_always_eager=False, result_backend=None)
    _reset_producers()
    yield server
    if server.process.poll() is None:
        server.stop()
    app.conf.update(saved)
    _reset_producers()


@pytest.fixture
def broker(redis_server, settings):
    if redis_server.process.poll() is not None:
        redis_server.start()
    settings.OUTBOX_BACKOFF_SECONDS = 0.2
    settings.OUTBOX_LEASE_SECONDS = 30
    return redis_server


@pytest.fixture
def worker(broker):
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10, loglevel="WARNING") as running:
        yield running


@pytest.fixture
def fake_dmp(settings):
    with FakeDmp() as fake:
        settings.DMP_URL, settings.DMP_TIMEOUT, settings.OUTBOX_DMP_BACKEND = fake.url, 0.5, "http"
        yield fake


def wait_until(check, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return False


def delivered(*rows) -> bool:
    return Delivery.objects.filter(pk__in=[r.pk for r in rows], state=DeliveryState.DELIVERED).count() == len(rows)


def test_three_failures_then_success_one_document_four_attempts(worker, fake_dmp, dlu_document, secretaire):
    fake_dmp.failures_left = 3
    row = services.delivery_queue(Actor(secretaire), document=dlu_document, connector=Connector.DMP)
    assert wait_until(lambda: delivered(row))
    row.refresh_from_db()
    assert [a.outcome for a in row.attempts.all()] == ["failed", "failed", "failed", "delivered"]
    assert len(fake_dmp.documents) == 1 and fake_dmp.requests == 4


def test_timeout_is_retried(worker, fake_dmp, dlu_document, secretaire):
    fake_dmp.delay = 1.5
    row = services.delivery_queue(Actor(secretaire), document=dlu_document, connector=Connector.DMP)
    assert wait_until(lambda: row.attempts.exists())
    fake_dmp.delay = 0
    assert wait_until(lambda: delivered(row))
    outcomes = [a.outcome for a in row.attempts.all()]
    assert outcomes[0] == "failed" and outcomes[-1] in ("delivered", "already")
    assert len(fake_dmp.documents) == 1  # the slow first request may have registered it: counted once


def test_already_registered_on_redelivery_counts_as_delivered(worker, fake_dmp, dlu_document, secretaire):
    row = services.delivery_queue(Actor(secretaire), document=dlu_document, connector=Connector.DMP)
    assert wait_until(lambda: delivered(row))
    Delivery.objects.filter(pk=row.pk).update(state=DeliveryState.DEAD)  # as if the answer had been lost
    services.delivery_retry(Actor(secretaire), delivery=row)
    assert wait_until(lambda: delivered(row))
    assert [a.outcome for a in row.attempts.order_by("started_at")] == ["delivered", "already"]
    assert list(fake_dmp.documents) == [package_of(row).uid]


def test_mssante_through_the_worker(worker, settings, dlu_document, secretaire):
    from aiosmtpd.controller import Controller

    recorder, port = Recorder(), free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings.OUTBOX_MSSANTE_BACKEND, settings.MSSANTE_SMTP_HOST, settings.MSSANTE_SMTP_PORT = (
            "smtp",
            "127.0.0.1",
            port,
        )
        settings.MSSANTE_SMTP_SECURITY, settings.MSSANTE_SENDER = "none", "bal@ehpad.mssante.fr"
        row = services.delivery_queue(
            Actor(secretaire), document=dlu_document, connector=Connector.MSSANTE, recipient="dr@cab.mssante.fr"
        )
        assert wait_until(lambda: delivered(row))
        assert len(recorder.messages) == 1
    finally:
        controller.stop()


def test_broker_down_loses_nothing_and_each_is_delivered_once(broker, fake_dmp, informed, doctor, secretaire):
    broker.stop()
    rows = []
    for number in range(5):
        document = upload_document(doctor, informed, title=f"DLU {number}")
        rows.append(services.delivery_queue(Actor(secretaire), document=document, connector=Connector.DMP))
    assert Delivery.objects.filter(state=DeliveryState.PENDING).count() == 5  # written, not sent
    broker.start()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10, loglevel="WARNING"):
        assert services.outbox_sweep() == 5
        services.outbox_sweep()  # a second sweep (beat firing again) enqueues duplicates: still once each
        assert wait_until(lambda: delivered(*rows))
        time.sleep(1)
    assert len(fake_dmp.documents) == 5 and fake_dmp.requests == 5
    assert all(row.attempts.count() == 1 for row in rows)
