"""Pages of the projet personnalisé: the project of a person (versions, content, forms to add
items), the meeting and agreement forms, the comparison of two versions, the PDF, the alert
list of due dates with its indicators, and the due-date rules of the ESSMS."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from dui import audit, selectors
from dui.catalogue import READ, VALIDATE, WRITE
from dui.models import AccessAction
from dui.permissions import active_membership, can, require
from dui.services.common import ARCHIVED_MESSAGE
from ppa import forms_projects as forms
from ppa import serafin
from ppa.models import PpaStep, Projet
from ppa.selectors import projects as selectors_ppa
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


def _ctx(request) -> dict:
    return {"channel": audit.channel_of(request), "ip": audit.client_ip(request)}


def _errors_to_form(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field_name, field_messages in error.message_dict.items():
            for message in field_messages:
                form.add_error(field_name if field_name in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


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


def _with_serafin_concepts(content):
    """Attach each coded need and action its SERAFIN-PH concept (plain wording shown first)."""
    for need in content.expressions.all():
        need.serafin_concept = serafin.concept(need.serafin_code) if need.serafin_code else None
    for objective in content.objectives.all():
        for need in objective.needs.all():
            need.serafin_concept = serafin.concept(need.serafin_code) if need.serafin_code else None
        for action in objective.actions.all():
            action.serafin_concept = serafin.concept(action.serafin_code) if action.serafin_code else None
    return content


def _render_detail(request, projet: Projet, version=None, *, bound: dict | None = None, status: int = 200):
    versions = selectors_ppa.versions_of(projet)
    if version is None:
        wanted = request.GET.get("version", "")
        version = next((v for v in versions if str(v.number) == wanted), None) if wanted else None
        if wanted and version is None:
            raise Http404
        version = version or versions[-1]
    latest = versions[-1]
    content = selectors_ppa.version_content(version)
    user = request.user
    editable = (
        version.pk == latest.pk
        and not version.is_agreed
        and projet.closed_at is None
        and projet.sejour.status == "active"
        and projet.usager.archived_at is None
        and can(user, WRITE, version)
    )
    evaluable = (
        version.pk == latest.pk
        and projet.closed_at is None
        and projet.sejour.status == "active"
        and projet.usager.archived_at is None
        and can(user, WRITE, version)
    )
    item_forms = {item: _item_form(item, content) for item in forms.ITEM_FORMS}
    if bound:
        item_forms.update(bound)
    links = selectors_ppa.period_links(user=user, version=version, versions=versions)
    audit.log_access(user, AccessAction.READ, content, **_ctx(request), detail=f"projet personnalisé v{version.number}")
    audit.log_reads(user, links.evaluations + links.documents + links.transmissions, **_ctx(request),
                    detail="projet personnalisé : éléments de la période")  # fmt: skip
    _with_serafin_concepts(content)
    steps = [{"value": s.value, "label": s.label, "current": s.value == projet.step} for s in PpaStep]
    context = {
        "projet": projet,
        "usager": projet.usager,
        "version": content,
        "versions": versions,
        "latest": latest,
        "editable": editable,
        "evaluable": evaluable,
        "can_validate": editable and can(user, VALIDATE, version),
        "can_revise": version.pk == latest.pk and version.is_agreed and evaluable,
        "can_manage": projet.closed_at is None and projet.usager.archived_at is None and can(user, WRITE, projet),
        "forms": item_forms,
        "step_form": forms.StepForm(initial={"step": projet.step}),
        "steps": steps,
        "due_on": selectors_ppa.due_on_of(projet) if projet.closed_at is None else None,
        "today": timezone.localdate(),
        "with_serafin": serafin.applies_to(projet.essms),
        "links": links,
        "errors": [error for form in (bound or {}).values() for error in form.non_field_errors()],
    }
    return render(request, "ppa/projects/detail.html", context, status=status)


@login_required
def usager_projet(request, usager_pk: int):
    """The entry from a dossier: its project, or the page to open one."""
    usager = selectors.access_usager(request.user, pk=usager_pk)
    if not selectors_ppa.can_read_ppa(request.user):
        raise Http404
    projet = selectors_ppa.projet_of_usager(user=request.user, usager=usager)
    if projet is not None:
        return redirect(_detail_url(projet))
    sejour = selectors_ppa.open_sejour_of(usager)
    may_open = (
        sejour is not None
        and usager.archived_at is None
        and can(request.user, WRITE, Projet(essms_id=usager.essms_id, usager_id=usager.pk))
    )
    errors = []
    if request.method == "POST":
        try:
            projet = services.projet_open(acting_user=request.user, usager=usager, **_ctx(request))
        except PermissionDenied:
            raise Http404 from None
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
    projet = selectors_ppa.access_projet(user=request.user, pk=pk)
    return _render_detail(request, projet)


@login_required
@require_POST
def version_add(request, pk: int, item: str):
    version = selectors_ppa.access_version(user=request.user, pk=pk)
    if item not in forms.ITEM_FORMS:
        raise Http404
    projet = version.projet
    form = _item_form(item, version, request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if item == "besoin":
                services.need_add(acting_user=request.user, version=version, **data, **_ctx(request))
            elif item == "objectif":
                services.objective_add(
                    acting_user=request.user,
                    version=version,
                    text=data["text"],
                    need_ids=data["needs"],
                    target_on=data["target_on"],
                    **_ctx(request),
                )
            elif item == "action":
                services.action_add(acting_user=request.user, version=version, **data, **_ctx(request))
            elif item == "evaluation":
                services.evaluation_add(acting_user=request.user, version=version, **data, **_ctx(request))
            else:
                services.participant_add(acting_user=request.user, version=version, **data, **_ctx(request))
        except PermissionDenied as error:
            messages.error(request, str(error))
            return redirect(_detail_url(projet, version))
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, SUCCESS_OF_ITEM[item])
            return redirect(_detail_url(projet, version, SECTION_OF_ITEM[item]))
    return _render_detail(request, projet, version, bound={item: form}, status=400)


@login_required
@require_POST
def version_remove(request, pk: int, item: str, item_pk: int):
    version = selectors_ppa.access_version(user=request.user, pk=pk)
    if item not in services.ITEM_MODELS:
        raise Http404
    try:
        services.item_remove(acting_user=request.user, version=version, item=item, pk=item_pk, **_ctx(request))
    except PermissionDenied as error:
        messages.error(request, str(error))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Élément retiré de la version en préparation.")
    return redirect(_detail_url(version.projet, version, SECTION_OF_ITEM.get(item, "")))


def _version_form_page(request, pk: int, form_class, service, template: str, success: str, action: str = WRITE):
    version = selectors_ppa.access_version(user=request.user, pk=pk)
    projet = version.projet
    if not can(request.user, action, version):
        raise Http404
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
                service(acting_user=request.user, version=version, **kwargs, **_ctx(request))
            except PermissionDenied as error:
                form.add_error(None, str(error))
            except ValidationError as error:
                _errors_to_form(form, error)
            else:
                messages.success(request, success)
                return redirect(_detail_url(projet, version))
        status = 400
    context = {"projet": projet, "usager": projet.usager, "version": version, "form": form}
    return render(request, template, context, status=status)


@login_required
def version_meeting(request, pk: int):
    return _version_form_page(
        request, pk, forms.MeetingForm, services.meeting_record, "ppa/projects/meeting.html",
        "Réunion de projet enregistrée.",
    )  # fmt: skip


@login_required
def version_agreement(request, pk: int):
    return _version_form_page(
        request, pk, forms.AgreementForm, services.agreement_record, "ppa/projects/agreement.html",
        "Accord enregistré : cette version est désormais figée.", action=VALIDATE,
    )  # fmt: skip


@login_required
@require_POST
def version_revise(request, pk: int):
    version = selectors_ppa.access_version(user=request.user, pk=pk)
    try:
        new = services.version_revise(acting_user=request.user, version=version, **_ctx(request))
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect(_detail_url(version.projet, version))
    messages.success(
        request, f"Version {new.number} préparée à partir de la version {version.number}, qui reste consultable."
    )
    return redirect(_detail_url(version.projet, new))


@login_required
@require_POST
def projet_step(request, pk: int):
    projet = selectors_ppa.access_projet(user=request.user, pk=pk)
    try:
        services.projet_set_step(acting_user=request.user, projet=projet, step=request.POST.get("step", ""),
                                 **_ctx(request))  # fmt: skip
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, "Étape du projet mise à jour.")
    return redirect(_detail_url(projet))


@login_required
@require_POST
def projet_close(request, pk: int):
    projet = selectors_ppa.access_projet(user=request.user, pk=pk)
    try:
        services.projet_close(acting_user=request.user, projet=projet, reason=request.POST.get("reason", ""),
                              **_ctx(request))  # fmt: skip
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, "Projet personnalisé clos.")
    return redirect(_detail_url(projet))


def _version_numbered(versions, raw, default):
    if raw in (None, ""):
        return default
    found = next((v for v in versions if str(v.number) == str(raw).strip()), None)
    if found is None:
        raise Http404
    return found


@login_required
def projet_compare(request, pk: int):
    projet = selectors_ppa.access_projet(user=request.user, pk=pk)
    versions = selectors_ppa.versions_of(projet)
    new = _version_numbered(versions, request.GET.get("a"), versions[-1])
    old = _version_numbered(versions, request.GET.get("de"), versions[-2] if len(versions) > 1 else versions[-1])
    old_content, new_content = selectors_ppa.version_content(old), selectors_ppa.version_content(new)
    changes = selectors_ppa.compare_versions(old_content, new_content)
    audit.log_reads(request.user, [old_content, new_content], **_ctx(request), detail="comparaison de versions")
    sections = []
    for section, _items in selectors_ppa.SECTIONS:
        rows = [c for c in changes if c.section == section]
        if rows:
            sections.append({"title": section, "changes": rows})
    context = {
        "projet": projet,
        "usager": projet.usager,
        "versions": versions,
        "old": old_content,
        "new": new_content,
        "sections": sections,
    }
    return render(request, "ppa/projects/compare.html", context)


@login_required
def projet_pdf(request, pk: int):
    projet = selectors_ppa.access_projet(user=request.user, pk=pk)
    versions = selectors_ppa.versions_of(projet)
    version = _version_numbered(versions, request.GET.get("version"), versions[-1])
    content = selectors_ppa.version_content(version)
    membership = active_membership(request.user)
    _with_serafin_concepts(content)
    context = {
        "projet": projet,
        "usager": projet.usager,
        "version": content,
        "essms": projet.essms,
        "with_serafin": serafin.applies_to(projet.essms),
        "printed_at": timezone.localtime(),
        "printed_by": request.user.get_full_name() or request.user.get_username(),
        "printed_by_metier": membership.get_metier_display() if membership else "",
    }
    audit.log_access(request.user, AccessAction.EXPORT, content, **_ctx(request),
                     detail=f"projet personnalisé v{version.number} (PDF)")  # fmt: skip
    import weasyprint  # imported here: only the PDF needs Pango

    html = render_to_string("pdf/ppa.html", context, request=request)
    pdf = weasyprint.HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"projet-personnalise-{slugify(str(projet.usager))}-v{version.number}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def ppa_alerts(request):
    """Due dates for référents and cadres: overdue, due within 30 days; the two indicators."""
    if not selectors_ppa.can_read_ppa(request.user):
        raise Http404
    units = list(selectors.units_for_user(request.user).filter(is_active=True).order_by("name"))
    raw = request.GET.get("unite", "")
    unit = next((u for u in units if str(u.pk) == raw), None)
    board = selectors_ppa.due_board(user=request.user, unit=unit)
    audit.log_reads(request.user, [r.projet or r.sejour for r in board.overdue + board.due_soon], **_ctx(request),
                    detail="échéances des projets personnalisés")  # fmt: skip
    context = {
        "board": board,
        "units": units,
        "unit": unit,
        "can_configure": can(request.user, VALIDATE, Projet.document_class_code),
    }
    return render(request, "ppa/projects/alerts.html", context)


@login_required
def ppa_policy(request):
    """The delays of the active ESSMS (direction and cadres: right "validate" on the project)."""
    membership = active_membership(request.user)
    require(request.user, READ, Projet.document_class_code)
    policy = selectors_ppa.policy_for(membership.essms_id)
    may_edit = can(request.user, VALIDATE, Projet.document_class_code)
    form = forms.PolicyForm(
        request.POST or None,
        initial={"first_project_months": policy.first_project_months, "revision_months": policy.revision_months},
    )
    status = 200
    if request.method == "POST":
        if not may_edit:
            raise Http404
        if form.is_valid():
            try:
                services.policy_update(acting_user=request.user, **form.cleaned_data, **_ctx(request))
            except PermissionDenied:
                raise Http404 from None
            except ValidationError as error:
                _errors_to_form(form, error)
            else:
                messages.success(request, "Échéances du projet personnalisé enregistrées.")
                return redirect("ppa-alerts")
        status = 400
    return render(request, "ppa/projects/policy.html", {"form": form, "may_edit": may_edit}, status=status)
