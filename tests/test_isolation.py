"""Walk every URL pattern and API route as someone of another ESSMS: nothing of ESSMS A leaks.

Routes that name an object must answer 404 (never 403: existence is not confirmed). Routes
without an object must not show ESSMS A's data. A route missing from the tables below makes
the suite fail, so a new route cannot be added without deciding how it is scoped.

ESSMS A holds a marker row for every concrete model of the project apps (see add_marker_rows):
a new model is either covered or listed in NO_TENANT_DATA with its reason, else the suite fails.
"""

import datetime
import decimal
import uuid
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pytest
from django.apps import apps
from django.db import models, transaction
from django.db.models import Q
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from dui import audit, services
from dui.models import (
    AccessAction,
    AccessLog,
    Allergy,
    Antecedent,
    Contact,
    DocumentClass,
    Essms,
    HabilitationChange,
    LifeNote,
    Membership,
    Metier,
    OrganismeGestionnaire,
    Unit,
    Usager,
)
from interop.models import Delivery, InboxItem
from interop.scopes import rest_families
from interop.services import api_token_create
from pilotage.models import AnnualReport
from soins.models import Evaluation, PrescriptionLine
from soins.services.evaluations import evaluation_record
from tests.activities.factories import isolation_objects as activity_objects
from tests.admissions.factories import isolation_objects as admission_objects
from tests.factories import UnitFactory, UsagerFactory, professional
from tests.interop.dlu_helpers import isolation_dlu, marker_dlu_generation
from tests.portal.factories import isolation_portal, relative_of
from tests.ppa.factories_projects import isolation_version
from tests.soins.factories_care import isolation_objects
from transmissions.models import Event, MaintenanceRequest, Message, Transmission
from transmissions.services.events import event_record_fall
from transmissions.services.maintenance import maintenance_request_create
from transmissions.services.messages import message_send
from transmissions.services.transmissions import transmission_create

MARKERS = ("ZORGLUBIEN", "UNITE-MARQUEE-A")
# Rows an OG shares between its ESSMS (matrix, cibles, professionals): a sibling ESSMS may show
# them, another OG never does.
OG_MARKER = "OGMARQUEUR"

# Routes that show no establishment data, reachable without an active membership.
PUBLIC = {"login", "logout", "healthz", "api-schema", "api-docs", "fhir:metadata"}
# Pro Santé Connect login and its callback (404 while PSC is not configured, as here).
PUBLIC |= {"psc-login", "psc-callback"}
# The portal's own login, second step, logout and invitation link (a professional gets a 404 on them).
PORTAL_PUBLIC = {"portal-login", "portal-login-code", "portal-logout", "portal-accept"}
PUBLIC |= PORTAL_PUBLIC

# Routes without an object in the URL: they list within the caller's own ESSMS.
LISTS = {
    "home",
    "portal-home",
    "portal-security",
    "password_change",
    "password_change_done",
    "my-account",
    "professional-list",
    "usager-list",
    "usager-create",
    "audit-log",
    "audit-log-csv",
    "habilitation-matrix",
    "grant-list",
    "grant-create",
    "api:root",
    "api:me",
    "api:unit-list",
    "api:cible-list",
    "api-token-list",
    "api:usager-list",
    "api:document-list",
    "active-file",
    "active-file-filter-save",
    "active-file-filter-delete",
    "planning-day",
    "planning-day-print",
    "preferences",
    "documents-recent",
    "api:appointment-list",
    "creton-alerts",
    "api:sejour-list",
    "api:creton-decision-list",
    "api:creton-decision-renewals-due",
    "api:contact-list",
    "api:referent-list",
    "api:allergy-list",
    "api:allergy-none-known",
    "api:antecedent-list",
    "api:treatment-list",
    "message-inbox",
    "message-sent",
    "message-compose",
    "maintenance-list",
    "maintenance-create",
    "maintenance-stats",
    "api:message-list",
    "api:maintenance-request-list",
    "handover",
    "api:handover-list",
    "event-list",
    "releve",
    "api:event-list",
    "transmission-feed",
    "transmission-person-search",
    "transmission-unread",
    "transmission-mark-all-read",
    "transmission-create",
    "cible-list",
    "cible-create",
    "cible-deactivate",
    "cible-reactivate",
    "cible-kinds",
    "catalogue-kinds",
    "catalogue-kinds-save",
    "api:transmission-list",
    "ppa-alerts",
    "ppa-policy",
    "api:ppa-project-list",
    "worklist",
    "worklist-late",
    "validation-policy",
    "care-catalogue",
    "care-action-deactivate",
    "care-action-reactivate",
    "api:care-action-list",
    "api:care-plan-item-list",
    "api:worklist-list",
    "api:evaluation-grid-list",
    "api:evaluation-list",
    "api:hydration-target-list",
    "api:prescription-line-list",
    "medication-drug-search",
    "api:drug-list",
    "api:substance-list",
    "activity-programme",
    "activity-catalogue",
    "activity-create",
    "activity-session-create",
    "api:activity-list",
    "api:activity-session-list",
    "api:activity-registration-list",
    "admission-list",
    "admission-create",
    "admission-import",
    "admission-settings",
    "pilotage-board",
    "pilotage-og",
    "pilotage-export-csv",
    "pilotage-export-xlsx",
    "pilotage-persons",
    "pilotage-reports",
    "pilotage-report-request",
    "pilotage-pathos",
    "continuity",
    "worklist-deferred",
    "api:indicator-list",
    "api:indicator-persons",
    "deliveries",
    "inbox-queue",
    "api:delivery-list",
    "api:inbox-list",
}

# List routes whose URL names something that is not an object (an indicator code): what to put there.
LIST_KWARGS = {
    "pilotage-persons": {"code": "active_file"},
    "api:indicator-persons": {"code": "active_file"},
    "portal-accept": {"token": "jeton-inconnu"},
}


@dataclass
class World:
    usager: Usager
    unit: Unit
    grant_id: int
    membership: Membership
    # Models whose marker row could not be made, with why (test_every_model_has_a_marker_row lists them).
    marker_problems: dict = field(default_factory=dict)


# Routes that act on the caller's own organisation (the matrix is per OG): they must never
# change another OG's rows.
OWN_ORGANISATION = {"habilitation-matrix-save": {"metier": Metier.ANIMATEUR}, "habilitation-grid-save": {}}
# What each of them posts (one métier's row, or the whole grid restricted to one métier).
OWN_ORGANISATION_POSTS = {
    "habilitation-matrix-save": {"classe": ["antecedents", "identite"], "cell": ["antecedents:write"]},
    "habilitation-grid-save": {
        "metier": [Metier.ANIMATEUR],
        "classe": ["antecedents", "identite"],
        "cell": [f"{Metier.ANIMATEUR}:antecedents:write"],
    },
}

