"""Daily facts: person-days per ESSMS, unit, modality and day, written from history.

`recompute` rewrites a range of days of one ESSMS (used by the nightly run, by the signals when a
past date changes, and by the rebuild); `present_days` reads them back, completing the days after
the watermark (today, or before the first night) live from history, so a figure never depends on
whether the night has run.
"""

import datetime
from collections import Counter, defaultdict
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Min, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from dui.models import Essms, Sejour
from pilotage.history import ABSENT, HOSPITALISED, ONE_DAY, PRESENT, day_counts, load_stays
from pilotage.models import DailyFact, FactsWatermark, TransmissionDayFact
from transmissions.models import Transmission

STATES = (PRESENT, HOSPITALISED, ABSENT)


def _yesterday() -> datetime.date:
    return timezone.localdate() - ONE_DAY


@transaction.atomic
def recompute(essms_id: int, start: datetime.date, end: datetime.date) -> int:
    """Rewrite the facts of [start, end] for one ESSMS from history; returns the number of rows."""
    if end < start:
        return 0
    rows = defaultdict(lambda: dict.fromkeys(STATES, 0))
    for (_, unit_id, modality, day, state), n in day_counts(load_stays([essms_id], start, end), start, end).items():
        rows[(unit_id, modality, day)][state] += n
    DailyFact.objects.filter(essms_id=essms_id, day__gte=start, day__lte=end).delete()
    DailyFact.objects.bulk_create(
        [
            DailyFact(essms_id=essms_id, unit_id=unit_id, modality=modality, day=day, **counts)
            for (unit_id, modality, day), counts in rows.items()
        ],
        batch_size=2000,
    )
    return len(rows) + recompute_transmissions(essms_id, start, end)


def local_bounds(start: datetime.date, end: datetime.date):
    """[start 00:00, day after end 00:00) in local time (a DST day lasts 23 or 25 hours)."""
    tz = ZoneInfo(settings.TIME_ZONE)
    return (
        datetime.datetime.combine(start, datetime.time.min, tzinfo=tz),
        datetime.datetime.combine(end + ONE_DAY, datetime.time.min, tzinfo=tz),
    )


