"""No lost access event: a session logs the same logical events as before list reads became one row.

The fixture was captured by running the scenario against the one-row-per-object storage
(`CAPTURE_ACCESS_EVENTS=1 pytest tests/dui/test_access_log_events.py` rewrites it).
"""

import json
import os
from collections import Counter
from pathlib import Path

import pytest

from dui.models import AccessLog
from tests.dui.access_scenario import natural_events, run_session

FIXTURE = Path(__file__).with_name("access_events_session.json")

pytestmark = pytest.mark.django_db


def test_a_session_logs_the_same_logical_events_as_the_per_object_log(client, essms):
    start = run_session(client, essms)
    events = natural_events(start)
    if os.environ.get("CAPTURE_ACCESS_EVENTS"):
        FIXTURE.write_text(
            json.dumps(sorted([[*key, count] for key, count in events.items()], key=str), ensure_ascii=False, indent=1)
            + "\n"
        )
    expected = Counter({tuple(item[:-1]): item[-1] for item in json.loads(FIXTURE.read_text())})
    assert sum(events.values()) > 20
    assert events == expected
    # Stored compactly: the feed, the active file, the worklist and the API list are one row each per class.
    assert AccessLog.objects.filter(id__gt=start).count() <= sum(events.values()) / 2
