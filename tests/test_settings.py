"""Settings come from the environment: production values pass `check --deploy`, defaults stay embedded."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(args: list[str], **env: str) -> subprocess.CompletedProcess:
    """Run a manage.py command in a clean environment: only what is passed here is set."""
    clean_env = {key: os.environ[key] for key in ("PATH", "HOME") if key in os.environ} | env
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_the_deployment_checks():
    result = run(
        ["check", "--deploy", "--fail-level", "WARNING"],
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="dui.example.org",
    )

    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    assert "WARNINGS" not in report
    assert "ERRORS" not in report
    assert "System check identified no issues" in result.stdout


def test_the_local_fallback_key_is_flagged_by_the_deployment_checks():
    result = run(["check", "--deploy", "--fail-level", "WARNING"], DEBUG="0", ALLOWED_HOSTS="dui.example.org")

    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


PRINT_SETTINGS = (
    "from django.conf import settings; import json; "
    "print(json.dumps({'engine': settings.DATABASES['default']['ENGINE'], "
    "'eager': settings.CELERY_TASK_ALWAYS_EAGER, 'debug': settings.DEBUG, "
    "'broker': settings.CELERY_BROKER_URL, "
    "'replica_host': settings.DATABASES.get('replica', {}).get('HOST'), "
    "'replica_test': settings.DATABASES.get('replica', {}).get('TEST')}))"
)


def read_settings(**env: str) -> dict:
    result = run(["shell", "-c", PRINT_SETTINGS], **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_without_database_url_or_redis_url_the_defaults_are_sqlite_and_eager_tasks():
    values = read_settings()

    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["eager"] is True
    assert values["debug"] is False


def test_database_url_and_redis_url_switch_to_postgresql_and_a_real_broker():
    values = read_settings(
        DATABASE_URL="postgres://dui@db.example.org:5432/dui", REDIS_URL="redis://cache.example.org:6379/0"
    )

    assert values["engine"] == "django.db.backends.postgresql"
    assert values["eager"] is False
    assert values["broker"] == "redis://cache.example.org:6379/0"
