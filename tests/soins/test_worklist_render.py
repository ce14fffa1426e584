"""The worklist items are built in Python (soins.templatetags.worklist): every value is escaped."""

import datetime

from django.utils import timezone

from dui.models import Usager
from soins.models import OccurrenceStatus
from soins.selectors.worklist import OccurrenceRow, PersonWorklist, WorkItem
from soins.templatetags.worklist import _Page, worklist_persons


class _Unit:
    pk = 3


def _item(status=OccurrenceStatus.PENDING, **fields) -> WorkItem:
    due = timezone.now()
    values = {
        "pk": 7,
        "usager_id": 1,
        "label": '<script>alert("x")</script>',
        "metier": "aide_soignant",
        "due_at": due,
        "due_before": due + datetime.timedelta(hours=1),
        "status": status,
        "comment": "",
        "performed_at": None,
        "plan_item_id": 3,
        "prescription_id": None,
        "evaluation_id": None,
        "instructions": "Eau tiède <chaude>",
        "validated_by_name": "",
    }
    occurrence = OccurrenceRow(**(values | fields))
    pending = status == OccurrenceStatus.PENDING
    return WorkItem(occurrence=occurrence, late=pending, missed=False, can_validate=pending)


def test_labels_are_escaped_and_the_item_links_to_its_validation():
    context = {"validate_prefix": "/soins/occurrences/", "csrf_token": 'tok"en', "unit": _Unit()}
    html = _Page(context).item(_item())
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    # The form itself is the page's one <template>, copied in place by the script.
    assert 'href="/soins/occurrences/7/valider/?unite=3"' in html and "<form" not in html
    assert "data-outside-window" not in html
    assert "En retard" in html and "wl-state-late" in html
    assert "Eau tiède &lt;chaude&gt;" in html


def test_an_item_outside_its_window_says_so_for_the_script():
    item = _item()
    item.outside_window = True
    html = _Page({"validate_prefix": "/x/", "unit": _Unit()}).item(item)
    assert 'data-occurrence="7" data-outside-window>' in html


def test_a_validated_item_shows_its_result_and_no_form():
    validated = _item(
        status=OccurrenceStatus.REFUSED,
        comment="<b>fatiguée</b>",
        performed_at=timezone.now(),
        validated_by_name="Inès Durand",
    )
    html = _Page({"validate_prefix": "/x/", "csrf_token": "t", "unit": _Unit()}).item(validated)
    assert "<form" not in html
    assert "Refusé — Inès Durand" in html and "&lt;b&gt;fatiguée&lt;/b&gt;" in html


def test_a_person_is_escaped_and_links_to_their_plan():
    usager = Usager(pk=12, birth_name="<b>Durand</b>", first_names="Jeanne")
    person = PersonWorklist(usager=usager, room='12"B', initials="J<", photo_url="", items=[_item()])
    context = {"validate_prefix": "/x/", "csrf_token": "t", "unit": _Unit(), "plan_prefix": "/soins/personne/"}
    html = str(worklist_persons(context, [person]))
    assert "<b>" not in html and "&lt;B&gt;DURAND&lt;/B&gt; Jeanne" in html
    assert 'href="/soins/personne/12/"' in html and 'id="personne-12"' in html
    assert "Ch. 12&quot;B" in html and "J&lt;" in html
    assert "1 à faire" in html and "1 en retard" in html


def test_a_person_without_items_says_so():
    person = PersonWorklist(usager=Usager(pk=3, birth_name="Martin", first_names="Paul"), room="", initials="PM",
                            photo_url="/media/p.jpg")  # fmt: skip
    html = str(worklist_persons({"plan_prefix": "/p/"}, [person]))
    assert "Aucun soin prévu" in html and '<img class="wl-photo" src="/media/p.jpg"' in html
    assert "<ul" not in html and '<span class="wl-room">—</span>' in html


def test_timestamps_read_as_text_come_back_aware_in_utc():
    from soins.selectors.worklist import _moment

    expected = datetime.datetime(2026, 11, 24, 6, 0, tzinfo=datetime.UTC)
    assert _moment("2026-11-24 06:00:00+00") == expected  # PostgreSQL, session in UTC
    assert _moment("2026-11-24 07:00:00+01") == expected
    assert _moment("2026-11-24 06:00:00") == expected  # SQLite: naive UTC
    assert _moment("2026-11-24 06:00:00.250000+00").microsecond == 250000
    assert _moment(None) is None