# Routes naming an object of ESSMS A: the kwargs that point at it.
OBJECTS = {
    # Portal (relative side): ESSMS A's relative's access, its shared document, an open session.
    "portal-person": lambda w: {"access_pk": _portal_access(w).pk},
    "portal-thread": lambda w: {"access_pk": _portal_access(w).pk},
    "portal-document": lambda w: {"access_pk": _portal_access(w).pk, "document_pk": _contract(w).pk},
    "portal-register": lambda w: {"access_pk": _portal_access(w).pk, "session_pk": _portal_session(w).pk},
    # Portal (the dossier's « Portail famille » pages).
    "portal-manage": lambda w: {"pk": w.usager.pk},
    "portal-consent-record": lambda w: {"pk": w.usager.pk},
    "portal-consent-withdraw": lambda w: {"pk": w.usager.pk},
    "portal-invite": lambda w: {"pk": w.usager.pk},
    "portal-access-revoke": lambda w: {"pk": w.usager.pk, "access_pk": _portal_access(w).pk},
    "portal-access-flags": lambda w: {"pk": w.usager.pk, "access_pk": _portal_access(w).pk},
    "portal-team-thread": lambda w: {"pk": w.usager.pk, "access_pk": _portal_access(w).pk},
    "portal-share": lambda w: {"pk": w.usager.pk, "document_pk": _contract(w).pk},
    "professional-rpps": lambda w: {"pk": w.membership.user_id},
    "pilotage-report-pdf": lambda w: {"pk": AnnualReport.objects.filter(essms=w.usager.essms).first().pk},
    "usager-detail": lambda w: {"pk": w.usager.pk},
    "audit-log-items": lambda w: {"pk": AccessLog.objects.filter(essms=w.usager.essms).order_by("pk").first().pk},
    "usager-banner": lambda w: {"pk": w.usager.pk},
    "medical-allergy-none": lambda w: {"pk": w.usager.pk},
    "usager-documents": lambda w: {"pk": w.usager.pk},
    "document-upload": lambda w: {"pk": w.usager.pk},
    "document-detail": lambda w: {"pk": w.usager.pk, "doc_pk": _contract(w).pk},
    "document-download": lambda w: {"pk": w.usager.pk, "doc_pk": _contract(w).pk},
    "document-add-version": lambda w: {"pk": w.usager.pk, "doc_pk": _contract(w).pk},
    "usager-export": lambda w: {"pk": w.usager.pk},
    "api:document-detail": lambda w: {"pk": _contract(w).pk},
    "api:document-content": lambda w: {"pk": _contract(w).pk},
    "usager-edit": lambda w: {"pk": w.usager.pk},
    "usager-validate-identity": lambda w: {"pk": w.usager.pk},
    "usager-insi": lambda w: {"pk": w.usager.pk},
    "usager-merge": lambda w: {"pk": w.usager.pk},
    "switch-essms": lambda w: {"membership_id": w.membership.pk},
    "grant-revoke": lambda w: {"pk": w.grant_id},
    "api:usager-detail": lambda w: {"pk": w.usager.pk},
    "api:usager-banner-detail": lambda w: {"pk": w.usager.pk},
    "api:usager-flags-detail": lambda w: {"pk": w.usager.pk},
    "api:unit-detail": lambda w: {"pk": w.unit.pk},
    "usager-planning": lambda w: {"pk": w.usager.pk},
    "appointment-create": lambda w: {"pk": w.usager.pk},
    "appointment-update": lambda w: {"pk": w.usager.appointments.get().pk},
    "appointment-cancel": lambda w: {"pk": w.usager.appointments.get().pk},
    "api:appointment-detail": lambda w: {"pk": w.usager.appointments.get().pk},
    "api:appointment-cancel": lambda w: {"pk": w.usager.appointments.get().pk},
    "usager-sejours": lambda w: {"pk": w.usager.pk},
    "sejour-pre-admission": lambda w: {"pk": w.usager.pk},
    "creton-record": lambda w: {"pk": w.usager.pk},
    "sejour-admit": lambda w: {"pk": w.usager.pk, "sejour_pk": w.usager.sejours.get().pk},
    "placement-change": lambda w: {"pk": w.usager.pk, "sejour_pk": w.usager.sejours.get().pk},
    "absence-record": lambda w: {"pk": w.usager.pk, "sejour_pk": w.usager.sejours.get().pk},
    "absence-end": lambda w: {"pk": w.usager.pk, "sejour_pk": w.usager.sejours.get().pk},
    "sejour-exit": lambda w: {"pk": w.usager.pk, "sejour_pk": w.usager.sejours.get().pk},
    "api:sejour-detail": lambda w: {"pk": w.usager.sejours.get().pk},
    "api:sejour-admit": lambda w: {"pk": w.usager.sejours.get().pk},
    "api:sejour-exit": lambda w: {"pk": w.usager.sejours.get().pk},
    "api:sejour-placements": lambda w: {"pk": w.usager.sejours.get().pk},
    "api:sejour-absences": lambda w: {"pk": w.usager.sejours.get().pk},
    "api:sejour-absence-end": lambda w: {"pk": w.usager.sejours.get().pk},
    "api:creton-decision-detail": lambda w: {"pk": w.usager.creton_decisions.get().pk},
    "usager-entourage": lambda w: {"pk": w.usager.pk},
    "contact-add": lambda w: {"pk": w.usager.pk},
    "contact-edit": lambda w: {
        "pk": w.usager.pk,
        "contact_pk": Contact.objects.filter(usager=w.usager).order_by("pk").first().pk,
    },
    "contact-end": lambda w: {
        "pk": w.usager.pk,
        "contact_pk": Contact.objects.filter(usager=w.usager).order_by("pk").first().pk,
    },
    "referent-set": lambda w: {"pk": w.usager.pk},
    "usager-medical": lambda w: {"pk": w.usager.pk},
    "medical-flags": lambda w: {"pk": w.usager.pk},
    "medical-add": lambda w: {"pk": w.usager.pk, "section": "allergies"},
    "medical-end": lambda w: {
        "pk": w.usager.pk,
        "section": "allergies",
        "row_pk": Allergy.objects.get(usager=w.usager).pk,
    },
    "usager-life": lambda w: {"pk": w.usager.pk},
    "life-add": lambda w: {"pk": w.usager.pk},
    "life-end": lambda w: {"pk": w.usager.pk, "row_pk": LifeNote.objects.get(usager=w.usager).pk},
    "api:contact-detail": lambda w: {"pk": Contact.objects.filter(usager=w.usager).order_by("pk").first().pk},
    "api:contact-end": lambda w: {"pk": Contact.objects.filter(usager=w.usager).order_by("pk").first().pk},
    "message-detail": lambda w: {"pk": Message.objects.get(essms=w.usager.essms).pk},
    "message-acknowledge": lambda w: {"pk": Message.objects.get(essms=w.usager.essms).pk},
    "api:message-detail": lambda w: {"pk": Message.objects.get(essms=w.usager.essms).pk},
    "api:message-acknowledge": lambda w: {"pk": Message.objects.get(essms=w.usager.essms).pk},
    "maintenance-detail": lambda w: {"pk": MaintenanceRequest.objects.get(essms=w.usager.essms).pk},
    "maintenance-status": lambda w: {"pk": MaintenanceRequest.objects.get(essms=w.usager.essms).pk},
    "api:maintenance-request-detail": lambda w: {"pk": MaintenanceRequest.objects.get(essms=w.usager.essms).pk},
    "api:maintenance-request-status": lambda w: {"pk": MaintenanceRequest.objects.get(essms=w.usager.essms).pk},
    "synthese": lambda w: {"usager_pk": w.usager.pk},
    "api:synthese-detail": lambda w: {"pk": w.usager.pk},
    "event-create": lambda w: {"kind": "chute"},  # without ?usager= (its own test covers another ESSMS's)
    "api:event-detail": lambda w: {"pk": Event.objects.get(usager=w.usager).pk},
    "transmission-detail": lambda w: {"pk": Transmission.objects.get(free_cible=MARKERS[1]).pk},
    "transmission-correct": lambda w: {"pk": Transmission.objects.get(free_cible=MARKERS[1]).pk},
    "transmission-add-result": lambda w: {"pk": Transmission.objects.get(free_cible=MARKERS[1]).pk},
    "transmission-mark-read": lambda w: {"pk": Transmission.objects.get(free_cible=MARKERS[1]).pk},
    "api:transmission-detail": lambda w: {"pk": Transmission.objects.get(free_cible=MARKERS[1]).pk},
    "api:transmission-correct": lambda w: {"pk": Transmission.objects.get(free_cible=MARKERS[1]).pk},
    "api:transmission-result": lambda w: {"pk": Transmission.objects.get(free_cible=MARKERS[1]).pk},
    "ppa-usager": lambda w: {"usager_pk": w.usager.pk},
    "ppa-projet-detail": lambda w: {"pk": isolation_version(w.usager).projet_id},
    "ppa-projet-step": lambda w: {"pk": isolation_version(w.usager).projet_id},
    "ppa-projet-close": lambda w: {"pk": isolation_version(w.usager).projet_id},
    "ppa-projet-compare": lambda w: {"pk": isolation_version(w.usager).projet_id},
    "ppa-projet-pdf": lambda w: {"pk": isolation_version(w.usager).projet_id},
    "ppa-version-add": lambda w: {"pk": isolation_version(w.usager).pk, "item": "participant"},
    "ppa-version-remove": lambda w: {
        "pk": isolation_version(w.usager).pk,
        "item": "participant",
        "item_pk": isolation_version(w.usager).participants.get().pk,
    },
    "ppa-version-meeting": lambda w: {"pk": isolation_version(w.usager).pk},
    "ppa-version-agreement": lambda w: {"pk": isolation_version(w.usager).pk},
    "ppa-version-revise": lambda w: {"pk": isolation_version(w.usager).pk},
    "api:ppa-project-detail": lambda w: {"pk": isolation_version(w.usager).projet_id},
    "api:ppa-project-step": lambda w: {"pk": isolation_version(w.usager).projet_id},
    "api:ppa-project-close": lambda w: {"pk": isolation_version(w.usager).projet_id},
    "api:ppa-version-detail": lambda w: {"pk": isolation_version(w.usager).pk},
    "api:ppa-version-revise": lambda w: {"pk": isolation_version(w.usager).pk},
    "api:ppa-version-agreement": lambda w: {"pk": isolation_version(w.usager).pk},
    "api:ppa-version-meeting": lambda w: {"pk": isolation_version(w.usager).pk},
    "api:ppa-version-needs": lambda w: {"pk": isolation_version(w.usager).pk},
    "api:ppa-version-objectives": lambda w: {"pk": isolation_version(w.usager).pk},
    "api:ppa-version-actions": lambda w: {"pk": isolation_version(w.usager).pk},
    "api:ppa-version-evaluations": lambda w: {"pk": isolation_version(w.usager).pk},
    "api:ppa-version-participants": lambda w: {"pk": isolation_version(w.usager).pk},
    "worklist-validate": lambda w: {"pk": isolation_objects(w.usager)[1].pk},
    "worklist-cancel": lambda w: {"pk": isolation_objects(w.usager)[1].pk},
    "worklist-deferred-validate": lambda w: {"pk": isolation_objects(w.usager)[1].pk},
    "continuity-generate": lambda w: {"unit_pk": w.unit.pk},
    "continuity-download": lambda w: {"pk": _continuity_pack(w).pk, "fmt": "pdf"},
    "care-plan": lambda w: {"pk": w.usager.pk},
    "care-plan-add": lambda w: {"pk": w.usager.pk},
    "care-plan-end": lambda w: {"pk": isolation_objects(w.usager)[0].pk},
    "api:care-plan-item-detail": lambda w: {"pk": isolation_objects(w.usager)[0].pk},
    "api:care-plan-item-end": lambda w: {"pk": isolation_objects(w.usager)[0].pk},
    "api:care-occurrence-validate": lambda w: {"pk": isolation_objects(w.usager)[1].pk},
    "api:care-occurrence-cancel": lambda w: {"pk": isolation_objects(w.usager)[1].pk},
    "usager-evaluations": lambda w: {"pk": w.usager.pk},
    "evaluation-create": lambda w: {"pk": w.usager.pk, "grid": "en"},
    "evaluation-hydration-target": lambda w: {"pk": w.usager.pk},
    "evaluation-detail": lambda w: {"pk": w.usager.pk, "evaluation_pk": Evaluation.objects.get(usager=w.usager).pk},
    "api:evaluation-detail": lambda w: {"pk": Evaluation.objects.get(usager=w.usager).pk},
    "medication-prescriptions": lambda w: {"pk": w.usager.pk},
    "medication-line-create": lambda w: {"pk": w.usager.pk},
    "medication-chart": lambda w: {"pk": w.usager.pk},
    "medication-line-validate": lambda w: {"pk": PrescriptionLine.objects.get(usager=w.usager).pk},
    "medication-line-stop": lambda w: {"pk": PrescriptionLine.objects.get(usager=w.usager).pk},
    "medication-line-modify": lambda w: {"pk": PrescriptionLine.objects.get(usager=w.usager).pk},
    "medication-line-intervention": lambda w: {"pk": PrescriptionLine.objects.get(usager=w.usager).pk},
    "medication-line-as-needed": lambda w: {"pk": PrescriptionLine.objects.get(usager=w.usager).pk},
    "api:prescription-line-detail": lambda w: {"pk": PrescriptionLine.objects.get(usager=w.usager).pk},
    "api:prescription-line-validate": lambda w: {"pk": PrescriptionLine.objects.get(usager=w.usager).pk},
    "api:prescription-line-stop": lambda w: {"pk": PrescriptionLine.objects.get(usager=w.usager).pk},
    "api:prescription-line-interventions": lambda w: {"pk": PrescriptionLine.objects.get(usager=w.usager).pk},
    "api:prescription-line-as-needed-doses": lambda w: {"pk": PrescriptionLine.objects.get(usager=w.usager).pk},
    "api:medication-chart-detail": lambda w: {"pk": w.usager.pk},
    "activities-usager": lambda w: {"pk": w.usager.pk},
    "activity-edit": lambda w: {"pk": activity_objects(w.usager, MARKERS[0])[0].pk},
    "admission-detail": lambda w: {"pk": admission_objects(w.usager, MARKERS[0])[0].pk},
    "admission-transition": lambda w: {"pk": admission_objects(w.usager, MARKERS[0])[0].pk},
    "admission-opinion": lambda w: {"pk": admission_objects(w.usager, MARKERS[0])[0].pk},
    "admission-contact-add": lambda w: {"pk": admission_objects(w.usager, MARKERS[0])[0].pk},
    "admission-document-add": lambda w: {"pk": admission_objects(w.usager, MARKERS[0])[0].pk},
    "admission-convert": lambda w: {"pk": admission_objects(w.usager, MARKERS[0])[0].pk},
    "admission-document": lambda w: {
        "pk": admission_objects(w.usager, MARKERS[0])[0].pk,
        "doc_pk": admission_objects(w.usager, MARKERS[0])[1].pk,
    },
    "activity-session-detail": lambda w: {"pk": activity_objects(w.usager, MARKERS[0])[1].pk},
    "activity-attendance": lambda w: {"pk": activity_objects(w.usager, MARKERS[0])[1].pk},
    "activity-register": lambda w: {"pk": activity_objects(w.usager, MARKERS[0])[1].pk},
    "activity-session-status": lambda w: {"pk": activity_objects(w.usager, MARKERS[0])[1].pk},
    "activity-registration-cancel": lambda w: {"pk": activity_objects(w.usager, MARKERS[0])[2].pk},
    "api:activity-detail": lambda w: {"pk": activity_objects(w.usager, MARKERS[0])[0].pk},
    "api:activity-session-detail": lambda w: {"pk": activity_objects(w.usager, MARKERS[0])[1].pk},
    "api:activity-session-attendance": lambda w: {"pk": activity_objects(w.usager, MARKERS[0])[1].pk},
    "api:activity-session-set-status": lambda w: {"pk": activity_objects(w.usager, MARKERS[0])[1].pk},
    "api:activity-registration-detail": lambda w: {"pk": activity_objects(w.usager, MARKERS[0])[2].pk},
    "dlu-page": lambda w: {"pk": w.usager.pk},
    "dlu-generate": lambda w: {"pk": w.usager.pk},
    "dlu-current-pdf": lambda w: {"pk": w.usager.pk},
    "dlu-pdf": lambda w: {"pk": w.usager.pk, "generation_pk": isolation_dlu(w.usager)[0].pk},
    "dlu-section": lambda w: {"pk": w.usager.pk},
    "dlu-sheet-create": lambda w: {"pk": w.usager.pk, "kind": "fludt"},
    "dlu-sheet-pdf": lambda w: {"pk": w.usager.pk, "sheet_pk": isolation_dlu(w.usager)[1].pk},
    "api:usager-dlu-dlu": lambda w: {"pk": w.usager.pk},
    "api:dlu-version-pdf": lambda w: {"pk": isolation_dlu(w.usager)[0].pk},
    "usager-deliveries": lambda w: {"pk": w.usager.pk},
    "usager-send": lambda w: {"pk": w.usager.pk},
    "usager-dmp-consent": lambda w: {"pk": w.usager.pk},
    "delivery-resend": lambda w: {"pk": Delivery.objects.filter(usager=w.usager).first().pk},
    "api:delivery-detail": lambda w: {"pk": Delivery.objects.filter(usager=w.usager).first().pk},
    "api:delivery-retry": lambda w: {"pk": Delivery.objects.filter(usager=w.usager).first().pk},
    "inbox-file": lambda w: {"pk": InboxItem.objects.filter(essms=w.usager.essms).first().pk},
    "api:inbox-file": lambda w: {"pk": InboxItem.objects.filter(essms=w.usager.essms).first().pk},
    "api-token-revoke": lambda w: {"pk": _essms_a_token(w).pk},
}


