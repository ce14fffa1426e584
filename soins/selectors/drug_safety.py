"""The allergy matches shown beside each line wherever a dose is prescribed, validated or given."""

from dui.selectors.drugs import allergy_matches_by_drug


def with_allergy_matches(usager_id: int, lines) -> list:
    """Set `line.allergy_matches` on each line, in at most three queries; returns the lines."""
    lines = list(lines)
    found = allergy_matches_by_drug(usager_id, {line.drug_ref_id for line in lines})
    for line in lines:
        line.allergy_matches = found.get(line.drug_ref_id, [])
    return lines


def current_treatments(user, usager):
    """Medication lines in force today for the dossier's "Traitements en cours"; None when not readable."""
    from django.db.models import Q
    from django.urls import reverse
    from django.utils import timezone

    from dui.providers import CurrentTreatment
    from soins.models import PrescriptionKind, PrescriptionLine
    from soins.selectors.medication import can_read_prescriptions

    if not can_read_prescriptions(user, usager):
        return None
    today = timezone.localdate()
    lines = PrescriptionLine.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today),
        essms_id=usager.essms_id,
        usager_id=usager.pk,
        kind=PrescriptionKind.MEDICAMENT,
        stopped_at__isnull=True,
        starts_on__lte=today,
    ).order_by("as_needed", "drug")
    url = reverse("medication-prescriptions", args=[usager.pk])
    found = []
    for line in lines:
        when = (
            f"si {line.as_needed_condition}, {line.max_per_day} fois/j au plus"
            if line.as_needed
            else ", ".join(line.times)
        )
        route = line.get_route_display().lower() if line.route else ""
        detail = " — ".join(part for part in (line.dose, route, when) if part)
        if line.unverifiable:
            detail = f"{detail} — hors référentiel : non vérifiable"
        status = "validée" if line.validated_at else "à valider"
        found.append(
            CurrentTreatment(label=line.display_drug, detail=detail, status=status, url=f"{url}#ligne-{line.pk}")
        )
    return found
