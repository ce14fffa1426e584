"""The care plan, worklist, evaluation and nutrition modules keep the architecture rules:
reads logged by selectors, writes by services, errors raised as domain errors, no ORM in pages."""

import ast
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2] / "soins"
PAGES = [
    "views/care.py",
    "views/worklist.py",
    "views/evaluations.py",
    "views/nutrition.py",
    "api/care.py",
    "api/worklist.py",
    "api/evaluations.py",
    "api/nutrition.py",
    "forms.py",
]
DOMAIN = [
    "services/care.py",
    "services/worklist.py",
    "services/evaluations.py",
    "services/nutrition.py",
    "selectors/care.py",
    "selectors/worklist.py",
    "selectors/evaluations.py",
    "selectors/curves.py",
    "selectors/nutrition.py",
    "grids/engine.py",
    "grids/__init__.py",
]


def _tree(name: str) -> ast.Module:
    return ast.parse((ROOT / name).read_text(encoding="utf-8"))


def _attributes(tree: ast.Module) -> set[tuple[str, str]]:
    return {
        (node.value.id, node.attr)
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
    }


@pytest.mark.parametrize("name", PAGES)
def test_pages_use_no_orm_and_write_no_audit(name):
    tree = _tree(name)
    objects = [node for node in ast.walk(tree) if isinstance(node, ast.Attribute) and node.attr == "objects"]
    assert not objects, f"{name}: go through a selector instead of .objects"
    assert not {attr for base, attr in _attributes(tree) if base == "audit"}, f"{name}: selectors and services log"
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) for alias in node.names}
    assert "audit" not in imported


@pytest.mark.parametrize("name", DOMAIN)
def test_services_and_selectors_raise_domain_errors(name):
    tree = _tree(name)
    imported = {
        (node.module, alias.name) for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) for alias in node.names
    }
    assert ("django.http", "Http404") not in imported, f"{name}: raise dui.errors.NotFound"
    assert not {("audit", "channel_of"), ("audit", "client_ip")} & _attributes(tree)
