"""The worklist's persons and items as HTML, built in Python: a day shift of a 40-person unit holds
hundreds of items, and the template engine (then format_html's lazy escaping) spent more time on
them than the rest of the request together. Every value that comes from data is escaped with the
standard library's html.escape; what is the same for every item is built once per page."""

from html import escape

from django import template
from django.utils.safestring import mark_safe

from dui.selectors.banner import Banner
from soins.selectors.worklist import PersonWorklist, WorkItem

register = template.Library()

KIND_BADGES = {"medicament": "Médicament", "suivi": "Suivi"}


def compact_banner(banner: Banner) -> str:
    """The compact variant of templates/dui/_banner.html, built in Python: one template render per
    person was 8 % of the worklist's CPU. tests/soins/test_worklist_banner.py keeps both identical."""
    who = f'<span class="pb-birth">né(e) {escape(banner.birth_name.upper())}</span>' if banner.shows_birth_name else ""
    alerts = []
    if banner.allergies is not None:
        for allergy in banner.allergies:
            level = "pb-danger" if allergy.is_severe else "pb-warn"
            severity = f" ({escape(str(allergy.severity_label).lower())})" if allergy.severity else ""
            alerts.append(f'<li class="pb-badge {level}">Allergie {escape(allergy.substance)}{severity}</li>')
        if not banner.allergies:
            alerts.append(f'<li class="pb-badge pb-muted">{escape(str(banner.allergies_unknown_text))}</li>')
    alerts += [f'<li class="pb-badge pb-{escape(a.level)}">{escape(str(a.label))}</li>' for a in banner.alerts]
    return (
        f'<section class="pb pb-compact" aria-label="Bandeau patient : {escape(banner.name_in_use)}" '
        f'data-banner="{banner.usager.pk}"><div class="pb-body"><p class="pb-who">{who}'
        f'<span class="pb-fact">{banner.age} ans</span></p>'
        f'<ul class="pb-alerts" aria-label="Alertes">{"".join(alerts)}</ul></div></section>'
    )