def _continuity_pack(world):
    from continuity.models import ContinuityPack
    from continuity.services import pack_generate

    pack = ContinuityPack.objects.filter(unit=world.unit).first()
    return pack or pack_generate(unit_id=world.unit.pk)


def _essms_a_token(world):
    from interop.models import ApiToken

    return ApiToken.objects.filter(essms=world.usager.essms, revoked_at__isnull=True).first()


# FHIR routes answer partner tokens only (a session gets a 401); every interaction of every resource
# is walked with a token of another ESSMS by test_fhir_token_of_another_essms_gets_404_or_nothing.
FHIR_ROUTES = {
    "fhir:type": lambda w: {"resource_type": "Patient"},
    "fhir:instance": lambda w: {"resource_type": "Patient", "resource_id": w.usager.pk},
}


def _contract(world):
    return world.usager.documents.get(document_class__code="contrat_sejour")


def _portal_access(world):
    from portal.models import PortalAccess

    return PortalAccess.objects.get(usager=world.usager)


def _portal_session(world):
    from activities.models import ActivitySession

    session = ActivitySession.objects.filter(essms=world.usager.essms).first()
    ActivitySession.objects.filter(pk=session.pk).update(open_to_families=True)
    return session


def walk(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else pattern.namespace
            yield from walk(pattern.url_patterns, inner or namespace)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield name, tuple(sorted(pattern.pattern.regex.groupindex))


def all_routes():
    routes = {(name, kwargs) for name, kwargs in walk(get_resolver().url_patterns)}
    return sorted(route for route in routes if not (route[0] or "").startswith("admin:"))


ROUTES = all_routes()


# --- One marker row for every concrete model of the project apps ----------------------------------
# The world below builds ESSMS A's rows through the services where it matters; then every model of
# the project apps (found through django.apps, so a new app or model is covered without editing
# this file) gets a row of ESSMS A holding a marker in its free text, made from its fields when
# nothing made one. A list page or API endpoint that forgets the ESSMS scope then shows a marker.

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# Models that hold no tenant data, with the reason. Every other model gets a marker row.
NO_TENANT_DATA = {
    "dui.OrganismeGestionnaire": "the tenant itself: OG A is the world's own fixture",
    "dui.Essms": "the tenant itself: ESSMS A is the world's own fixture",
    "dui.DocumentClass": "catalogue of document classes, the same for every OG (rights are in Habilitation)",
    "dui.SubstanceClass": "drug referential (substance classes), shared by every ESSMS",
    "dui.Substance": "drug referential (substances), shared by every ESSMS",
    "dui.Drug": "drug referential (BDPM specialities), shared by every ESSMS",
    "dui.DrugComponent": "drug referential (composition of a speciality), shared by every ESSMS",
    "dui.Presentation": "drug referential (CIP13 presentations), shared by every ESSMS",
}

# How a model's rows reach ESSMS A when no foreign key chain says it.
SCOPE_PATHS = {"dui.User": "memberships__essms"}

# Models whose rows an OG shares between its ESSMS even though they reach an ESSMS: they carry
# OG_MARKER. (Rows that reach ESSMS A only through its OG carry OG_MARKER too.)
OG_WIDE = {"dui.User"}


def _make_og_wide_professional(essms):
    return professional(essms, Metier.IDE, first_name=OG_MARKER, last_name=OG_MARKER)


def _make_essms_report(essms):
    """A report of ESSMS A itself (the generic filler would leave the nullable ESSMS empty: an OG report)."""
    author = professional(essms, Metier.DIRECTION)
    return AnnualReport.objects.create(og=essms.og, essms=essms, year=2025, version=1, requested_by=author,
                                       error=MARKERS[0])  # fmt: skip


def _make_token_access(essms):
    """A token's scopes are made with the token (a row of its own would clash with the one-to-one)."""
    from interop.models import ApiToken, TokenAccess

    token = ApiToken.objects.filter(essms=essms, access__isnull=True).first()
    if token is None:
        return api_token_create(essms_finess=essms.finess, name=MARKERS[1], scopes="system/Patient.read")[0].access
    return TokenAccess.objects.create(token=token, scopes=["system/Patient.read"])


# Models the generic filler cannot make right, with how to make their marker row.
RECIPES = {
    "dui.User": _make_og_wide_professional,
    "pilotage.AnnualReport": _make_essms_report,
    "interop.DluGeneration": lambda essms: marker_dlu_generation(essms, MARKERS[0]),
    "interop.TokenAccess": _make_token_access,
}


def model_label(model):
    return model._meta.label


@cache
def project_models():
    """Concrete models of the project's own apps (any top-level app of this repository)."""
    found = []
    for config in apps.get_app_configs():
        if Path(config.path).resolve().parent != PROJECT_ROOT:
            continue
        found.extend(model for model in config.get_models() if not model._meta.proxy and model._meta.managed)
    return tuple(sorted(found, key=model_label))


def is_project_model(model):
    return model in project_models()


@cache
def scope_path(model, depth=3):
    """The lookup from a row to its ESSMS (or its OG), through foreign keys; None when there is none."""
    if model_label(model) in SCOPE_PATHS:
        return SCOPE_PATHS[model_label(model)]
    relations = [f for f in model._meta.concrete_fields if f.is_relation]
    for relation in relations:
        if relation.related_model is Essms:
            return relation.name
    for relation in relations:
        if relation.related_model is OrganismeGestionnaire:
            return relation.name
    if depth == 0:
        return None
    paths = []
    for relation in relations:
        related = relation.related_model
        if related is not model and is_project_model(related) and model_label(related) not in NO_TENANT_DATA:
            inner = scope_path(related, depth - 1)
            if inner:
                paths.append(f"{relation.name}__{inner}")
    # A row's own ESSMS wins over an OG reached through a user or a catalogue.
    paths.sort(key=lambda path: (not path.endswith("essms"), path.count("__")))
    return paths[0] if paths else None


def in_scope(model, essms):
    path = scope_path(model)
    target = essms.og if path.split("__")[-1] == "og" else essms
    return model._default_manager.filter(**{path: target})


def marker_of(model):
    path = scope_path(model) or ""
    return OG_MARKER if model_label(model) in OG_WIDE or path.split("__")[-1] == "og" else MARKERS[0]


def free_text_fields(model):
    """Text fields that can hold a whole marker (no choices)."""
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField)
        and not f.choices
        and not f.primary_key
        and (f.max_length is None or f.max_length >= max(len(m) for m in (*MARKERS, OG_MARKER)))
    ]


