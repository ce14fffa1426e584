"""Working figures of the role sets the field documents quote: what the therapists did (bilans,
persons followed: what justifies keeping a part-time post) and the cadre's changes of diet.

The dossier holds no diet prescription: a change of diet is what the team records of it, a
transmission of the "Alimentation et hydratation" theme or a new hydration target.
"""

from collections import Counter

from dui.models import Membership, Metier
from pilotage.scope import Scope
from soins.models import Evaluation, HydrationTarget
from transmissions.models import Theme, Transmission

THERAPIST_METIERS = (Metier.ERGOTHERAPEUTE, Metier.PSYCHOLOGUE, Metier.APA, Metier.DIETETICIEN)


def _in_scope(scope: Scope, usager_id) -> bool:
    """A row about a person counts for a unit when the person had a day there in the period."""
    return scope.unit_id is None or usager_id in scope.persons_in_period


def _therapists(scope: Scope) -> dict[int, str]:
    """{user id: métier} of the therapists of the scope's ESSMS."""
    rows = Membership.objects.filter(essms_id__in=scope.essms_ids, metier__in=THERAPIST_METIERS)
    return dict(rows.values_list("user_id", "metier"))


def _bilans(scope: Scope) -> list[tuple[int, str]]:
    """(person, métier) of each evaluation a therapist recorded in the period."""

    def compute():
        therapists = _therapists(scope)
        start, end = scope.bounds
        rows = Evaluation.objects.filter(
            essms_id__in=scope.essms_ids, created_by_id__in=list(therapists), evaluated_at__gte=start,
            evaluated_at__lt=end,
        ).values_list("usager_id", "created_by_id")  # fmt: skip
        return [(usager_id, therapists[user_id]) for usager_id, user_id in rows if _in_scope(scope, usager_id)]

    return scope.memo("therapist_bilans", compute)


def _therapist_notes(scope: Scope) -> list[tuple[int, str]]:
    """(person, métier) of each current transmission a therapist wrote about a person, observed in the period."""
    start, end = scope.bounds
    rows = Transmission.objects.filter(
        essms_id__in=scope.essms_ids, is_current=True, author_metier__in=THERAPIST_METIERS, usager__isnull=False,
        observed_at__gte=start, observed_at__lt=end,
    ).values_list("usager_id", "author_metier")  # fmt: skip
    return [(usager_id, metier) for usager_id, metier in rows if _in_scope(scope, usager_id)]


def _by_metier(counts: Counter) -> dict[str, float]:
    labels = dict(Metier.choices)
    return {labels[m]: counts[m] for m in THERAPIST_METIERS if counts[m]}


def therapist_bilans(scope: Scope) -> tuple[float, None, dict]:
    bilans = _bilans(scope)
    return len(bilans), None, _by_metier(Counter(metier for _, metier in bilans))


def therapist_persons(scope: Scope) -> set[int]:
    return {usager_id for usager_id, _ in _bilans(scope) + _therapist_notes(scope)}


def therapist_persons_followed(scope: Scope) -> tuple[float, None, dict]:
    pairs = set(_bilans(scope) + _therapist_notes(scope))
    return len(therapist_persons(scope)), None, _by_metier(Counter(metier for _, metier in pairs))


def _diet_rows(scope: Scope) -> tuple[list[int], list[int]]:
    start, end = scope.bounds
    notes = Transmission.objects.filter(
        essms_id__in=scope.essms_ids, is_current=True, theme=Theme.ALIMENTATION, usager__isnull=False,
        observed_at__gte=start, observed_at__lt=end,
    ).values_list("usager_id", flat=True)  # fmt: skip
    targets = HydrationTarget.objects.filter(
        essms_id__in=scope.essms_ids, created_at__gte=start, created_at__lt=end
    ).values_list("usager_id", flat=True)
    return [u for u in notes if _in_scope(scope, u)], [u for u in targets if _in_scope(scope, u)]


def diet_changes(scope: Scope) -> tuple[float, None, dict]:
    notes, targets = _diet_rows(scope)
    return (
        len(notes) + len(targets),
        None,
        {"Transmissions alimentation": len(notes), "Objectifs d'hydratation": len(targets)},
    )


def diet_change_persons(scope: Scope) -> set[int]:
    notes, targets = _diet_rows(scope)
    return set(notes) | set(targets)
