"""The allergy matches shown beside each line wherever a dose is prescribed, validated or given."""

from dui.selectors.drugs import allergy_matches_by_drug


def with_allergy_matches(usager_id: int, lines) -> list:
    """Set `line.allergy_matches` on each line, in at most three queries; returns the lines."""
    lines = list(lines)
    found = allergy_matches_by_drug(usager_id, {line.drug_ref_id for line in lines})
    for line in lines:
        line.allergy_matches = found.get(line.drug_ref_id, [])
    return lines