def marked_rows(model, essms):
    rows = in_scope(model, essms)
    texts = free_text_fields(model)
    if not texts:
        return rows  # nothing can hold a marker: the row's presence is what counts
    query = Q()
    for text in texts:
        for marker in (*MARKERS, OG_MARKER):
            query |= Q(**{f"{text.name}__contains": marker})
    return rows.filter(query)


class CannotFillError(Exception):
    pass


def _value_for(field, marker, essms, targets):
    if field.is_relation:
        related = field.related_model
        if related is Essms:
            return essms
        if related is OrganismeGestionnaire:
            return essms.og
        if related not in targets:
            if is_project_model(related) and model_label(related) not in NO_TENANT_DATA and scope_path(related):
                row = in_scope(related, essms).order_by("pk").first()
                targets[related] = row if row is not None else make_marker_row(related, essms, targets)
            else:
                targets[related] = related._default_manager.order_by("pk").first()
        if targets[related] is None:
            raise CannotFillError(f"no {model_label(related)} row to point {field.name} at")
        return targets[related]
    if field.choices:
        return field.flatchoices[0][0]
    if isinstance(field, models.EmailField):
        return f"{marker}@exemple.fr"
    if isinstance(field, models.CharField | models.TextField):
        return marker[: field.max_length] if field.max_length else marker
    if isinstance(field, models.FileField):
        return f"isolation/{marker}.txt"
    if isinstance(field, models.BooleanField):
        return False
    if isinstance(field, models.DecimalField):
        return decimal.Decimal(1)
    if isinstance(field, models.IntegerField):
        return 1
    if isinstance(field, models.DateTimeField):
        return timezone.now()
    if isinstance(field, models.DateField):
        return timezone.localdate()
    if isinstance(field, models.TimeField):
        return datetime.time(8)
    if isinstance(field, models.UUIDField):
        return uuid.uuid4()
    if isinstance(field, models.JSONField):
        return {}
    if isinstance(field, models.GenericIPAddressField):
        return "127.0.0.1"
    raise CannotFillError(f"no value for {type(field).__name__} {field.name}")


