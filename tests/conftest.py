import pytest

from dui.models import EssmsKind
from tests.factories import EssmsFactory, OrganismeGestionnaireFactory, UnitFactory, UsagerFactory


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SECURE_SSL_REDIRECT = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def og(db):
    return OrganismeGestionnaireFactory(name="Association Les Cèdres")


@pytest.fixture
def essms(og):
    """ESSMS A: the acting user's establishment."""
    return EssmsFactory(og=og, name="EHPAD Les Cèdres", kind=EssmsKind.EHPAD)


@pytest.fixture
def sibling_essms(og):
    """ESSMS B: another establishment of the same OG."""
    return EssmsFactory(og=og, name="IME Les Peupliers", kind=EssmsKind.IME)


@pytest.fixture
def foreign_essms(db):
    """ESSMS C: an establishment of another OG."""
    return EssmsFactory(og=OrganismeGestionnaireFactory(name="Fondation Autre"), name="MAS Ailleurs")


@pytest.fixture
def unit(essms):
    return UnitFactory(essms=essms, name="Unité Glycine")


@pytest.fixture
def usager(essms):
    return UsagerFactory(essms=essms, birth_name="LEFEBVRE", first_names="Marthe")


@pytest.fixture(autouse=True)
def _eager_unless_real_worker(request):
    """Tasks run in-process in tests, whether or not REDIS_URL names a broker (CI): a task queued to a
    broker that no worker reads would leave the test waiting on nothing. Tests marked `real_worker` start
    their own broker and worker."""
    from config.celery import app

    if request.node.get_closest_marker("real_worker"):
        yield
        return
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous
