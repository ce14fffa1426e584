"""The PDF of a projet personnalisé version, rendered without a request: the page prints it for
download, and the validated version is stored in the dossier from it."""

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from dui.actor import user_of
from ppa import serafin
from ppa.models import ProjetVersion
from ppa.selectors.projects import version_content, with_serafin_concepts


def projet_pdf_filename(version: ProjetVersion) -> str:
    return f"projet-personnalise-{slugify(str(version.usager))}-v{version.number}.pdf"


def render_projet_pdf(actor, version: ProjetVersion) -> bytes:
    """The printed version with its content; reading rights and the access log are the caller's."""
    content = with_serafin_concepts(version_content(version))
    user = user_of(actor)
    membership = actor.membership
    context = {
        "projet": content.projet,
        "usager": content.usager,
        "version": content,
        "essms": content.projet.essms,
        "with_serafin": serafin.applies_to(content.projet.essms),
        "printed_at": timezone.localtime(),
        "printed_by": user.get_full_name() or user.get_username(),
        "printed_by_metier": membership.get_metier_display() if membership else "",
    }
    import weasyprint  # imported here: only the PDF needs Pango

    return weasyprint.HTML(string=render_to_string("pdf/ppa.html", context)).write_pdf()