def _needs_value(field):
    if field.primary_key or getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return False
    if field in free_text_fields(field.model) and field.editable:
        return True
    return not field.null and not field.has_default()


def make_marker_row(model, essms, targets):
    label = model_label(model)
    if label in RECIPES:
        return RECIPES[label](essms)
    marker = marker_of(model)
    values = {f.name: _value_for(f, marker, essms, targets) for f in model._meta.concrete_fields if _needs_value(f)}
    with transaction.atomic():
        return model._default_manager.create(**values)


# What each model needed the first time the world was built in this process ("marked": the world's
# own rows hold a marker; "filled": a row took the marker in its empty text; "made": a row was
# made). The world is built the same way for every test, so later builds skip the look-ups;
# test_every_model_has_a_marker_row checks every model in the database each time.
ACTIONS = {}


def add_marker_rows(essms):
    """A marked row of ESSMS A for every project model; what could not be made, with why."""
    problems = {}
    targets = {}
    for model in project_models():
        label = model_label(model)
        if label in NO_TENANT_DATA or ACTIONS.get(label) == "marked":
            continue
        if scope_path(model) is None:
            problems[label] = "no foreign key leads to an ESSMS or an OG: add it to SCOPE_PATHS or NO_TENANT_DATA"
            continue
        if label not in ACTIONS and marked_rows(model, essms).exists():
            ACTIONS[label] = "marked"
            continue
        blank = _blank_free_text(model, essms) if ACTIONS.get(label) != "made" else None
        if blank is not None:
            row, names = blank
            model._default_manager.filter(pk=row.pk).update(**{name: marker_of(model) for name in names})
            ACTIONS[label] = "filled"
            continue
        try:
            make_marker_row(model, essms, targets)
            ACTIONS[label] = "made"
        except Exception as error:  # any failure is reported by test_every_model_has_a_marker_row
            problems[label] = f"{type(error).__name__}: {error} (add a recipe to RECIPES)"
    return problems


