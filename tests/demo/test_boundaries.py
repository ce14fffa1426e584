"""Demo and scale data live in the demo app: no domain app imports it, and dui holds none of it."""

import ast
import pathlib

from django.conf import settings
from django.core.management import get_commands

DOMAIN_APPS = ("dui", "transmissions", "ppa", "interop", "pilotage")


def _imported_packages(package: str) -> set[str]:
    found = set()
    for path in (pathlib.Path(settings.BASE_DIR) / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and not node.level:
                found.add(node.module.split(".")[0])
            elif isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
    return found


def test_no_domain_app_imports_the_demo_app():
    for package in DOMAIN_APPS:
        assert "demo" not in _imported_packages(package), package


def test_dui_holds_no_demo_or_scale_data_module():
    dui = pathlib.Path(settings.BASE_DIR) / "dui"
    names = {path.stem for path in dui.rglob("*.py")}
    assert not {name for name in names if name.startswith(("demo", "seed_demo")) or "scale" in name}


def test_dui_imports_no_other_app_even_in_its_commands():
    assert not _imported_packages("dui") & {"transmissions", "ppa", "interop", "pilotage", "demo"}


def test_the_demo_app_is_installed_last_and_owns_the_commands():
    assert settings.INSTALLED_APPS[-1] == "demo"
    commands = get_commands()
    for name in ("seed_demo", "generate_scale_data", "generate_care_scale_data"):
        assert commands[name] == "demo", name
