"""The comparison of two versions of a projet personnalisé, section by section (pure: no query)."""

from dataclasses import dataclass

from ppa import serafin
from ppa.models import ProjetVersion


@dataclass
class Change:
    section: str
    kind: str  # added, removed, changed
    label: str
    before: str = ""
    after: str = ""

    @property
    def kind_label(self) -> str:
        return {"added": "Ajouté", "removed": "Retiré", "changed": "Modifié"}[self.kind]


def _norm(text: str) -> str:
    return " ".join((text or "").split()).casefold()


def _code_text(code: str) -> str:
    found = serafin.concept(code) if code else None
    return found.display if found else code


def _need_items(version) -> dict:
    return {
        (n.kind, _norm(n.text)): (
            f"{n.get_kind_display()} : {n.text}",
            f"exprimé par {n.get_expressed_by_display().lower()}"
            + (f" ({n.expressed_by_name})" if n.expressed_by_name else "")
            + (f", SERAFIN-PH {_code_text(n.serafin_code)}" if n.serafin_code else ""),
        )
        for n in version.expressions.all()
    }


def _objective_items(version) -> dict:
    items = {}
    for o in version.objectives.all():
        needs = "; ".join(n.text for n in o.needs.all())
        detail = f"répond à : {needs}" + (f" — échéance {o.target_on:%d/%m/%Y}" if o.target_on else "")
        items[_norm(o.text)] = (f"Objectif : {o.text}", detail)
    return items


def _action_items(version) -> dict:
    items = {}
    for o in version.objectives.all():
        for a in o.actions.all():
            detail = f"par {a.who}" + (f", {a.frequency}" if a.frequency else "")
            if a.serafin_code:
                detail += f", SERAFIN-PH {_code_text(a.serafin_code)}"
            items[(_norm(o.text), _norm(a.text))] = (f"Action : {a.text} (objectif « {o.text} »)", detail)
    return items


def _participant_items(version) -> dict:
    return {(p.kind, _norm(p.name)): (f"{p.get_kind_display()} : {p.name}", p.role) for p in version.participants.all()}


def _meeting_items(version) -> dict:
    present = {True: "présente", False: "absente", None: "non renseigné"}[version.person_present]
    items = {
        "meeting": (
            "Réunion de projet",
            (f"le {version.meeting_on:%d/%m/%Y}" if version.meeting_on else "date non renseignée")
            + f", personne {present}"
            + (f" ({version.person_absence_reason})" if version.person_absence_reason else ""),
        ),
        "summary": ("Synthèse", version.summary or "—"),
    }
    return items


SECTIONS = (
    ("Réunion et synthèse", _meeting_items),
    ("Attentes et besoins", _need_items),
    ("Objectifs", _objective_items),
    ("Actions et prestations", _action_items),
    ("Participants", _participant_items),
)


def compare_versions(old: ProjetVersion, new: ProjetVersion) -> list[Change]:
    """Differences from `old` to `new` (both prefetched with `with_content`), section by section.

    An item is matched on its wording (and kind); the same wording with other details is "changed".
    """
    changes = []
    for section, items_of in SECTIONS:
        before, after = items_of(old), items_of(new)
        for key, (label, detail) in after.items():
            if key not in before:
                changes.append(Change(section, "added", label, after=detail))
            elif before[key][1] != detail:
                changes.append(Change(section, "changed", label, before=before[key][1], after=detail))
        for key, (label, detail) in before.items():
            if key not in after:
                changes.append(Change(section, "removed", label, before=detail))
    return changes