def transmission_counts(essms_ids, start: datetime.date, end: datetime.date) -> Counter:
    """{(essms_id, unit_id, author_metier, local day): current transmissions} read from the source."""
    low, high = local_bounds(start, end)
    rows = (
        Transmission.objects.filter(essms_id__in=essms_ids, is_current=True, observed_at__gte=low, observed_at__lt=high)
        .annotate(day=TruncDate("observed_at", tzinfo=ZoneInfo(settings.TIME_ZONE)))
        .values_list("essms_id", "unit_id", "author_metier", "day")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = Counter()
    for essms_id, unit_id, metier, day, n in rows:
        counts[(essms_id, unit_id, metier, day)] += n
    return counts


def recompute_transmissions(essms_id: int, start: datetime.date, end: datetime.date) -> int:
    counts = transmission_counts([essms_id], start, end)
    TransmissionDayFact.objects.filter(essms_id=essms_id, day__gte=start, day__lte=end).delete()
    TransmissionDayFact.objects.bulk_create(
        [
            TransmissionDayFact(essms_id=essms_id, unit_id=unit_id, author_metier=metier, day=day, count=n)
            for (_, unit_id, metier, day), n in counts.items()
        ],
        batch_size=2000,
    )
    return len(counts)


def transmissions_by_key(essms_ids, start: datetime.date, end: datetime.date, *, unit_id=None, today=None) -> Counter:
    """{(unit_id, author_metier): transmissions} over [start, end]: facts up to the watermark, then live."""
    today = today or timezone.localdate()
    end = min(end, today)
    totals = Counter()
    if end < start:
        return totals
    marks = dict(FactsWatermark.objects.filter(essms_id__in=essms_ids).values_list("essms_id", "computed_until"))
    by_mark = defaultdict(list)
    for essms_id in essms_ids:
        by_mark[marks.get(essms_id)].append(essms_id)
    for mark, ids in by_mark.items():
        stored_end = min(end, mark) if mark else start - ONE_DAY
        if stored_end >= start:
            rows = TransmissionDayFact.objects.filter(essms_id__in=ids, day__gte=start, day__lte=stored_end)
            if unit_id is not None:
                rows = rows.filter(unit_id=unit_id)
            for unit, metier, n in rows.values_list("unit_id", "author_metier").annotate(n=Sum("count")).order_by():
                totals[(unit, metier)] += n
        live_start = max(start, stored_end + ONE_DAY)
        if live_start <= end:
            for (_, unit, metier, _), n in transmission_counts(ids, live_start, end).items():
                if unit_id is None or unit == unit_id:
                    totals[(unit, metier)] += n
    return totals


def first_day(essms_id: int) -> datetime.date | None:
    return Sejour.objects.filter(essms_id=essms_id, admitted_on__isnull=False).aggregate(d=Min("admitted_on"))["d"]


def rebuild(essms_ids=None, *, until: datetime.date | None = None) -> int:
    """Every fact from the first admission to `until` (yesterday), from scratch; returns rows written."""
    until = until or _yesterday()
    ids = essms_ids if essms_ids is not None else list(Essms.objects.values_list("pk", flat=True))
    written = 0
    for essms_id in ids:
        with transaction.atomic():
            DailyFact.objects.filter(essms_id=essms_id).delete()
            TransmissionDayFact.objects.filter(essms_id=essms_id).delete()
            start = first_day(essms_id)
            if start is not None:
                # One year at a time: memory stays flat whatever the history's length.
                while start <= until:
                    chunk_end = min(until, start.replace(month=12, day=31))
                    written += recompute(essms_id, start, chunk_end)
                    start = chunk_end + ONE_DAY
            FactsWatermark.objects.update_or_create(essms_id=essms_id, defaults={"computed_until": until})
    return written


def nightly(until: datetime.date | None = None) -> int:
    """Carry every ESSMS's facts forward to `until` (yesterday): normally one new day each."""
    until = until or _yesterday()
    marks = dict(FactsWatermark.objects.values_list("essms_id", "computed_until"))
    written = 0
    for essms_id in Essms.objects.values_list("pk", flat=True):
        mark = marks.get(essms_id)
        if mark is None:
            written += rebuild([essms_id], until=until)
            continue
        if mark < until:
            with transaction.atomic():
                written += recompute(essms_id, mark + ONE_DAY, until)
                FactsWatermark.objects.filter(essms_id=essms_id).update(computed_until=until)
    return written


def recompute_touched(essms_id: int, start: datetime.date, end: datetime.date | None) -> int:
    """A change of history touching [start, end]: rewrite those of its days already computed."""
    mark = FactsWatermark.objects.filter(essms_id=essms_id).values_list("computed_until", flat=True).first()
    if mark is None or start > mark:
        return 0
    return recompute(essms_id, start, min(end or mark, mark))


def present_days(essms_ids, start: datetime.date, end: datetime.date, *, unit_id=None, today=None) -> dict:
    """{state: person-days} over [start, end] (days after today are not realised yet and count 0)."""
    today = today or timezone.localdate()
    end = min(end, today)
    totals = dict.fromkeys(STATES, 0)
    if end < start:
        return totals
    marks = dict(FactsWatermark.objects.filter(essms_id__in=essms_ids).values_list("essms_id", "computed_until"))
    by_mark = defaultdict(list)
    for essms_id in essms_ids:
        by_mark[marks.get(essms_id)].append(essms_id)
    for mark, ids in by_mark.items():
        stored_end = min(end, mark) if mark else start - ONE_DAY
        if stored_end >= start:
            facts = DailyFact.objects.filter(essms_id__in=ids, day__gte=start, day__lte=stored_end)
            if unit_id is not None:
                facts = facts.filter(unit_id=unit_id)
            sums = facts.aggregate(**{state: Sum(state) for state in STATES})
            for state in STATES:
                totals[state] += sums[state] or 0
        live_start = max(start, stored_end + ONE_DAY)
        if live_start <= end:
            for (_, unit, _, _, state), n in day_counts(load_stays(ids, live_start, end), live_start, end).items():
                if unit_id is None or unit == unit_id:
                    totals[state] += n
    return totals


def monthly_days(essms_ids, start: datetime.date, end: datetime.date, *, unit_id=None, today=None) -> dict:
    """{first day of month: {state: person-days}} over [start, end], stored facts read in one query."""
    from django.db.models.functions import TruncMonth

    today = today or timezone.localdate()
    end = min(end, today)
    months = defaultdict(lambda: dict.fromkeys(STATES, 0))
    if end < start:
        return months
    marks = dict(FactsWatermark.objects.filter(essms_id__in=essms_ids).values_list("essms_id", "computed_until"))
    stored = [i for i in essms_ids if marks.get(i)]
    for essms_id in stored:
        stored_end = min(end, marks[essms_id])
        facts = DailyFact.objects.filter(essms_id=essms_id, day__gte=start, day__lte=stored_end)
        if unit_id is not None:
            facts = facts.filter(unit_id=unit_id)
        sums = facts.annotate(month=TruncMonth("day")).values("month").annotate(**{s: Sum(s) for s in STATES})
        for row in sums.order_by():
            for state in STATES:
                months[row["month"]][state] += row[state] or 0
    for essms_id in essms_ids:
        live_start = max(start, marks[essms_id] + ONE_DAY) if marks.get(essms_id) else start
        if live_start <= end:
            counts = day_counts(load_stays([essms_id], live_start, end), live_start, end)
            for (_, unit, _, day, state), n in counts.items():
                if unit_id is None or unit == unit_id:
                    months[day.replace(day=1)][state] += n
    return months


def present_days_by_essms(essms_ids, start: datetime.date, end: datetime.date, *, today=None) -> dict:
    """{essms_id: {state: person-days}} for many ESSMS: stored facts in one grouped query."""
    today = today or timezone.localdate()
    end = min(end, today)
    totals = {essms_id: dict.fromkeys(STATES, 0) for essms_id in essms_ids}
    if end < start:
        return totals
    marks = dict(FactsWatermark.objects.filter(essms_id__in=essms_ids).values_list("essms_id", "computed_until"))
    covered = [i for i in essms_ids if marks.get(i) and marks[i] >= end]
    rows = (
        DailyFact.objects.filter(essms_id__in=covered, day__gte=start, day__lte=end)
        .values("essms_id")
        .annotate(**{state: Sum(state) for state in STATES})
        .order_by()
    )
    for row in rows:
        totals[row["essms_id"]] = {state: row[state] or 0 for state in STATES}
    for essms_id in set(essms_ids) - set(covered):
        totals[essms_id] = present_days([essms_id], start, end, today=today)
    return totals
