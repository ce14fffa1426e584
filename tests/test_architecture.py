"""Architecture rules read from the source (ast), without a database.

Each rule is a checker function over one module's source; the tests at the bottom run them on
every module of every project app and fail with the list of offending `file:line`. The checkers
are unit-tested on small sources first, so a rule that stops catching anything is noticed.

- views, API and form modules reach the database through selectors, never `Model.objects`;
- views and API modules never write audit rows (reads are logged by the selectors);
- services and selectors raise domain errors (`dui.errors.NotFound`), never `Http404`;
- an app's views live in a `views/` package, never in `views_*.py` modules at its root;
- services take the Actor, which carries the channel and the address: no `channel`/`ip` parameter;
- nobody uses `dui.audit.channel_of` / `dui.audit.client_ip` (the Actor replaces them);
- every app is in the import-linter graph, with a place in the layers contract.
"""

import ast
import tomllib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOT_APPS = {"config", "tests", "bench", "scripts", "static", "templates"}

MANAGERS = {"objects", "_default_manager", "_base_manager"}
AUDIT_MODULE = "dui.audit"
AUDIT_WRITERS = {f"{AUDIT_MODULE}.log_access", f"{AUDIT_MODULE}.log_reads"}
DELETED_AUDIT_HELPERS = {f"{AUDIT_MODULE}.channel_of", f"{AUDIT_MODULE}.client_ip"}
HTTP404 = {
    "django.http.Http404",
    "django.http.response.Http404",
    "django.shortcuts.get_object_or_404",
    "django.shortcuts.get_list_or_404",
    "rest_framework.generics.get_object_or_404",
}
ACTOR_CARRIED = {"channel", "ip"}


@dataclass(frozen=True)
class Violation:
    path: str
    line: int
    message: str

    def __str__(self):
        return f"{self.path}:{self.line}: {self.message}"


# --- Where a module sits --------------------------------------------------------------------------


def project_apps(root=ROOT):
    """Top-level packages of the project (dui, ppa, transmissions, ... and any app added later)."""
    return sorted(
        path.name
        for path in root.iterdir()
        if path.is_dir() and path.name not in NOT_APPS and (path / "__init__.py").exists()
    )


def app_modules(root=ROOT):
    """(relative posix path, source) of every module of every project app, migrations excluded."""
    for app in project_apps(root):
        for path in sorted((root / app).rglob("*.py")):
            relative = path.relative_to(root).as_posix()
            if "/migrations/" not in relative:
                yield relative, path.read_text(encoding="utf-8")


