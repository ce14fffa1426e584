"""The database router: pilotage reads on the replica when one is configured, everything else
(and every write) on default. In tests the replica alias mirrors default (TEST MIRROR), as the
test runner does for a configured replica: the same connection answers under both names."""

import pytest
from django.db import connections
from django.urls import reverse

from config.db_router import PilotageReplicaRouter, replica_reads
from dui.models import AccessLog, Metier, Usager
from pilotage.models import DailyFact
from tests.factories import professional
from tests.test_settings import read_settings

pytestmark = pytest.mark.filterwarnings("ignore:Overriding setting DATABASES:UserWarning")


@pytest.fixture
def replica(db, settings):
    """A `replica` alias mirroring default (TEST {"MIRROR": "default"})."""
    mirror = {**settings.DATABASES["default"], "TEST": {"MIRROR": "default"}}
    settings.DATABASES = {**settings.DATABASES, "replica": mirror}
    connections["replica"] = connections["default"]  # what the test runner does for a mirror
    yield
    del connections["replica"]


def test_without_a_replica_everything_reads_and_writes_default(db):
    router = PilotageReplicaRouter()
    assert router.db_for_read(DailyFact) is None
    with replica_reads():
        assert router.db_for_read(Usager) is None
    assert DailyFact.objects.all().db == "default"


def test_with_a_replica_pilotage_reads_go_there_and_writes_stay_on_default(replica):
    router = PilotageReplicaRouter()
    assert DailyFact.objects.all().db == "replica"
    assert Usager.objects.all().db == "default"
    with replica_reads():
        assert Usager.objects.all().db == "replica"
    assert Usager.objects.all().db == "default"  # the block is over
    assert router.db_for_write(DailyFact) == "default"
    assert router.allow_migrate("replica", "pilotage") is False
    assert router.allow_migrate("default", "pilotage") is True
    assert list(DailyFact.objects.all()) == []  # the mirror answers


def test_a_pilotage_page_reads_the_replica_and_logs_on_default(client, essms, replica, monkeypatch):
    seen = []
    original = PilotageReplicaRouter.db_for_read

    def spy(self, model, **hints):
        alias = original(self, model, **hints)
        seen.append((model._meta.label, alias))
        return alias

    monkeypatch.setattr(PilotageReplicaRouter, "db_for_read", spy)
    client.force_login(professional(essms, Metier.DIRECTION))
    before = AccessLog.objects.count()
    assert client.get(reverse("pilotage-board")).status_code == 200
    assert ("dui.Membership", None) in seen  # the middlewares, before the view: default
    assert any(alias == "replica" for _label, alias in seen)
    assert AccessLog.objects.count() >= before  # writes still on default (same database here)
    seen.clear()
    client.get(reverse("transmission-feed"))
    assert all(alias is None for _label, alias in seen)


def test_database_replica_url_adds_a_mirrored_replica_alias():
    code_env = {"DATABASE_URL": "postgres://dui@db.example.org:5432/dui"}
    values = read_settings(**code_env, DATABASE_REPLICA_URL="postgres://dui@replica.example.org:5432/dui")
    assert values["replica_host"] == "replica.example.org"
    assert values["replica_test"]["MIRROR"] == "default"
    assert read_settings(**code_env)["replica_host"] is None