def _blank_free_text(model, essms):
    """A row of ESSMS A with empty free text fields, which can then hold the marker in place (the
    world's rows stay the only ones its routes name)."""
    texts = [f for f in free_text_fields(model) if f.editable]
    for row in in_scope(model, essms).order_by("pk")[:1]:
        names = [f.name for f in texts if not getattr(row, f.attname)]
        if names:
            return row, names
    return None


def test_every_route_is_classified():
    unnamed = [kwargs for name, kwargs in ROUTES if not name]
    assert not unnamed, "Every route needs a name to be checked for isolation"
    unknown = {name for name, _ in ROUTES} - PUBLIC - LISTS - set(OBJECTS) - set(OWN_ORGANISATION) - set(FHIR_ROUTES)
    assert not unknown, f"Routes not covered by the isolation walk: {sorted(unknown)}"


@pytest.fixture
def world(essms, sibling_essms):
    director = professional(essms, Metier.DIRECTION)
    admin = professional(essms, Metier.ADMINISTRATEUR)
    usager = UsagerFactory(essms=essms, birth_name=MARKERS[0])
    unit = UnitFactory(essms=essms, name=MARKERS[1])
    grant = services.usager_grant_create(
        director,
        usager=usager,
        grantee=professional(sibling_essms, Metier.IDE),
        expires_at=timezone.now() + datetime.timedelta(days=1),
        reason=f"Transfert {MARKERS[0]}",
    )[0]
    audit.log_access(director, AccessAction.READ, usager, detail=MARKERS[0])
    usager.documents.create(
        essms=essms,
        document_class=DocumentClass.objects.get(code="contrat_sejour"),
        title=MARKERS[0],
        document_date=datetime.date(2024, 1, 2),
        created_by=director,
    )
    usager.appointments.create(essms=essms, starts_at=timezone.now(), title=MARKERS[0], created_by=director)
    day = datetime.date(2024, 1, 2)
    sejour = usager.sejours.create(
        essms=essms, status="active", first_contact_on=day, admitted_on=day, created_by=director
    )
    sejour.placements.create(essms=essms, usager=usager, unit=unit, modality="hp", starts_on=day, created_by=director)
    usager.creton_decisions.create(
        essms=essms, decided_on=day, valid_until=datetime.date(2025, 1, 2), orientation=MARKERS[0], created_by=director
    )
    services.habilitation_set(
        admin, metier=Metier.ANIMATEUR, document_class_code="antecedents", action="read", granted=True
    )
    Contact.objects.create(essms=essms, usager=usager, role="famille", last_name=MARKERS[0])
    Allergy.objects.create(essms=essms, usager=usager, created_by=director, substance=MARKERS[0])
    LifeNote.objects.create(essms=essms, usager=usager, created_by=director, kind="centres_interet", topic=MARKERS[0])
    reader = professional(essms, Metier.IDE)
    message_send(director, subject=MARKERS[0], body=MARKERS[0], users=[reader.pk], requires_ack=True)
    maintenance_request_create(director, place=MARKERS[0], category="autre", description=MARKERS[0])
    event_record_fall(reader, usager=usager, occurred_at=timezone.now(), place=MARKERS[0])
    evaluation_record(reader, usager=usager, grid="en", answers={"intensite": 2}, comment=MARKERS[0])
    PrescriptionLine.objects.create(
        essms=essms, usager=usager, created_by=director, drug=MARKERS[0], dose="1 g", route="orale",
        times=["08:00"], starts_on=day,
    )  # fmt: skip
    transmission_create(
        professional(essms, Metier.IDE),
        usager=usager,
        free_cible=MARKERS[1],
        donnees=MARKERS[0],
        observed_at=timezone.now(),
    )
    # The objects the project and care routes name (made once, here, so that their lists have them too).
    isolation_version(usager)
    isolation_objects(usager)
    activity_objects(usager, MARKERS[0])
    admission_objects(usager, MARKERS[0])
    isolation_dlu(usager)
    isolation_portal(usager, MARKERS[0])
    return World(
        usager=usager,
        unit=unit,
        grant_id=grant.pk,
        membership=director.membership,
        marker_problems=add_marker_rows(essms),
    )


