"""Demo and scale data live in the demo app, which dui does not hold (the import contracts in pyproject.toml
keep every domain app from importing it)."""

import pathlib

from django.conf import settings
from django.core.management import get_commands


def test_dui_holds_no_demo_or_scale_data_module():
    dui = pathlib.Path(settings.BASE_DIR) / "dui"
    names = {path.stem for path in dui.rglob("*.py")}
    assert not {name for name in names if name.startswith(("demo", "seed_demo")) or "scale" in name}


def test_the_demo_app_is_installed_last_and_owns_the_commands():
    assert settings.INSTALLED_APPS[-1] == "demo"
    commands = get_commands()
    for name in ("seed_demo", "generate_scale_data", "generate_care_scale_data"):
        assert commands[name] == "demo", name
