"""The stub ViaTrajectoire backend (the default): a few fixed requests per ESSMS, for the demo and tests."""

import datetime

from django.utils import timezone

from admissions.connectors import ExternalRequest

FIXTURES = (
    ("001", "MOREL", "Yvonne Lucie", datetime.date(1935, 2, 3), "F", "permanent", 2, 12, "CH Riom, médecine"),
    ("002", "BESSON", "André", datetime.date(1941, 9, 21), "M", "temporaire", 3, 8, ""),
    ("003", "FAURE", "Marcelle", datetime.date(1932, 6, 30), "F", "permanent", 1, 3, "CHU Clermont, SSR"),
)


class StubBackend:
    """Deterministic answers; `acknowledged` keeps what was acknowledged (in this process)."""

    acknowledged: dict[int, list[str]] = {}

    def fetch_new(self, essms, since):
        now = timezone.now()
        requests = []
        for suffix, name, first, born, sex, kind, priority, days_ago, sender in FIXTURES:
            received_at = now - datetime.timedelta(days=days_ago)
            if since is not None and received_at < since:
                continue
            reference = f"VT-{essms.finess}-{suffix}"
            data = {
                "source": "viatrajectoire", "external_ref": reference, "birth_name": name, "first_names": first,
                "birth_date": born, "sex": sex, "accommodation": kind, "priority": priority,
                "received_at": received_at, "sending_facility": sender,
            }  # fmt: skip
            requests.append(ExternalRequest(reference, data, [{"last_name": name, "relationship": "famille"}]))
        return requests

    def acknowledge(self, essms, references):
        self.acknowledged.setdefault(essms.pk, []).extend(references)