def url_for(name, kwargs, world):
    values = OBJECTS[name](world) if name in OBJECTS else dict(OWN_ORGANISATION.get(name, LIST_KWARGS.get(name, {})))
    if "format" in kwargs:
        values["format"] = "json"
    return reverse(name, kwargs=values)


def assert_nothing_leaks(response, name, markers):
    body = b"".join(response.streaming_content) if response.streaming else response.content
    for marker in markers:
        assert marker.encode() not in body, f"{name} shows data of another ESSMS (marker {marker})"


def markers_hidden_from(essms, world):
    """ESSMS A's markers; its OG's too when the caller belongs to another OG."""
    return MARKERS if essms.og_id == world.usager.essms.og_id else (*MARKERS, OG_MARKER)


def check_route(client, name, kwargs, world, markers, **headers):
    if name in FHIR_ROUTES:
        response = client.get(reverse(name, kwargs=FHIR_ROUTES[name](world)), **headers)
        assert response.status_code in {401, 404}, f"{name} answered {response.status_code}"
        assert_nothing_leaks(response, name, markers)
        return
    url = url_for(name, kwargs, world)
    response = client.get(url, **headers)
    if name in OWN_ORGANISATION:
        client.post(url, OWN_ORGANISATION_POSTS[name], **headers)
        return
    if name in OBJECTS:
        if response.status_code == 405:
            response = client.post(url, **headers)
        assert response.status_code == 404, f"{name} ({url}) answered {response.status_code}, expected 404"
    else:
        # 403: a right the outsider lacks in their own ESSMS (the route names no object: nothing confirmed).
        assert response.status_code in {200, 302, 403, 404, 405}, f"{name} ({url}) answered {response.status_code}"
        assert_nothing_leaks(response, name, markers)
        if response.status_code == 200 and name not in PUBLIC:
            response = client.post(url, **headers)
            assert response.status_code in {200, 302, 400, 403, 404, 405}
            assert_nothing_leaks(response, name, markers)


OUTSIDERS = [
    ("sibling_essms", Metier.DIRECTION),
    ("sibling_essms", Metier.ADMINISTRATEUR),
    ("foreign_essms", Metier.DIRECTION),
    ("foreign_essms", Metier.ADMINISTRATEUR),
    ("foreign_essms", Metier.DPO),
]


@pytest.mark.parametrize(("where", "metier"), OUTSIDERS)
@pytest.mark.parametrize(("name", "kwargs"), ROUTES, ids=[f"{n}{'+' + ','.join(k) if k else ''}" for n, k in ROUTES])
def test_outsider_gets_404_or_nothing(client, world, request, where, metier, name, kwargs):
    outsider = professional(request.getfixturevalue(where), metier)
    client.force_login(outsider)
    check_route(client, name, kwargs, world, markers_hidden_from(outsider.membership.essms, world))
    if outsider.membership.essms.og_id != world.usager.essms.og_id:
        assert not HabilitationChange.objects.filter(og_id=world.usager.essms.og_id, changed_by=outsider).exists()
    if name in OWN_ORGANISATION and metier == Metier.ADMINISTRATEUR:
        # The POST was effective: it changed the outsider's own organisation only.
        assert HabilitationChange.objects.filter(changed_by=outsider).exists()


@pytest.mark.parametrize(("name", "kwargs"), [r for r in ROUTES if r[0].startswith("api:")])
def test_token_of_another_essms_gets_404_or_nothing(client, world, foreign_essms, name, kwargs):
    # Every scope: the walk checks the ESSMS boundary, not the scopes (a write scope missing is a 403).
    scopes = ["system/*.read", "system/*.write", *(f"{f}.{a}" for f in rest_families() for a in ("read", "write"))]
    _, raw = api_token_create(essms_finess=foreign_essms.finess, name="Partenaire", scopes=scopes)
    markers = markers_hidden_from(foreign_essms, world)
    check_route(client, name, kwargs, world, markers, HTTP_AUTHORIZATION=f"Bearer {raw}")


def _fhir_world_ids(world):
    """Each FHIR resource of ESSMS A's marked dossier: (type, id), so that a read by id is tried on each."""
    from interop.fhir.selectors import binary_version  # noqa: F401  (the module the reads go through)
    from soins.models import Evaluation

    usager = world.usager
    document = _contract(world)
    evaluation = Evaluation.objects.filter(usager=usager, grid="en").first()
    pairs = [
        ("Patient", usager.pk),
        ("Encounter", usager.sejours.get().pk),
        ("DocumentReference", document.pk),
        ("AllergyIntolerance", Allergy.objects.filter(usager=usager).first().pk),
        ("Observation", f"{evaluation.pk}-pain"),
    ]
    antecedent = Antecedent.objects.filter(usager=usager).first()
    if antecedent:
        pairs.append(("Condition", antecedent.pk))
    version = document.versions.first()
    if version:
        pairs.append(("Binary", version.pk))
    return pairs


@pytest.mark.parametrize("where", ["sibling_essms", "foreign_essms"])
def test_fhir_token_of_another_essms_gets_404_or_nothing(client, world, request, where):
    """Every FHIR interaction (read, search by patient, create) with a token of another ESSMS."""
    from interop.fhir.resources import HANDLERS

    other = request.getfixturevalue(where)
    _, raw = api_token_create(
        essms_finess=other.finess, name="Partenaire", metier=Metier.MEDECIN,
        scopes="system/*.read system/*.write",
    )  # fmt: skip
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    markers = markers_hidden_from(other, world)
    for resource_type, pk in _fhir_world_ids(world):
        response = client.get(f"/fhir/{resource_type}/{pk}", **headers)
        assert response.status_code == 404, f"{resource_type}/{pk} answered {response.status_code}"
        assert_nothing_leaks(response, resource_type, markers)
    for handler in HANDLERS:
        if "search-type" in handler.interactions:
            params = {"patient": world.usager.pk} if handler.resource_type != "Patient" else {"_id": world.usager.pk}
            response = client.get(f"/fhir/{handler.resource_type}", params, **headers)
            assert response.status_code == 200 and response.json()["total"] == 0, handler.resource_type
            assert_nothing_leaks(response, handler.resource_type, markers)
        if handler.create is not None:
            status = "final" if handler.resource_type == "Observation" else "current"
            body = {
                "resourceType": handler.resource_type,
                "status": status,
                "subject": {"reference": f"Patient/{world.usager.pk}"},
            }
            if handler.resource_type == "Observation":
                body |= {"code": {"coding": [{"system": "http://loinc.org", "code": "8867-4"}]},
                         "valueQuantity": {"value": 70, "code": "/min"}}  # fmt: skip
            else:
                body |= {
                    "type": {"coding": [{"system": "https://dui.essms.fr/fhir/CodeSystem/classe-document",
                                         "code": "cr_consultation"}]},
                    "content": [{"attachment": {"contentType": "image/png", "data": "iVBORw0KGgo="}}],
                }  # fmt: skip
            response = client.post(
                f"/fhir/{handler.resource_type}", body, content_type="application/fhir+json", **headers
            )
            assert response.status_code == 404, f"create {handler.resource_type}: {response.status_code}"


