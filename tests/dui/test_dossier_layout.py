"""The dossier modules keep the architecture rules: pages and API read through selectors that log,
services and selectors take the actor first and raise domain errors."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "dui"
VIEWS_API_FORMS = [
    *(ROOT / "views" / f"{name}.py" for name in ("identity", "sejours", "entourage", "medical", "documents")),
    *(ROOT / "views" / f"{name}.py" for name in ("usagers", "banner")),
    *(ROOT / "api" / f"{name}.py" for name in ("sejours", "entourage", "documents", "banner", "drugs", "serializers")),
    ROOT / "api" / "views.py",
    ROOT / "forms.py",
    *(ROOT / f"forms_{name}.py" for name in ("identity", "sejours", "entourage", "medical", "documents")),
]
SERVICES = [
    *(ROOT / "services" / f"{name}.py" for name in ("identity", "merge", "sejours", "placements", "creton")),
    ROOT / "services" / "entourage.py",
    *(ROOT / "services" / f"{name}.py" for name in ("medical", "documents", "common")),
    ROOT / "gdpr.py",
    ROOT / "drugs_referential.py",
]
SELECTORS = [
    ROOT / "selectors" / f"{name}.py"
    for name in ("identity", "sejours", "entourage", "medical", "documents", "drugs", "banner", "shown")
]


def _ids(paths):
    return [str(path.relative_to(ROOT.parent)) for path in paths]


@pytest.mark.parametrize("path", VIEWS_API_FORMS, ids=_ids(VIEWS_API_FORMS))
def test_views_api_and_forms_neither_query_models_nor_write_the_log(path):
    source = path.read_text(encoding="utf-8")
    assert not re.search(r"\.objects\b", source), "go through a selector"
    assert not re.search(r"\baudit\.", source), "reads are logged by the selectors"
    assert "channel_of" not in source and "client_ip" not in source


@pytest.mark.parametrize("path", SERVICES + SELECTORS, ids=_ids(SERVICES + SELECTORS))
def test_services_and_selectors_raise_domain_errors_and_take_the_actor(path):
    source = path.read_text(encoding="utf-8")
    assert "Http404" not in source, "raise dui.errors.NotFound"
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef) or node.name.startswith("_"):
            continue
        names = [arg.arg for arg in [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]]
        assert "acting_user" not in names, f"{node.name}: the actor comes first"
        assert "channel" not in names and "ip" not in names, f"{node.name}: the actor carries channel and ip"
        if any(isinstance(d, ast.Attribute) and d.attr == "atomic" for d in node.decorator_list):
            assert names[:1] == ["actor"] or node.name in TASK_SERVICES, f"{node.name}: actor first"


# Run at every migrate, before any user exists: the public referential, loaded without an actor.
TASK_SERVICES = {"starter_referential_load"}


def test_no_views_module_at_the_app_root():
    assert not list(ROOT.glob("views_*.py"))
