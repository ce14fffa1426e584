"""The feed's markup built in Python (cards, filter inputs, filter choices) says what the templates said:
data escaped, the "Marquer comme lu" form with its CSRF field, the same inputs as Django's widgets."""

import datetime

import pytest
from django import forms
from django.urls import reverse
from django.utils import timezone

from dui.models import EssmsKind, Metier
from tests.factories import professional
from transmissions.forms import FastCheckboxInput, FastDateInput, FastHiddenInput, FastTextInput
from transmissions.models import Cible, Theme
from transmissions.selectors import cibles_offered_for_user, cibles_offered_list
from transmissions.services.transmissions import transmission_create

FEED = reverse("transmission-feed")


@pytest.fixture
def ide(essms):
    return professional(essms, Metier.IDE)


def test_a_card_escapes_what_was_written_and_keeps_its_actions(client, ide, usager):
    observed_at = timezone.now() - datetime.timedelta(hours=1)
    t = transmission_create(
        ide, usager=usager, observed_at=observed_at, free_cible='<b>"Chute"</b>', donnees="Vu <script>\nau lever"
    )
    client.enforce_csrf_checks = True
    client.force_login(ide)
    body = client.get(FEED).content.decode()
    assert "<script>" not in body and "&lt;b&gt;&quot;Chute&quot;&lt;/b&gt;" in body
    assert "Vu &lt;script&gt;<br>au lever" in body and "Cible libre" in body
    assert f'<form method="post" action="{reverse("transmission-mark-read", args=[t.pk])}">' in body
    assert 'name="csrfmiddlewaretoken"' in body and f'<input type="hidden" name="next" value="{FEED}">' in body
    assert f'href="{reverse("transmission-detail", args=[t.pk])}"' in body


def test_the_detail_card_has_no_actions(client, ide, usager):
    observed_at = timezone.now() - datetime.timedelta(hours=1)
    t = transmission_create(ide, usager=usager, observed_at=observed_at, narrative="Journée calme.")
    client.force_login(ide)
    body = client.get(reverse("transmission-detail", args=[t.pk])).content.decode()
    assert "Journée calme." in body and "tr-card-actions" not in body


@pytest.mark.parametrize(
    ("fast", "plain", "value"),
    [
        (FastTextInput(), forms.TextInput(), 'a "<b>" & c'),
        (
            FastTextInput(attrs={"type": "search", "list": "l"}),
            forms.TextInput(attrs={"type": "search", "list": "l"}),
            None,
        ),
        (FastHiddenInput(), forms.HiddenInput(), "12"),
        (FastDateInput(format="%Y-%m-%d"), forms.DateInput(format="%Y-%m-%d"), datetime.date(2026, 1, 2)),
        (FastCheckboxInput(), forms.CheckboxInput(), True),
        (FastCheckboxInput(), forms.CheckboxInput(), False),
    ],
)
def test_fast_inputs_are_the_django_widgets_markup(fast, plain, value):
    attrs = {"id": "id_x", "maxlength": 200, "aria-invalid": "true", "required": False}
    assert fast.render("x", value, attrs=attrs) == plain.render("x", value, attrs=attrs)


def test_the_filter_cibles_are_the_offered_ones_in_one_query(ide, og, django_assert_num_queries):
    Cible.objects.create(og=og, label="Douleur", theme=Theme.DOULEUR)
    Cible.objects.create(og=og, label="Sommeil", theme=Theme.AUTRE, essms_kinds=[EssmsKind.SAAD])
    expected = list(cibles_offered_for_user(ide))
    with django_assert_num_queries(1):
        assert cibles_offered_list(ide) == expected