def test_admin_site_is_closed_to_professionals(client, essms):
    client.force_login(professional(essms, Metier.DIRECTION))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_world_is_visible_from_inside(client, world, essms):
    """The markers do show for ESSMS A itself, so their absence elsewhere means something."""
    insider = professional(essms, Metier.DIRECTION)
    client.force_login(insider)
    assert MARKERS[0].encode() in client.get(reverse("usager-list")).content
    assert MARKERS[0].encode() in client.get(reverse("audit-log")).content
    _, raw = api_token_create(essms_finess=essms.finess, name="Interne")
    units = client.get(reverse("api:unit-list"), HTTP_AUTHORIZATION=f"Bearer {raw}").content
    assert MARKERS[1].encode() in units


def test_og_wide_markers_show_in_a_sibling_essms(client, world, sibling_essms):
    """The OG's rows do show in a sibling ESSMS of the same OG (so they are only hidden from another OG)."""
    client.force_login(professional(sibling_essms, Metier.ADMINISTRATEUR))
    assert OG_MARKER.encode() in client.get(reverse("cible-list")).content


@pytest.mark.parametrize("where", ["sibling_essms", "foreign_essms"])
def test_person_search_and_filter_of_the_feed_stay_in_the_active_essms(client, world, request, where):
    """The feed's person search offers nobody of ESSMS A to another ESSMS, even by name or id."""
    client.force_login(professional(request.getfixturevalue(where), Metier.IDE))
    search = client.get(reverse("transmission-person-search"), {"personne": MARKERS[0].lower()})
    assert search.status_code == 200 and b"<option" not in search.content
    feed = client.get(reverse("transmission-feed"), {"usager": world.usager.pk})
    assert feed.status_code == 200 and not feed.context["rows"]
    assert MARKERS[0].encode() not in feed.content
    insider = professional(world.usager.essms, Metier.IDE)
    client.force_login(insider)
    assert MARKERS[0].encode() in client.get(reverse("transmission-feed"), {"usager": world.usager.pk}).content


def test_a_model_without_scope_is_reported(world, monkeypatch):
    """A model that reaches no ESSMS and is not listed makes the marker check fail, naming it."""
    monkeypatch.delitem(NO_TENANT_DATA, "dui.DocumentClass")
    problems = add_marker_rows(world.usager.essms)
    assert problems["dui.DocumentClass"] == (
        "no foreign key leads to an ESSMS or an OG: add it to SCOPE_PATHS or NO_TENANT_DATA"
    )


def test_every_model_has_a_marker_row(world):
    """Every concrete model of the project apps has a marked row of ESSMS A (or is listed, with a
    reason, as holding no tenant data): a new model is either covered or makes this fail."""
    essms = world.usager.essms
    labels = {model_label(model) for model in project_models()}
    assert {"dui.Usager", "transmissions.Transmission", "soins.PrescriptionLine", "interop.ApiToken"} <= labels
    stale = sorted(set(NO_TENANT_DATA) - labels)
    assert not stale, f"NO_TENANT_DATA names models that do not exist: {stale}"
    problems = dict(world.marker_problems)
    for model in project_models():
        label = model_label(model)
        if label not in NO_TENANT_DATA and label not in problems and not marked_rows(model, essms).exists():
            problems[label] = f"no row of ESSMS A holding {marker_of(model)} in its text"
    report = "\n".join(f"- {label}: {why}" for label, why in sorted(problems.items()))
    assert not problems, (
        "Models without a marker row in the isolation world (make one in RECIPES, or list the model "
        f"in NO_TENANT_DATA with the reason it holds no tenant data):\n{report}"
    )


def test_marker_rows_are_scoped_to_essms_a():
    """The scope lookups go where expected (a row's own ESSMS before an OG reached through a user)."""
    by_label = {model_label(model): model for model in project_models()}
    assert scope_path(by_label["dui.Usager"]) == "essms"
    assert scope_path(by_label["dui.DocumentVersion"]) == "document__essms"
    assert scope_path(by_label["transmissions.MessageRecipient"]) == "message__essms"
    assert scope_path(by_label["dui.Habilitation"]) == "og"
    assert scope_path(by_label["dui.UsagerGrant"]) == "content_object__essms"
    assert marker_of(by_label["dui.Habilitation"]) == OG_MARKER
    assert marker_of(by_label["dui.User"]) == OG_MARKER
    assert marker_of(by_label["soins.CareAction"]) == MARKERS[0]


# --- The portal: relatives of another person, of the same ESSMS or of another one ------------------

PORTAL_ROUTES = [route for route in ROUTES if (route[0] or "").startswith("portal-")]


@pytest.mark.parametrize("where", ["essms", "foreign_essms"])
@pytest.mark.parametrize(("name", "kwargs"), PORTAL_ROUTES, ids=[n for n, _ in PORTAL_ROUTES])
def test_relative_of_another_person_gets_404_or_nothing(client, world, request, where, name, kwargs):
    """A relative of another person (same ESSMS, or another OG) reaches nothing of ESSMS A's person:
    her portal pages and the dossier's « Portail famille » pages answer 404."""
    other = UsagerFactory(essms=request.getfixturevalue(where), birth_name="AUTRE")
    client.force_login(relative_of(other))
    check_route(client, name, kwargs, world, (*MARKERS, OG_MARKER))


def test_portal_routes_are_walked():
    assert {"portal-home", "portal-person", "portal-manage", "portal-team-thread"} <= {n for n, _ in PORTAL_ROUTES}
