"""Plan de soins pages: the catalogue of care actions and one person's plan.

Thin views: selectors read (scoped, logged), services write (rights, rules, audit).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dui import selectors
from dui.actor import actor_of
from dui.errors import NotFound
from dui.permissions import active_membership
from dui.shifts import Poste
from dui.views.service_errors import show_service_error
from soins.forms import CareActionForm, EndItemForm, PlanItemForm
from soins.models import CareCategory
from soins.selectors import care as care_selectors
from soins.selectors import worklist as worklist_selectors
from soins.services import care as care_services

# --- Catalogue ----------------------------------------------------------------------------------


def _catalogue_page(request, form=None, status=200):
    actor = actor_of(request)
    care_services.catalogue_ensure_default(active_membership(actor).essms)
    can_manage = care_services.may_manage_catalogue(actor)
    actions = list(care_selectors.care_actions_for_user(actor, include_inactive=True))
    groups = []
    for value, label in CareCategory.choices:
        rows = [action for action in actions if action.category == value]
        if rows:
            groups.append({"category": label, "actions": rows})
    context = {"groups": groups, "can_manage": can_manage, "form": (form or CareActionForm()) if can_manage else None}
    return render(request, "soins/care/catalogue.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def catalogue(request):
    actor = actor_of(request)
    if not worklist_selectors.may_read_worklist(actor):
        raise NotFound
    if request.method == "GET":
        return _catalogue_page(request)
    if not care_services.may_manage_catalogue(actor):
        raise NotFound
    form = CareActionForm(request.POST)
    if form.is_valid():
        try:
            action = care_services.care_action_create(actor, **form.cleaned_data)
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(request, f"Soin « {action.label} » ajouté au catalogue.")
            return redirect("care-catalogue")
    return _catalogue_page(request, form, status=400)


def _set_active(request, active: bool):
    actor = actor_of(request)
    if not care_services.may_manage_catalogue(actor):
        raise NotFound
    action = care_selectors.access_care_action(actor, request.POST.get("action", ""))
    care_services.care_action_set_active(actor, action, active=active)
    verb = "réactivé" if active else "désactivé (les soins déjà planifiés continuent)"
    messages.success(request, f"Soin « {action.label} » {verb}.")
    return redirect("care-catalogue")


@login_required
@require_POST
def care_action_deactivate(request):
    return _set_active(request, False)


@login_required
@require_POST
def care_action_reactivate(request):
    return _set_active(request, True)


# --- One person's plan --------------------------------------------------------------------------


def _plan_page(request, usager, form=None, status=200):
    actor = actor_of(request)
    care_services.catalogue_ensure_default(usager.essms)
    items = care_selectors.plan_page_items(actor, usager)
    today = timezone.localdate()
    actions = list(care_selectors.care_actions_for_user(actor))
    prescriptions = list(care_selectors.active_restraint_prescriptions(actor, usager))
    may_write = care_services.may_plan(actor, usager)
    if may_write and form is None:
        form = PlanItemForm(
            actions=actions, prescriptions=prescriptions, initial={"starts_on": today, "poste": Poste.JOUR}
        )
    context = {
        "usager": usager,
        "current": [i for i in items if i.ended_at is None and (i.ends_on is None or i.ends_on >= today)],
        "past": [i for i in items if not (i.ended_at is None and (i.ends_on is None or i.ends_on >= today))],
        "form": form if may_write else None,
        "end_form": EndItemForm(initial={"ends_on": today}),
        "today": today,
    }
    return render(request, "soins/care/plan.html", context, status=status)


@login_required
@require_GET
def plan(request, pk: int):
    actor = actor_of(request)
    usager = selectors.access_usager(actor, pk=pk)
    if usager.essms_id != actor.essms_id or not care_selectors.may_read_plan(actor):
        raise NotFound
    return _plan_page(request, usager)


@login_required
@require_POST
def plan_add(request, pk: int):
    actor = actor_of(request)
    usager = selectors.access_usager(actor, pk=pk)
    if usager.essms_id != actor.essms_id or not care_services.may_plan(actor, usager):
        raise NotFound
    actions = list(care_selectors.care_actions_for_user(actor))
    prescriptions = list(care_selectors.prescriptions_for_plan(actor, usager))
    form = PlanItemForm(request.POST, actions=actions, prescriptions=prescriptions)
    if form.is_valid():
        data = form.cleaned_data
        action = next(a for a in actions if a.pk == data["action"])
        prescription = next((p for p in prescriptions if p.pk == data["prescription"]), None)
        try:
            item = care_services.plan_item_create(
                actor,
                usager=usager,
                action=action,
                poste=data["poste"],
                time=data["time"],
                weekdays="".join(data["weekdays"]),
                metier=data["metier"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                instructions=data["instructions"],
                prescription=prescription,
            )
        except (PermissionDenied, ValidationError) as error:
            show_service_error(form, error)
        else:
            messages.success(request, f"« {item.action.label} » ajouté au plan de soins.")
            return redirect("care-plan", pk=usager.pk)
    return _plan_page(request, usager, form, status=400)


def _end_page(request, item, form, status=200):
    context = {"item": care_selectors.with_labels([item])[0], "usager": item.usager, "form": form}
    return render(request, "soins/care/plan_end.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def plan_end(request, pk: int):
    """Stopping a planned care: a confirmation step with the last day and a required reason."""
    actor = actor_of(request)
    item = care_selectors.access_plan_item(actor, pk)
    if request.method == "GET" and (item.ended_at is not None or not care_services.may_plan(actor, item.usager)):
        return redirect("care-plan", pk=item.usager_id)
    if request.method == "GET":
        return _end_page(request, item, EndItemForm(initial={"ends_on": timezone.localdate()}))
    form = EndItemForm(request.POST)
    if not form.is_valid():
        return _end_page(request, item, form, status=400)
    try:
        care_services.plan_item_end(
            actor,
            item,
            reason=form.cleaned_data["reason"],
            ends_on=form.cleaned_data["ends_on"],
        )
    except PermissionDenied as error:
        messages.error(request, str(error))
    except ValidationError as error:
        show_service_error(form, error)
        return _end_page(request, item, form, status=400)
    else:
        messages.success(request, f"« {item.action.label} » arrêté au {item.ends_on:%d/%m/%Y}.")
    return redirect("care-plan", pk=item.usager_id)
