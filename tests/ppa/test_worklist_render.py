"""The worklist items are built in Python (ppa.templatetags.worklist): every value is escaped."""

import datetime

from django.utils import timezone

from ppa.models import OccurrenceStatus
from ppa.selectors.worklist import OccurrenceRow, WorkItem
from ppa.templatetags.worklist import worklist_items


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


def test_labels_are_escaped_and_the_form_posts_to_the_item():
    context = {"validate_prefix": "/soins/occurrences/", "csrf_token": 'tok"en', "unit": _Unit()}
    html = str(worklist_items(context, [_item()]))
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert 'action="/soins/occurrences/7/valider/"' in html
    assert 'value="tok&quot;en"' in html
    assert 'name="unit" value="3"' in html
    assert "En retard" in html and "wl-state-late" in html
    assert html.count('name="status"') == 3
    assert "Eau tiède &lt;chaude&gt;" in html


def test_a_validated_item_shows_its_result_and_no_form():
    validated = _item(
        status=OccurrenceStatus.REFUSED,
        comment="<b>fatiguée</b>",
        performed_at=timezone.now(),
        validated_by_name="Inès Durand",
    )
    html = str(worklist_items({"validate_prefix": "/x/", "csrf_token": "t", "unit": _Unit()}, [validated]))
    assert "<form" not in html
    assert "Refusé — Inès Durand" in html and "&lt;b&gt;fatiguée&lt;/b&gt;" in html
