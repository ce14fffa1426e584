"""Transmission cards as HTML, built in Python from the presenter's values (`row.card`).

The feed shows 30 cards of about forty template nodes each: even with every value precomputed,
the template engine's per-node work (variable lookups, conditional escaping) was half of the
page's rendering. The markup is the one templates/transmissions/feed/_card.html used to hold.
Every value that comes from data is escaped with the standard library's html.escape (what the
presenter already escaped is a SafeString and is kept); what is the same for every card (the
CSRF field, the return address) is built once per list.
"""

from html import escape

from django import template
from django.utils.safestring import SafeData, mark_safe

from transmissions.presenters import CardView

register = template.Library()
NO_TOKEN = "NOTPROVIDED"  # noqa: S105 - the marker {% csrf_token %} renders as nothing


def _text(value) -> str:
    """As {{ value }} in an autoescaped template."""
    return value if isinstance(value, SafeData) else escape(str(value))


def _badges(t: CardView) -> str:
    parts = ['    <ul class="badges tr-badges" aria-label="Repères">\n']
    if t.unread:
        parts.append('      <li class="badge tr-badge-unread">Non lue</li>\n')
    if t.free_cible:
        parts.append('      <li class="badge tr-badge-free">Cible libre</li>\n')
    parts.append(f'      <li class="badge tr-badge-theme">{_text(t.theme)}</li>\n')
    if t.event:
        parts.append(f'      <li class="badge badge-alert">Événement : {_text(t.event)}</li>\n')
    parts.append(
        f'      <li class="badge tr-visibility tr-visibility-{_text(t.visibility)}">{_text(t.visibility_label)}</li>\n'
    )
    if t.version > 1:
        parts.append(f'      <li class="badge tr-badge-version">Corrigée (version {t.version})</li>\n')
    if t.family_visible:
        parts.append('      <li class="badge tr-badge-family">Lisible par la famille</li>\n')
    parts.append("    </ul>\n")
    return "".join(parts)


def _dar(t: CardView) -> str:
    parts = []
    if t.has_dar:
        parts.append('  <dl class="tr-dar">\n')
        if t.donnees:
            parts.append(f'    <div class="tr-dar-row"><dt>Données</dt><dd>{_text(t.donnees)}</dd></div>\n')
        if t.actions:
            parts.append(f'    <div class="tr-dar-row"><dt>Actions</dt><dd>{_text(t.actions)}</dd></div>\n')
        resultats = _text(t.resultats) if t.resultats else '<span class="hint">À compléter</span>'
        parts.append(f'    <div class="tr-dar-row"><dt>Résultats</dt><dd>{resultats}</dd></div>\n  </dl>\n')
    if t.narrative:
        parts.append(f'  <p class="tr-note">{_text(t.narrative)}</p>\n')
    return "".join(parts)


def card_html(t: CardView, *, mark_read_form: str | None) -> str:
    """One card; `mark_read_form` is the hidden fields of the "Marquer comme lu" form, None when
    the list shows no actions."""
    parts = []
    if t.group:
        parts.append(f'<h2 class="tr-group">{_text(t.group)}</h2>\n')
    unread = " tr-card-unread" if t.unread else ""
    cible = _text(t.cible)
    parts.append(
        f'<article class="tr-card{unread}" aria-labelledby="tr-{t.pk}-titre">\n'
        '  <header class="tr-card-head">\n'
        f'    <h3 class="tr-card-title" id="tr-{t.pk}-titre">\n'
        f'      <span class="tr-person">{_text(t.person)}</span>\n'
        '      <span class="tr-sep" aria-hidden="true">·</span>\n'
        f'      <span class="tr-cible">{cible}</span>\n'
        "    </h3>\n"
    )
    parts.append(_badges(t))
    parts.append("  </header>\n")
    parts.append(_dar(t))
    unit = ""
    if t.unit_name:
        unit = f'    <span><span class="visually-hidden">Unité : </span>{_text(t.unit_name)}</span>\n'
    parts.append(
        '  <footer class="tr-meta">\n'
        f"    <span>{_text(t.author)}</span>\n"
        f'    <span>Observé le <time datetime="{_text(t.observed_iso)}">{_text(t.observed)}</time></span>\n'
        f'    <span>écrit le <time datetime="{_text(t.written_iso)}">{_text(t.written)}</time></span>\n'
        f"{unit}"
        "  </footer>\n"
    )
    if mark_read_form is not None:
        parts.append(
            '  <div class="tr-card-actions">\n'
            f'    <a class="button button-secondary" href="{_text(t.detail_url)}">Ouvrir'
            f'<span class="visually-hidden"> la transmission {cible}</span></a>\n'
        )
        if t.unread:
            parts.append(
                f'    <form method="post" action="{_text(t.mark_read_url)}">\n'
                f"      {mark_read_form}\n"
                '      <button type="submit" class="button button-secondary">Marquer comme lu</button>\n'
                "    </form>\n"
            )
        parts.append("  </div>\n")
    parts.append("</article>\n")
    return "".join(parts)


@register.simple_tag(takes_context=True)
def transmission_cards(context, cards, hide_actions=False) -> str:
    """Rows passed through transmissions.presenters.present; the context's `here` (where
    "Marquer comme lu" returns) and CSRF token are read once, when an unread card needs them."""
    form = None
    if not hide_actions:
        form = ""
        if any(row.card.unread for row in cards):
            token = context.get("csrf_token")
            csrf = ""
            if token and token != NO_TOKEN:  # as {% csrf_token %}
                csrf = f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(str(token))}">'
            form = f'{csrf}\n      <input type="hidden" name="next" value="{_text(context.get("here", ""))}">'
    return mark_safe("".join(card_html(row.card, mark_read_form=form) for row in cards))  # noqa: S308 - escaped