def module_name(relative):
    parts = list(PurePosixPath(relative).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _parts(relative):
    return PurePosixPath(relative).parts


def is_web_module(relative):
    """A views or API module: under a `views/` or `api/` package, or `views*.py` / `api.py` at an app's root."""
    parts = _parts(relative)
    stem = PurePosixPath(relative).stem
    at_root = len(parts) == 2
    return any(part in {"views", "api"} for part in parts[1:-1]) or (
        at_root and (stem in {"views", "api"} or stem.startswith("views_"))
    )


def is_form_module(relative):
    """A forms module: under a `forms/` package, or named `forms.py` / `forms_*.py`."""
    stem = PurePosixPath(relative).stem
    return "forms" in _parts(relative)[1:-1] or stem == "forms" or stem.startswith("forms_")


def is_domain_module(relative):
    """A services or selectors module (package or single module)."""
    parts = _parts(relative)
    return any(part in {"services", "selectors"} for part in parts[1:-1]) or PurePosixPath(relative).stem in {
        "services",
        "selectors",
    }


def is_service_module(relative):
    return "services" in _parts(relative)[1:-1] or PurePosixPath(relative).stem == "services"


# --- What a module refers to ----------------------------------------------------------------------


def _resolve_relative(module, level, target, is_package):
    package = module.split(".") if is_package else module.split(".")[:-1]
    base = package[: len(package) - (level - 1)] if level > 1 else package
    return ".".join([*base, target] if target else base)


class References(ast.NodeVisitor):
    """Every dotted name the module refers to, with its line: imports and attribute chains on
    imported names are resolved to their full path (`from dui import audit; audit.log_access`
    gives `dui.audit.log_access`)."""

    def __init__(self, module, is_package):
        self.module = module
        self.is_package = is_package
        self.bound = {}
        self.found = []

    def visit_Import(self, node):
        for alias in node.names:
            self.found.append((node.lineno, alias.name))
            if alias.asname:
                self.bound[alias.asname] = alias.name
            else:
                top = alias.name.split(".")[0]
                self.bound[top] = top

    def visit_ImportFrom(self, node):
        source = node.module or ""
        if node.level:
            source = _resolve_relative(self.module, node.level, node.module, self.is_package)
        for alias in node.names:
            target = f"{source}.{alias.name}" if source else alias.name
            self.found.append((node.lineno, target))
            self.bound[alias.asname or alias.name] = target

    def _dotted(self, node):
        names = []
        while isinstance(node, ast.Attribute):
            names.append(node.attr)
            node = node.value
        if isinstance(node, ast.Name) and node.id in self.bound:
            return ".".join([self.bound[node.id], *reversed(names)])
        return None

    def visit_Attribute(self, node):
        dotted = self._dotted(node)
        if dotted:
            self.found.append((node.lineno, dotted))
        self.generic_visit(node)

    def visit_Name(self, node):
        if node.id in self.bound:
            self.found.append((node.lineno, self.bound[node.id]))


def references(source, relative):
    visitor = References(module_name(relative), PurePosixPath(relative).name == "__init__.py")
    visitor.visit(ast.parse(source, filename=relative))
    return visitor.found


def _refers_to(dotted, targets):
    return any(dotted == target or dotted.startswith(f"{target}.") for target in targets)


# --- The checkers ---------------------------------------------------------------------------------


def manager_accesses(source, relative):
    """`Model.objects` (or `_default_manager` / `_base_manager`) anywhere in the module."""
    return [
        Violation(relative, node.lineno, f"manager access `.{node.attr}`: go through a selector")
        for node in ast.walk(ast.parse(source, filename=relative))
        if isinstance(node, ast.Attribute) and node.attr in MANAGERS
    ]


def audit_writes(source, relative):
    """Imports of `dui.audit` (or its functions) and calls to `log_access` / `log_reads`."""
    lines = {}
    for line, dotted in references(source, relative):
        if _refers_to(dotted, AUDIT_WRITERS):
            lines[line] = f"writes audit rows (`{dotted}`): log reads in the selector"
        elif _refers_to(dotted, {AUDIT_MODULE}):
            lines.setdefault(line, f"uses `{dotted}`: audit belongs in selectors and services")
    return [Violation(relative, line, message) for line, message in sorted(lines.items())]


def http404_uses(source, relative):
    """Imports or raises of `Http404` (and the shortcuts that raise it)."""
    lines = {}
    for line, dotted in references(source, relative):
        if _refers_to(dotted, HTTP404):
            lines.setdefault(line, f"uses `{dotted}`: raise dui.errors.NotFound")
    for node in ast.walk(ast.parse(source, filename=relative)):
        if isinstance(node, ast.Raise) and node.exc is not None:
            raised = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            name = raised.attr if isinstance(raised, ast.Attribute) else getattr(raised, "id", "")
            if name == "Http404":
                lines[node.lineno] = "raises Http404: raise dui.errors.NotFound"
    return [Violation(relative, line, message) for line, message in sorted(lines.items())]


def actor_carried_parameters(source, relative):
    """Functions taking a `channel` or `ip` parameter."""
    found = []
    for node in ast.walk(ast.parse(source, filename=relative)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            arguments = node.args
            every = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
            for argument in every:
                if argument.arg in ACTOR_CARRIED:
                    name = getattr(node, "name", "<lambda>")
                    found.append(
                        Violation(
                            relative,
                            argument.lineno,
                            f"`{name}` takes `{argument.arg}`: the Actor carries it",
                        )
                    )
    return found


def deleted_audit_helpers(source, relative):
    """Uses of `dui.audit.channel_of` / `dui.audit.client_ip`."""
    lines = {}
    for line, dotted in references(source, relative):
        if _refers_to(dotted, DELETED_AUDIT_HELPERS):
            lines.setdefault(line, f"uses `{dotted}`: take channel and ip from the Actor")
    return [Violation(relative, line, message) for line, message in sorted(lines.items())]


def root_view_modules(relatives):
    """`views_*.py` modules at an app's root."""
    return [
        Violation(relative, 1, "views module at the app root: move it into the app's views/ package")
        for relative in relatives
        if len(_parts(relative)) == 2 and PurePosixPath(relative).stem.startswith("views_")
    ]


# --- Unit tests of the checkers -------------------------------------------------------------------


def lines_of(violations):
    return [violation.line for violation in violations]


def test_manager_access_is_caught():
    source = "from dui.models import Usager\n\ndef view(request):\n    return Usager.objects.filter(pk=1)\n"
    assert lines_of(manager_accesses(source, "dui/views/usagers.py")) == [4]
    assert lines_of(manager_accesses("x = Model._default_manager.all()\n", "dui/forms.py")) == [1]


def test_manager_access_clean_example_passes():
    source = "from dui.selectors import usager_page\n\ndef view(request, actor):\n    return usager_page(actor)\n"
    assert manager_accesses(source, "dui/views/usagers.py") == []
    # The word in a string or a comment is no access.
    assert manager_accesses('"""Usager.objects is not used here."""  # .objects\n', "dui/views/usagers.py") == []


def test_audit_writes_are_caught():
    source = "from dui import audit\n\naudit.log_access(actor, 'read', usager)\n"
    assert lines_of(audit_writes(source, "dui/views/usagers.py")) == [1, 3]
    assert lines_of(audit_writes("from dui.audit import log_reads\n", "ppa/api/views.py")) == [1]
    assert lines_of(audit_writes("import dui.audit\ndui.audit.log_reads(a, [])\n", "ppa/api/views.py")) == [1, 2]
    # Relative imports are resolved: `from .. import audit` inside dui/views/ is dui.audit.
    assert lines_of(audit_writes("from .. import audit\n", "dui/views/usagers.py")) == [1]
    assert lines_of(audit_writes("from . import audit\n", "dui/api/__init__.py")) == []
    assert lines_of(audit_writes("from .. import audit\n", "dui/api/__init__.py")) == [1]


def test_audit_clean_example_passes():
    source = "from dui.selectors import access_usager\nfrom dui.models import AccessAction\n"
    assert audit_writes(source, "dui/views/usagers.py") == []
    assert audit_writes("from ppa import audit_labels\n", "ppa/views/care.py") == []


def test_http404_is_caught():
    assert lines_of(http404_uses("from django.http import Http404\n", "dui/services/x.py")) == [1]
    source = "import django.http\n\ndef f():\n    raise django.http.Http404('x')\n"
    assert lines_of(http404_uses(source, "dui/selectors/x.py")) == [4]
    assert lines_of(http404_uses("from django import http\nraise http.Http404\n", "dui/services/x.py")) == [2]
    source = "from django.shortcuts import get_object_or_404\nget_object_or_404(Model, pk=1)\n"
    assert lines_of(http404_uses(source, "ppa/selectors/care.py")) == [1, 2]
    # Raised under another import path still counts.
    assert lines_of(http404_uses("def f():\n    raise Http404\n", "dui/services/x.py")) == [2]


def test_http404_clean_example_passes():
    source = "from dui.errors import NotFound\n\ndef f():\n    raise NotFound('Usager introuvable')\n"
    assert http404_uses(source, "dui/services/x.py") == []


def test_root_view_modules_are_caught():
    relatives = ["ppa/views_care.py", "ppa/views/care.py", "dui/views/__init__.py", "ppa/urls_care.py"]
    assert [v.path for v in root_view_modules(relatives)] == ["ppa/views_care.py"]
    assert root_view_modules(["dui/views/usagers.py", "dui/views/views_helpers.py"]) == []


def test_actor_carried_parameters_are_caught():
    source = "def note_create(user, *, usager, channel='web', ip=None):\n    pass\n"
    assert [v.message for v in actor_carried_parameters(source, "dui/services/notes.py")] == [
        "`note_create` takes `channel`: the Actor carries it",
        "`note_create` takes `ip`: the Actor carries it",
    ]
    assert lines_of(actor_carried_parameters("async def f(ip, /):\n    pass\n", "dui/services/x.py")) == [1]


def test_actor_carried_parameters_clean_example_passes():
    source = "def note_create(actor, *, usager, text):\n    return actor.channel, actor.ip\n"
    assert actor_carried_parameters(source, "dui/services/notes.py") == []


def test_deleted_audit_helpers_are_caught():
    assert lines_of(deleted_audit_helpers("from dui.audit import channel_of\n", "ppa/services/x.py")) == [1]
    source = "from dui import audit\n\nip = audit.client_ip(request)\n"
    assert lines_of(deleted_audit_helpers(source, "interop/api/views.py")) == [3]


def test_deleted_audit_helpers_clean_example_passes():
    source = "from dui import audit\n\naudit.log_access(actor, action, obj)\nchannel = actor.channel\n"
    assert deleted_audit_helpers(source, "ppa/services/x.py") == []


def test_module_classification():
    assert is_web_module("dui/views/usagers.py") and is_web_module("interop/api/views.py")
    assert is_web_module("ppa/views_care.py") and is_web_module("dui/api/__init__.py")
    assert not is_web_module("dui/services/views_count.py") and not is_web_module("dui/viewsets.py")
    assert is_form_module("dui/forms_medical.py") and is_form_module("dui/forms/medical.py")
    assert not is_form_module("dui/services/formulas.py") and not is_form_module("dui/formset_helpers.py")
    assert is_domain_module("dui/services/__init__.py") and is_domain_module("interop/services.py")
    assert is_domain_module("ppa/selectors/care.py") and not is_domain_module("ppa/views/care.py")
    assert is_service_module("ppa/services/care.py") and not is_service_module("ppa/selectors/care.py")
    assert module_name("dui/views/__init__.py") == "dui.views"


# --- The rules, on the whole project --------------------------------------------------------------

MODULES = list(app_modules())


def assert_no_violations(violations, rule):
    report = "\n".join(str(violation) for violation in sorted(violations, key=lambda v: (v.path, v.line)))
    if violations:
        pytest.fail(f"{len(violations)} violation(s) of « {rule} »:\n{report}", pytrace=False)


def test_the_walk_sees_the_project_apps():
    apps = project_apps()
    assert {"dui", "ppa", "transmissions", "interop"} <= set(apps)
    assert any(relative.startswith("dui/views/") for relative, _ in MODULES)


def test_no_manager_access_in_views_api_and_forms():
    violations = [
        violation
        for relative, source in MODULES
        if is_web_module(relative) or is_form_module(relative)
        for violation in manager_accesses(source, relative)
    ]
    assert_no_violations(violations, "no .objects in views, API or forms: use a selector")


def test_no_audit_in_views_and_api():
    violations = [
        violation
        for relative, source in MODULES
        if is_web_module(relative)
        for violation in audit_writes(source, relative)
    ]
    assert_no_violations(violations, "no dui.audit in views or API: selectors and services log")


def test_no_http404_in_services_and_selectors():
    violations = [
        violation
        for relative, source in MODULES
        if is_domain_module(relative)
        for violation in http404_uses(source, relative)
    ]
    assert_no_violations(violations, "services and selectors raise dui.errors.NotFound, never Http404")


def test_views_live_in_a_views_package():
    violations = root_view_modules(relative for relative, _ in MODULES)
    assert_no_violations(violations, "views live in the app's views/ package")


def test_services_take_no_channel_or_ip():
    violations = [
        violation
        for relative, source in MODULES
        if is_service_module(relative)
        for violation in actor_carried_parameters(source, relative)
    ]
    assert_no_violations(violations, "services take the Actor, not channel/ip")


def test_nobody_uses_the_deleted_audit_helpers():
    violations = [violation for relative, source in MODULES for violation in deleted_audit_helpers(source, relative)]
    assert_no_violations(violations, "dui.audit.channel_of / client_ip are replaced by the Actor")


# --- The import contracts cover every app ---------------------------------------------------------


@pytest.fixture(scope="module")
def import_linter():
    with (ROOT / "pyproject.toml").open("rb") as file:
        return tomllib.load(file)["tool"]["importlinter"]


def _layer_names(layer):
    return {name.strip().strip("()") for name in layer.replace("|", ":").split(":")}


def test_every_app_is_in_the_import_graph(import_linter):
    missing = sorted(set(project_apps()) - set(import_linter["root_packages"]))
    assert not missing, f"Apps missing from [tool.importlinter] root_packages (not checked): {missing}"


def test_every_app_has_a_layer(import_linter):
    (layers,) = [c["layers"] for c in import_linter["contracts"] if c["id"] == "apps"]
    placed = set().union(*(_layer_names(layer) for layer in layers))
    missing = sorted(set(import_linter["root_packages"]) - placed)
    assert not missing, f"Apps without a place in the 'apps' layers contract: {missing}"
