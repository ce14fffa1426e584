"""The app's layers keep their roles: pages and API read through selectors (no ORM manager, no
access-log call), services and selectors raise domain errors (no Http404)."""

import re
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[2] / "transmissions"
FRONT = sorted([*APP.glob("views/*.py"), *APP.glob("api/*.py"), *APP.glob("forms*.py")])
BACK = sorted([*APP.glob("services/*.py"), *APP.glob("selectors/*.py")])


def _name(path: Path) -> str:
    return str(path.relative_to(APP.parent))


@pytest.mark.parametrize("path", FRONT, ids=_name)
def test_pages_api_and_forms_go_through_selectors_and_log_nothing(path):
    source = path.read_text(encoding="utf-8")
    assert not re.search(r"\.objects\b", source), "ORM manager used outside selectors and services"
    assert not re.search(r"\baudit\.", source), "access-log call outside selectors and services"
    assert "channel_of" not in source and "client_ip" not in source


@pytest.mark.parametrize("path", BACK, ids=_name)
def test_services_and_selectors_raise_domain_errors(path):
    source = path.read_text(encoding="utf-8")
    assert "Http404" not in source
    assert "acting_user" not in source and "channel=" not in source


def test_no_module_at_the_app_root_for_views():
    assert not list(APP.glob("views_*.py"))
