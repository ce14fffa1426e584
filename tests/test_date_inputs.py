"""Every <input type=date> of the project's forms renders its value as AAAA-MM-JJ (the only format a
browser accepts): a d/m/Y value shows an empty field and the next save fails."""

import importlib
import pkgutil

from django import forms

import dui
import ppa
import soins
import transmissions


def _project_forms():
    for package in (dui, ppa, soins, transmissions):
        for module in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            if "migrations" in module.name or module.name.endswith(("tests", "tasks")):
                continue
            importlib.import_module(module.name)

    def walk(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from walk(sub)

    return {
        cls for cls in walk(forms.BaseForm) if cls.__module__.split(".")[0] in {"dui", "ppa", "soins", "transmissions"}
    }


def test_every_date_input_renders_iso():
    checked = []
    for form_class in _project_forms():
        for name, field in form_class.base_fields.items():
            widget = field.widget
            if isinstance(widget, forms.DateInput) and widget.input_type == "date":
                assert widget.format == "%Y-%m-%d", f"{form_class.__module__}.{form_class.__name__}.{name}"
                checked.append(name)
    assert "starts_on" in checked and "ends_on" in checked