class _Page:
    """The parts of an item's HTML that depend on the page only (validation URL, CSRF token, unit)."""

    def __init__(self, context):
        self.validate_prefix = escape(context.get("validate_prefix", ""))
        unit_pk = getattr(context.get("unit"), "pk", None)
        self.unit_query = f"?unite={unit_pk}" if unit_pk is not None else ""
        self.hidden = (
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(str(context.get("csrf_token", "")))}">'
            f'<input type="hidden" name="unit" value="{escape(str(getattr(context.get("unit"), "pk", "")))}">'
        )
        self.plan_prefix = escape(context.get("plan_prefix", ""))
        self.cancel_prefix = escape(context.get("cancel_prefix", ""))
        self.times: dict[tuple, tuple[str, str]] = {}  # a shift's items share a few due times

    def banner(self, person: PersonWorklist) -> str:
        """The compact patient banner (age, birth name, allergies and alerts) under the card's head."""
        return compact_banner(person.banner) if person.banner is not None else ""

    def time(self, item: WorkItem) -> tuple[str, str]:
        """(ISO time, "HH:MM" or "Poste") of an item, formatted once per due time of the page."""
        key = (item.occurrence.due_at, item.occurrence.due_before)  # what `timed` is computed from
        text = self.times.get(key)
        if text is None:
            text = self.times[key] = (item.due_iso, item.due_label)
        return text

    def validate_link(self, pk: int) -> str:
        """Where an item's validation form goes: static/js/worklist.js puts a copy of the page's one
        <template> form in its place (a day shift's 440 forms written here were a fifth of the page's
        CPU and 500 KB of HTML); without JavaScript the link opens the item's own validation page."""
        href = f"{self.validate_prefix}{pk}/valider/{self.unit_query}"
        return f'<a class="wl-validate button button-secondary" href="{href}">Valider…</a>'

    def cancel_form(self, pk: int, label: str) -> str:
        """ "Annuler / corriger": behind a <details> so a tap never cancels by accident; a reason is required."""
        return (
            f'<details class="wl-cancel"><summary>Annuler / corriger</summary>'
            f'<form method="post" action="{self.cancel_prefix}{pk}/annuler/" class="wl-cancel-form">{self.hidden}'
            f'<label for="cancel-{pk}">Motif de l\'annulation de « {label} »</label>'
            f'<input type="text" id="cancel-{pk}" name="reason" maxlength="300" required>'
            f'<button type="submit" class="button button-secondary">Annuler cette validation</button></form></details>'
        )

    def item(self, item: WorkItem) -> str:
        """The <li> of one occurrence: time, label, badges, instructions, result, its validation when to do."""
        o = item.occurrence
        pk = o.pk
        label = escape(o.label)
        kind = KIND_BADGES.get(item.kind)
        alert = "Non validé (poste terminé)" if item.missed else "En retard" if item.late else ""
        metier = item.metier_label
        instructions = o.instructions
        result = item.result_text
        due_iso, due_label = self.time(item)  # digits and fixed words: nothing to escape
        # The script opens the reason field of the item's form at once when it is outside its window.
        outside = " data-outside-window" if item.can_validate and item.outside_window else ""
        return (
            f'<li class="wl-item wl-state-{escape(item.state)}" id="occ-{pk}" data-occurrence="{pk}"{outside}>'
            f'<div class="wl-item-head"><time class="wl-time" datetime="{due_iso}">'
            f'{due_label}</time><span class="wl-label">{label}</span>'
            + (f'<span class="badge wl-kind">{kind}</span>' if kind else "")
            + ('<span class="badge wl-kind">Aide à la prise</span>' if o.aide_a_la_prise else "")
            + (f'<span class="wl-metier">{escape(metier)}</span>' if metier else "")
            + (f'<span class="badge badge-alert">{alert}</span>' if alert else "")
            + "</div>"
            + (f'<p class="wl-instructions">{escape(instructions)}</p>' if instructions else "")
            + (f'<p class="wl-result">{escape(result)}</p>' if result else '<p class="wl-result" hidden></p>')
            + "".join(f'<p class="wl-history">{escape(line)}</p>' for line in item.corrections)
            + (self.validate_link(pk) if item.can_validate else "")
            + (self.cancel_form(pk, label) if item.can_correct else "")
            + '<p class="wl-feedback" role="alert" hidden></p></li>'
        )

    def person(self, person: PersonWorklist) -> str:
        """The <li> of one person: photo or initials, room, name, counts, then their items."""
        pk = person.usager.pk
        if person.photo_url:
            picture = f'<img class="wl-photo" src="{escape(person.photo_url)}" alt="">'
        else:
            picture = f'<span class="wl-avatar" aria-hidden="true">{escape(person.initials)}</span>'
        room = f"Ch. {escape(person.room)}" if person.room else "—"
        if person.items:
            late = person.late_count
            counts = f"{person.pending_count} à faire" + (
                f' · <span class="badge badge-alert">{late} en retard</span>' if late else ""
            )
            items = f'<ul class="wl-items">{"".join(map(self.item, person.items))}</ul>'
        else:
            counts, items = "Aucun soin prévu", ""
        return (
            f'<li class="wl-person" id="personne-{pk}"><div class="wl-head">{picture}'
            f'<span class="wl-room">{room}</span>'
            f'<a class="wl-name" href="{self.plan_prefix}{pk}/">{escape(str(person.usager))}</a>'
            f'<span class="wl-counts">{counts}</span></div>{self.banner(person)}{items}</li>'
        )


@register.simple_tag(takes_context=True)
def worklist_persons(context, persons: list[PersonWorklist]):
    """The <li> of each person present, in order, with their items."""
    return mark_safe("".join(map(_Page(context).person, persons)))  # noqa: S308 (each value escaped by _Page)
