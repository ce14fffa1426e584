"""Rules shared by the writes of the projet personnalisé: rights, open project, latest draft
version, input checks, and the access-log row every write leaves."""

from django.core.exceptions import PermissionDenied, ValidationError

from dui import audit
from dui.catalogue import WRITE
from dui.models import AccessAction, SejourStatus, Usager
from dui.permissions import can
from dui.services.common import refuse_archived
from ppa import serafin
from ppa.models import PpaStep, Projet, ProjetVersion

REFUSED = "Votre métier ne permet pas de modifier le projet personnalisé."
REFUSED_VALIDATE = "Votre métier ne permet pas d'enregistrer l'accord sur le projet personnalisé."
REFUSED_SERAFIN = "Votre métier ne permet pas de coder les besoins et les prestations SERAFIN-PH."
REFUSED_POLICY = "Seules la direction et l'encadrement règlent les échéances du projet personnalisé."
CLOSED = "Ce projet personnalisé est clos : il est en lecture seule."
SEJOUR_ENDED = "Le séjour de cette personne est terminé : son projet personnalisé est clos."


def check_write(actor, target, usager: Usager, message: str = REFUSED, action: str = WRITE) -> None:
    if not can(actor, action, target):
        raise PermissionDenied(message)
    refuse_archived(usager)


def locked_projet(projet: Projet) -> Projet:
    return Projet.objects.select_for_update().select_related("sejour", "usager", "essms").get(pk=projet.pk)


def check_open(projet: Projet) -> None:
    if projet.closed_at is not None or projet.step == PpaStep.FIN:
        raise ValidationError(CLOSED)
    if projet.sejour.status != SejourStatus.ACTIVE:
        raise ValidationError(SEJOUR_ENDED)


def latest_version(projet: Projet) -> ProjetVersion:
    return ProjetVersion.objects.filter(projet_id=projet.pk).order_by("-number").first()


def version_for_change(actor, version: ProjetVersion, *, draft: bool = True) -> ProjetVersion:
    """Lock the project and the version; check rights, open project, latest version, not frozen."""
    projet = locked_projet(version.projet)
    version = ProjetVersion.objects.select_for_update().select_related("projet", "usager", "essms").get(pk=version.pk)
    version.projet = projet
    check_write(actor, version, version.usager)
    check_open(projet)
    latest = latest_version(projet)
    if latest.pk != version.pk:
        raise ValidationError(
            f"La version {version.number} a été remplacée par la version {latest.number} : elle n'est plus modifiable."
        )
    if draft and version.is_agreed:
        raise ValidationError(
            f"La version {version.number} a reçu l'accord du {version.agreement_on:%d/%m/%Y} : elle est figée. "
            "Utilisez « Réviser le projet » pour préparer la version suivante."
        )
    return version


def required_text(value, field: str, message: str, max_length: int | None = None) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    if max_length is not None and len(value) > max_length:
        raise ValidationError({field: f"{max_length} caractères au plus."})
    return value


def optional_text(value, field: str, max_length: int) -> str:
    value = (value or "").strip()
    if len(value) > max_length:
        raise ValidationError({field: f"{max_length} caractères au plus."})
    return value


def choice_of(value, choices, field: str, message: str) -> str:
    if value not in choices.values:
        raise ValidationError({field: message})
    return value


def log_write(actor, version_or_projet, detail: str, action: str = AccessAction.UPDATE) -> None:
    audit.log_access(actor, action, version_or_projet, detail=detail)


def serafin_code_of(actor, version: ProjetVersion, code: str, *, need: bool) -> str:
    code = (code or "").strip()
    if not code:
        return ""
    if not can(actor, WRITE, "besoins_prestations") or not can(actor, WRITE, version):
        raise PermissionDenied(REFUSED_SERAFIN)
    return serafin.validate_need_code(code) if need else serafin.validate_prestation_code(code)
