"""Pages of the projet personnalisé: the project of a person (versions, content, forms to add
items), the meeting and agreement forms, the comparison of two versions, the PDF, the alert
list of due dates with its indicators, and the due-date rules of the ESSMS.

Reads go through the selectors, which log them; writes through the services, which log them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from dui import selectors
from dui.actor import actor_of
from dui.catalogue import READ, VALIDATE, WRITE
from dui.errors import NotFound
from dui.services.common import ARCHIVED_MESSAGE
from dui.views.service_errors import show_service_error
from ppa import forms_projects as forms
from ppa import serafin
from ppa.models import PpaStep, Projet
from ppa.pdf import projet_pdf_filename, render_projet_pdf
from ppa.selectors import projects as selectors_ppa
from ppa.selectors.project_compare import SECTIONS
from ppa.selectors.project_dues import due_on_of
from ppa.services import project_versions as version_services
from ppa.services import projects as services

SECTION_OF_ITEM = {
    "besoin": "besoins",
    "objectif": "objectifs",
    "action": "objectifs",
    "evaluation": "objectifs",
    "participant": "reunion",
}
SUCCESS_OF_ITEM = {
    "besoin": "Attente ou besoin ajouté.",
    "objectif": "Objectif ajouté.",
    "action": "Action ajoutée.",
    "evaluation": "Évaluation de l'objectif enregistrée.",
    "participant": "Participant ajouté.",
}


def _messages_of(error: ValidationError | PermissionDenied) -> str:
    """A refusal shown as one flash message (pages that redirect instead of showing a form)."""
    return " ".join(getattr(error, "messages", None) or [str(error)])


def _detail_url(projet, version=None, anchor: str = "") -> str:
    url = reverse("ppa-projet-detail", kwargs={"pk": projet.pk})
    if version is not None:
        url += f"?version={version.number}"
    return url + (f"#{anchor}" if anchor else "")


def _item_form(item: str, version, data=None):
    essms = version.essms
    with_serafin = serafin.applies_to(essms)
    form_class = forms.ITEM_FORMS[item]
    if item == "besoin":
        return form_class(data, with_serafin=with_serafin, prefix=item)
    if item == "objectif":
        return form_class(data, needs=list(version.expressions.all()), prefix=item)
    if item == "action":
        return form_class(data, objectives=list(version.objectives.all()), with_serafin=with_serafin, prefix=item)
    if item == "evaluation":
        return form_class(data, objectives=list(version.objectives.all()), prefix=item)
    return form_class(data, prefix=item)


def _render_detail(request, projet: Projet, version=None, *, bound: dict | None = None, status: int = 200):
    actor = actor_of(request)
    page = selectors_ppa.projet_page(actor, projet, version=version, number=request.GET.get("version", ""))
    version, latest, content = page.version, page.latest, page.content
    editable = (
        version.pk == latest.pk
        and not version.is_agreed
        and projet.closed_at is None
        and projet.sejour.status == "active"
        and projet.usager.archived_at is None
        and actor.can(WRITE, version)
    )
    evaluable = (
        version.pk == latest.pk
        and projet.closed_at is None
        and projet.sejour.status == "active"
        and projet.usager.archived_at is None
        and actor.can(WRITE, version)
    )
    item_forms = {item: _item_form(item, content) for item in forms.ITEM_FORMS}
    if bound:
        item_forms.update(bound)
    selectors_ppa.with_serafin_concepts(content)
    steps = [{"value": s.value, "label": s.label, "current": s.value == projet.step} for s in PpaStep]
    context = {
        "projet": projet,
        "usager": projet.usager,
        "version": content,
        "versions": page.versions,
        "latest": latest,
        "editable": editable,
        "evaluable": evaluable,
        "can_validate": editable and actor.can(VALIDATE, version),
        "can_revise": version.pk == latest.pk and version.is_agreed and evaluable,
        "can_manage": projet.closed_at is None and projet.usager.archived_at is None and actor.can(WRITE, projet),
        "forms": item_forms,
        "step_form": forms.StepForm(initial={"step": projet.step}),
        "steps": steps,
        "due_on": due_on_of(projet) if projet.closed_at is None else None,
        "today": timezone.localdate(),
        "with_serafin": serafin.applies_to(projet.essms),
        "links": page.links,
        "errors": [error for form in (bound or {}).values() for error in form.non_field_errors()],
    }
    return render(request, "ppa/projects/detail.html", context, status=status)


@login_required
def usager_projet(request, usager_pk: int):
    """The entry from a dossier: its project, or the page to open one."""
    actor = actor_of(request)
    usager = selectors.access_usager(actor.user, pk=usager_pk)  # dui.selectors still filters grants by user
    if not selectors_ppa.can_read_ppa(actor):
        raise NotFound
    projet = selectors_ppa.projet_of_usager(actor, usager)
    if projet is not None:
        return redirect(_detail_url(projet))
    sejour = selectors_ppa.open_sejour_of(usager)
    may_open = (
        sejour is not None
        and usager.archived_at is None
        and actor.can(WRITE, Projet(essms_id=usager.essms_id, usager_id=usager.pk))
    )
    errors = []
    if request.method == "POST":
        try:
            projet = services.projet_open(actor, usager=usager)
        except PermissionDenied:
            raise NotFound from None
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, "Projet personnalisé ouvert : la version 1 est en préparation.")
            return redirect(_detail_url(projet))
    context = {
        "usager": usager,
        "sejour": sejour,
        "may_open": may_open,
        "errors": errors,
        "archived": usager.archived_at is not None,
        "archived_message": ARCHIVED_MESSAGE,
    }
    return render(request, "ppa/projects/open.html", context, status=400 if errors else 200)


@login_required
def projet_detail(request, pk: int):
    projet = selectors_ppa.projet_in_reach(actor_of(request), pk)
    return _render_detail(request, projet)


@login_required
@require_POST
def version_add(request, pk: int, item: str):
    actor = actor_of(request)
    version = selectors_ppa.version_in_reach(actor, pk)
    if item not in forms.ITEM_FORMS:
        raise NotFound
    projet = version.projet
    form = _item_form(item, version, request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if item == "besoin":
                version_services.need_add(actor, version=version, **data)
            elif item == "objectif":
                version_services.objective_add(
                    actor, version=version, text=data["text"], need_ids=data["needs"], target_on=data["target_on"]
                )
            elif item == "action":
                version_services.action_add(actor, version=version, **data)
            elif item == "evaluation":
                version_services.evaluation_add(actor, version=version, **data)
            else:
                version_services.participant_add(actor, version=version, **data)
        except PermissionDenied as error:
            messages.error(request, str(error))
            return redirect(_detail_url(projet, version))
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(request, SUCCESS_OF_ITEM[item])
            return redirect(_detail_url(projet, version, SECTION_OF_ITEM[item]))
    return _render_detail(request, projet, version, bound={item: form}, status=400)


@login_required
@require_POST
def version_remove(request, pk: int, item: str, item_pk: int):
    actor = actor_of(request)
    version = selectors_ppa.version_in_reach(actor, pk)
    if item not in version_services.ITEM_MODELS:
        raise NotFound
    try:
        version_services.item_remove(actor, version=version, item=item, pk=item_pk)
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, _messages_of(error))
    else:
        messages.success(request, "Élément retiré de la version en préparation.")
    return redirect(_detail_url(version.projet, version, SECTION_OF_ITEM.get(item, "")))


def _version_form_page(request, pk: int, form_class, service, template: str, success: str, action: str = WRITE):
    actor = actor_of(request)
    version = selectors_ppa.version_in_reach(actor, pk)
    projet = version.projet
    if not actor.can(action, version):
        raise NotFound
    initial = {}
    if form_class is forms.MeetingForm:
        present = {True: "oui", False: "non"}.get(version.person_present)
        initial = {
            "meeting_on": version.meeting_on,
            "person_present": present,
            "person_absence_reason": version.person_absence_reason,
            "summary": version.summary,
        }
    else:
        initial = {"agreement_on": timezone.localdate()}
    form = form_class(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            kwargs = form.service_kwargs() if hasattr(form, "service_kwargs") else form.cleaned_data
            try:
                service(actor, version=version, **kwargs)
            except (PermissionDenied, ValidationError) as error:
                show_service_error(form, error)
            else:
                messages.success(request, success)
                return redirect(_detail_url(projet, version))
        status = 400
    context = {"projet": projet, "usager": projet.usager, "version": version, "form": form}
    return render(request, template, context, status=status)


@login_required
def version_meeting(request, pk: int):
    return _version_form_page(
        request, pk, forms.MeetingForm, version_services.meeting_record, "ppa/projects/meeting.html",
        "Réunion de projet enregistrée.",
    )  # fmt: skip


@login_required
def version_agreement(request, pk: int):
    return _version_form_page(
        request, pk, forms.AgreementForm, version_services.agreement_record, "ppa/projects/agreement.html",
        "Accord enregistré : cette version est désormais figée.", action=VALIDATE,
    )  # fmt: skip


@login_required
@require_POST
def version_revise(request, pk: int):
    actor = actor_of(request)
    version = selectors_ppa.version_in_reach(actor, pk)
    try:
        new = version_services.version_revise(actor, version=version)
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, _messages_of(error))
        return redirect(_detail_url(version.projet, version))
    messages.success(
        request, f"Version {new.number} préparée à partir de la version {version.number}, qui reste consultable."
    )
    return redirect(_detail_url(version.projet, new))


@login_required
@require_POST
def projet_step(request, pk: int):
    actor = actor_of(request)
    projet = selectors_ppa.projet_in_reach(actor, pk)
    try:
        services.projet_step_set(actor, projet=projet, step=request.POST.get("step", ""))
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, _messages_of(error))
    else:
        messages.success(request, "Étape du projet mise à jour.")
    return redirect(_detail_url(projet))


@login_required
@require_POST
def projet_close(request, pk: int):
    actor = actor_of(request)
    projet = selectors_ppa.projet_in_reach(actor, pk)
    try:
        services.projet_close(actor, projet=projet, reason=request.POST.get("reason", ""))
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, _messages_of(error))
    else:
        messages.success(request, "Projet personnalisé clos.")
    return redirect(_detail_url(projet))


@login_required
def projet_compare(request, pk: int):
    actor = actor_of(request)
    projet = selectors_ppa.projet_in_reach(actor, pk)
    page = selectors_ppa.compare_page(actor, projet, old_number=request.GET.get("de"), new_number=request.GET.get("a"))
    sections = []
    for section, _items in SECTIONS:
        rows = [c for c in page.changes if c.section == section]
        if rows:
            sections.append({"title": section, "changes": rows})
    context = {
        "projet": projet,
        "usager": projet.usager,
        "versions": page.versions,
        "old": page.old,
        "new": page.new,
        "sections": sections,
    }
    return render(request, "ppa/projects/compare.html", context)


@login_required
def projet_pdf(request, pk: int):
    actor = actor_of(request)
    projet = selectors_ppa.projet_in_reach(actor, pk)
    content = selectors_ppa.pdf_export(actor, projet, number=request.GET.get("version"))
    pdf = render_projet_pdf(actor, content)
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = projet_pdf_filename(content)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def ppa_alerts(request):
    """Due dates for référents and cadres: overdue, due within 30 days; the two indicators."""
    actor = actor_of(request)
    page = selectors_ppa.alerts_page(actor, unit=request.GET.get("unite", ""))
    context = {
        "board": page.board,
        "units": page.units,
        "unit": page.unit,
        "can_configure": actor.can(VALIDATE, Projet.document_class_code),
    }
    return render(request, "ppa/projects/alerts.html", context)


@login_required
def ppa_policy(request):
    """The delays of the active ESSMS (direction and cadres: right "validate" on the project)."""
    actor = actor_of(request)
    actor.require(READ, Projet.document_class_code)
    policy = selectors_ppa.policy_of_actor(actor)
    may_edit = actor.can(VALIDATE, Projet.document_class_code)
    form = forms.PolicyForm(
        request.POST or None,
        initial={"first_project_months": policy.first_project_months, "revision_months": policy.revision_months},
    )
    status = 200
    if request.method == "POST":
        if not may_edit:
            raise NotFound
        if form.is_valid():
            try:
                services.policy_update(actor, **form.cleaned_data)
            except PermissionDenied:
                raise NotFound from None
            except ValidationError as error:
                show_service_error(form, error)
            else:
                messages.success(request, "Échéances du projet personnalisé enregistrées.")
                return redirect("ppa-alerts")
        status = 400
    return render(request, "ppa/projects/policy.html", {"form": form, "may_edit": may_edit}, status=status)
