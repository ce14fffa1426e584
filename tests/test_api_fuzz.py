"""The partner API fuzzed from its own OpenAPI schema (/api/schema/), in process through the WSGI app.

- With a partner token of ESSMS A: every operation of the schema, a bounded number of generated
  examples (valid and invalid ones), never a 5xx, and every response matches the schema: a
  success status is documented, its content type and body match their description.
- Without a token: 401 on every operation.
- With a token of another ESSMS (same OG, or another OG): 404 on every operation that names an
  object of ESSMS A; a create naming a dossier of ESSMS A is refused and writes nothing (the same
  body is accepted with A's token); lists never show A's dossiers.

Every operation of the schema is classified below; a new operation without its object (detail
operations) or its body (creates) fails the walk until it is added.
"""

import contextlib
import datetime
import os

import pytest
import schemathesis
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application
from dui.models import EssmsKind, Habilitation, Membership, Metier, Modality
from dui.pdf_minimal import simple_pdf
from dui.services.creton import creton_decision_record
from dui.services.documents import document_upload
from dui.services.entourage import contact_add
from dui.services.planning import appointment_create
from dui.services.sejours import sejour_admit, sejour_open_pre_admission
from interop.dlu.services import dlu_generate
from interop.models import Delivery
from interop.mssante.services import inbox_receive
from interop.scopes import rest_families
from interop.services import api_token_create
from soins.services.evaluations import evaluation_record
from soins.services.medication import prescription_create
from tests.activities.factories import isolation_objects as activity_objects
from tests.activities.factories import session as activity_session
from tests.factories import (
    EssmsFactory,
    OrganismeGestionnaireFactory,
    UnitFactory,
    UsagerFactory,
    coded_allergy,
    professional,
)
from tests.interop.outbox.mails import cr_message
from tests.ppa.factories_projects import admitted, project_with_content
from tests.soins.factories_care import isolation_objects
from transmissions.services.events import event_record_fall
from transmissions.services.maintenance import maintenance_request_create
from transmissions.services.messages import message_send
from transmissions.services.transmissions import transmission_create

# A bounded, reproducible run in the suite; API_FUZZ_EXAMPLES=200 fuzzes deeper with fresh random data.
MAX_EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "12"))
DERANDOMIZE = "API_FUZZ_EXAMPLES" not in os.environ
# The production WSGI app, as behind its HTTPS proxy (else SecurityMiddleware redirects to https).
BEHIND_PROXY = {"X-Forwarded-Proto": "https"}
TINY_PDF = simple_pdf(["Document de test"])
# Names of ESSMS A's people: never in an answer given to another ESSMS.
NAMES_A = ("LEFEBVRE", "MOREAU")

# Loaded once at collection (the schema view reads no table); JSON, the loader's native format.
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application, headers=BEHIND_PROXY)


@schemathesis.check
def documented_status_unless_client_error(ctx, response, case):
    """Status code conformance for successes and server errors.

    DRF's standard refusals (400, 401, 403, 404, 405, 415) are not described operation by
    operation in the schema: they are accepted undocumented; any other status must be documented.
    """
    if 400 <= response.status_code < 500:
        return None
    return status_code_conformance(ctx, response, case)


CHECKS = [
    not_a_server_error,
    documented_status_unless_client_error,
    content_type_conformance,
    response_schema_conformance,
]


def bearer(raw: str | None) -> dict[str, str]:
    return {**BEHIND_PROXY, "Authorization": f"Bearer {raw}"} if raw else dict(BEHIND_PROXY)


def every_scope() -> list[str]:
    """Every REST and FHIR scope: the fuzzing reaches every operation (scopes are tested in tests/interop)."""
    return ["system/*.read", "system/*.write", *(f"{f}.{a}" for f in rest_families() for a in ("read", "write"))]


def partner_token(essms, name: str) -> str:
    """A partner token of `essms` whose métier may read, write and validate every class of its OG.

    The default partner rights open the administrative classes only; the fuzzing is meant to reach
    every operation's code, not to stop at the decision function.
    """
    _token, raw = api_token_create(essms_finess=essms.finess, name=name, scopes=every_scope())
    Habilitation.objects.filter(og=essms.og, metier=Metier.PARTENAIRE).update(
        can_read=True, can_write=True, can_validate=True
    )
    return raw


def operations():
    """(path, method, operation) of every operation of the schema."""
    found = []
    for result in schema.get_all_operations():
        operation = result.ok()
        found.append((operation.path, operation.method.upper(), operation))
    return found


def route(path: str) -> str:
    """The first segment after /api/v1/: "appointments" for /api/v1/appointments/{id}/cancel/."""
    return path.removeprefix("/api/v1/").split("/")[0]


class World:
    """ESSMS A (an IME: every feature applies, Creton included) and two outsiders with their tokens."""

    def __init__(self, og):
        today = timezone.localdate()
        self.essms_a = EssmsFactory(og=og, name="IME Les Peupliers", kind=EssmsKind.IME)
        self.sibling = EssmsFactory(og=og, name="EHPAD Les Cèdres", kind=EssmsKind.EHPAD)
        self.foreign = EssmsFactory(og=OrganismeGestionnaireFactory(name="Fondation Autre"), name="MAS Ailleurs")
        self.unit = UnitFactory(essms=self.essms_a, name="Groupe Horizon")
        secretary = professional(self.essms_a, Metier.SECRETAIRE_MEDICALE)
        director = professional(self.essms_a, Metier.DIRECTION)
        # A young adult kept under the amendement Creton, admitted, with an appointment,
        # a contact, a document and a CDAPH decision.
        self.usager = UsagerFactory(
            essms=self.essms_a, birth_name="LEFEBVRE", first_names="Marthe", birth_date=datetime.date(2004, 3, 1)
        )
        self.sejour = sejour_open_pre_admission(
            secretary, usager=self.usager, first_contact_on=today - datetime.timedelta(days=400)
        )
        sejour_admit(
            secretary,
            sejour=self.sejour,
            admitted_on=today - datetime.timedelta(days=380),
            contract_signed_on=today - datetime.timedelta(days=380),
            unit=self.unit,
            modality=Modality.HEBERGEMENT_PERMANENT,
            room="7",
        )
        self.appointment = appointment_create(
            secretary,
            usager=self.usager,
            starts_at=timezone.now() + datetime.timedelta(days=2),
            title="Consultation de neurologie",
        )
        self.contact = contact_add(secretary, usager=self.usager, role="famille", last_name="LEFEBVRE")
        self.document = document_upload(
            secretary,
            usager=self.usager,
            document_class_code="cr_consultation",
            title="Compte rendu de neurologie",
            document_date=today,
            file=SimpleUploadedFile("cr.pdf", TINY_PDF, content_type="application/pdf"),
        )
        self.creton = creton_decision_record(
            director,
            usager=self.usager,
            decided_on=today - datetime.timedelta(days=30),
            valid_until=today + datetime.timedelta(days=335),
        )
        # A fall, readable by every professional (the partner's level).
        self.event = event_record_fall(
            professional(self.essms_a, Metier.IDE),
            usager=self.usager,
            occurred_at=timezone.now() - datetime.timedelta(hours=2),
            place="Salle d'activités",
            visibility="all",
        )
        self.evaluation = evaluation_record(
            professional(self.essms_a, Metier.IDE), usager=self.usager, grid="en", answers={"intensite": 3}
        )
        # A second person of A without any séjour: the target of the creates.
        self.target = UsagerFactory(
            essms=self.essms_a, birth_name="MOREAU", first_names="Paul", birth_date=datetime.date(2003, 9, 14)
        )
        # Plan de soins: an item of the catalogue scheduled for the person and one occurrence to validate.
        self.care_item, self.care_occurrence = isolation_objects(self.usager)
        self.dlu = dlu_generate(professional(self.essms_a, Metier.IDE), usager=self.usager)
        self.transmission = transmission_create(
            professional(self.essms_a, Metier.EDUCATEUR),
            usager=self.usager,
            free_cible="Atelier cuisine",
            donnees="A participé avec plaisir.",
            observed_at=timezone.now(),
        )
        # A projet personnalisé of the admitted person (version 1 with its content), and another admitted
        # person without a project: the target of the project create.
        self.projet = project_with_content(professional(self.essms_a, Metier.EDUCATEUR), self.usager)
        self.ppa_version = self.projet.versions.get()
        self.ppa_target = admitted(self.essms_a, days_ago=100, unit=self.unit, birth_name="ROBIN")
        self.token_a = partner_token(self.essms_a, "Logiciel éducatif")
        # Prescribing is a médecin's act: a prescription software of A whose account is a médecin.
        self.token_a_medecin = role_token(self.essms_a, "Logiciel de prescription", Metier.MEDECIN)
        self.line = prescription_create(
            professional(self.essms_a, Metier.MEDECIN), self.usager, drug="Lévétiracétam", dose="500 mg",
            route="orale", times=["08:00", "20:00"], starts_on=today,
        )  # fmt: skip
        # An activity session of A the admitted person attended, and a coming one to register to.
        self.activity, self.activity_session, self.registration = activity_objects(self.usager, "Atelier cuisine")
        self.coming_session = activity_session(
            self.activity, by=self.activity.created_by, starts_at=timezone.now() + datetime.timedelta(days=1)
        )
        self.token_sibling = partner_token(self.sibling, "Logiciel de soins")
        self.token_foreign = partner_token(self.foreign, "Logiciel externe")
        # A message and a technical request of A's partner account: its own, so A's token reads them.
        partner = Membership.objects.select_related("user").get(essms=self.essms_a, metier=Metier.PARTENAIRE)
        partner.user.membership = partner
        self.message = message_send(partner.user, subject="Export", body="Fait.", users=[director.pk])
        self.maintenance = maintenance_request_create(
            partner.user, place="Salle serveur", category="informatique", description="Onduleur."
        )
        self.delivery = Delivery.objects.create(
            essms=self.essms_a, usager=self.usager, document=self.document, version=self.document.versions.get(),
            connector="dmp", cause="manual", state="dead", created_by=partner.user,
        )  # fmt: skip
        self.inbox_item = inbox_receive(self.essms_a, cr_message(family="FUZZ"), source="imap")

    def detail_ids(self) -> dict[str, int]:
        """The object of ESSMS A named by each detail route, by the route's first segment."""
        return {
            "appointments": self.appointment.pk,
            "contacts": self.contact.pk,
            "creton-decisions": self.creton.pk,
            "documents": self.document.pk,
            "events": self.event.pk,
            "prescription-lines": self.line.pk,
            "medication-charts": self.usager.pk,
            "evaluations": self.evaluation.pk,
            "sejours": self.sejour.pk,
            "transmissions": self.transmission.pk,
            "synthese": self.usager.pk,
            "units": self.unit.pk,
            "usagers": self.usager.pk,
            "usagers-bandeau": self.usager.pk,
            "usagers-indicateurs": self.usager.pk,
            "ppa-projects": self.projet.pk,
            "ppa-versions": self.ppa_version.pk,
            "messages": self.message.pk,
            "maintenance-requests": self.maintenance.pk,
            "care-plan-items": self.care_item.pk,
            "care-occurrences": self.care_occurrence.pk,
            "activities": self.activity.pk,
            "activity-sessions": self.activity_session.pk,
            "activity-registrations": self.registration.pk,
            "dlu-versions": self.dlu.pk,
            "deliveries": self.delivery.pk,
            "inbox": self.inbox_item.pk,
        }

    def object_id(self, path: str) -> int:
        """The id of ESSMS A's object for a detail path; a new route must add its object above."""
        ids = self.detail_ids()
        assert route(path) in ids, f"{path} : ajoutez un objet de l'ESSMS A dans World.detail_ids"
        return ids[route(path)]

    def create_bodies(self) -> dict[str, dict]:
        """A valid body for each create naming a dossier: accepted with A's token."""
        today = timezone.localdate()
        target = self.target.pk
        return {
            "/api/v1/allergies/": {
                "usager": target,
                "substance": "Pénicilline",
                "substance_class": coded_allergy()["substance_class"].pk,
                "severity": "severe",
            },
            "/api/v1/allergies/none-known/": {"usager": self.usager.pk},
            "/api/v1/antecedents/": {"usager": target, "label": "Épilepsie"},
            "/api/v1/appointments/": {
                "usager": target,
                "starts_at": (timezone.now() + datetime.timedelta(days=3)).isoformat(),
                "title": "Dentiste",
            },
            "/api/v1/contacts/": {"usager": target, "role": "famille", "last_name": "MOREAU"},
            "/api/v1/creton-decisions/": {
                "usager": target,
                "decided_on": (today - datetime.timedelta(days=10)).isoformat(),
                "valid_until": (today + datetime.timedelta(days=355)).isoformat(),
            },
            "/api/v1/documents/": {
                "usager": target,
                "document_class": "cr_consultation",
                "title": "Bilan",
                "document_date": today.isoformat(),
            },
            "/api/v1/events/": {
                "usager": target,
                "kind": "chute",
                "occurred_at": (timezone.now() - datetime.timedelta(hours=1)).isoformat(),
                "place": "Hall",
                "visibility": "all",
            },
            "/api/v1/sejours/": {
                "usager": target,
                "first_contact_on": (today - datetime.timedelta(days=5)).isoformat(),
            },
            "/api/v1/traitements/": {"usager": target, "line": "Lévétiracétam 500 mg matin et soir"},
            "/api/v1/care-plan-items/": {
                "usager": target,
                "action": self.care_item.action_id,
                "poste": "jour",
                "time": "10:00",
                "starts_on": today.isoformat(),
            },
            "/api/v1/prescription-lines/": {
                "usager": target,
                "drug": "Paracétamol",
                "dose": "1 g",
                "route": "orale",
                "times": ["08:00", "20:00"],
                "starts_on": today.isoformat(),
            },
            "/api/v1/evaluations/": {"usager": target, "grid": "en", "answers": {"intensite": 5}},
            "/api/v1/hydration-targets/": {"usager": target, "daily_ml": 1400},
            "/api/v1/ppa-projects/": {"usager": self.ppa_target.pk},
            "/api/v1/activity-registrations/": {"session": self.coming_session.pk, "usager": self.usager.pk},
            "/api/v1/transmissions/": {
                "usager": target,
                "narrative": "Arrivée calme, a visité le groupe.",
                "observed_at": timezone.now().isoformat(),
            },
        }

    def rows_of_a(self) -> dict[str, int]:
        """Rows of every dossier table (models with `essms` and `usager`) in ESSMS A."""
        counts = {}
        for model in apps.get_models():
            names = {field.name for field in model._meta.get_fields()}
            if {"essms", "usager"} <= names and model._meta.get_field("usager").is_relation:
                counts[model._meta.label] = model.objects.filter(essms=self.essms_a).count()
        return counts


# Creates whose object lands in the token's own ESSMS: no dossier named, nothing of A to reach.
OWN_SCOPE_CREATES = {
    "/api/v1/usagers/", "/api/v1/messages/", "/api/v1/maintenance-requests/", "/api/v1/activities/",
    "/api/v1/activity-sessions/",
}  # fmt: skip
# Creates that only a métier may make (a legal role, beyond the matrix): accepted with that token of A.
# Reads of a class the partner account may not read: a software of A acting as a médecin reads them.
ROLE_READS = {"/api/v1/usagers/{id}/dlu/": "token_a_medecin", "/api/v1/dlu-versions/{id}/pdf/": "token_a_medecin"}
ROLE_CREATES = {"/api/v1/prescription-lines/": "token_a_medecin", "/api/v1/hydration-targets/": "token_a_medecin"}


def role_token(essms, name: str, metier: str) -> str:
    """A token of `essms` whose account holds `metier` (e.g. a prescription software for a médecin)."""
    _token, raw = api_token_create(essms_finess=essms.finess, name=name, scopes=every_scope(), metier=metier)
    return raw


@pytest.fixture
def world(og):
    return World(og)


@contextlib.contextmanager
def connection_kept_open():
    """As Django's test client does: the app must not close the test's connection after a request.

    (The test client reconnects the signals after each of its own requests: hence around each call.)
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


# Path parameters that name no object (an indicator code): the value every walk uses.
PATH_VALUES = {"code": "active_file"}


def call(operation, token, *, path_parameters=None, query=None, body=None):
    """One request through the WSGI app, with a JSON body if given."""
    kwargs = {"body": body, "media_type": "application/json"} if body is not None else {}
    named = {key: value for key, value in PATH_VALUES.items() if f"{{{key}}}" in operation.path}
    case = operation.Case(path_parameters=named | (path_parameters or {}), query=query or {}, **kwargs)
    with connection_kept_open():
        return case, case.call(headers=bearer(token))


def post_document(client, token, body):
    """The documents create is multipart with a real file: sent by Django's test client."""
    data = {**body, "file": SimpleUploadedFile("bilan.pdf", TINY_PDF, content_type="application/pdf")}
    extra = {"HTTP_AUTHORIZATION": f"Bearer {token}", "HTTP_X_FORWARDED_PROTO": "https"}
    return client.post("/api/v1/documents/", data, **extra)


def test_schema_lists_every_api_route():
    assert len(operations()) >= 40
    assert all(path.startswith("/api/v1/") for path, _method, _op in operations())


# --- Fuzzing with A's token ---------------------------------------------------------------------


@pytest.fixture
def token_a(world):
    return world.token_a


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=DERANDOMIZE,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.function_scoped_fixture],
)
def test_fuzz_with_a_partner_token(case, token_a):
    with connection_kept_open():
        case.call_and_validate(headers=bearer(token_a), checks=CHECKS)


# --- Outsiders ----------------------------------------------------------------------------------


def test_no_token_is_401_everywhere(world):
    for path, method, operation in operations():
        params = {"id": world.object_id(path)} if "{id}" in path else None
        _case, response = call(operation, None, path_parameters=params)
        assert response.status_code == 401, f"{method} {path} : {response.status_code}"
        assert "Bearer" in response.headers.get("www-authenticate", [""])[0]


@pytest.mark.parametrize("outsider", ["token_sibling", "token_foreign"])
def test_objects_of_another_essms_are_404(world, outsider):
    token = getattr(world, outsider)
    detail = [(path, method, op) for path, method, op in operations() if "{id}" in path]
    assert detail
    before = world.rows_of_a()
    for path, method, operation in detail:
        body = {} if method in {"POST", "PATCH"} else None
        _case, response = call(operation, token, path_parameters={"id": world.object_id(path)}, body=body)
        assert response.status_code == 404, f"{method} {path} ({outsider}) : {response.status_code} {response.text}"
        assert not any(name in response.text for name in NAMES_A)
    assert world.rows_of_a() == before


@pytest.mark.parametrize("outsider", ["token_sibling", "token_foreign"])
def test_lists_of_another_essms_show_nothing_of_a(world, outsider):
    token = getattr(world, outsider)
    lists = [(path, op) for path, method, op in operations() if method == "GET" and "{id}" not in path]
    assert lists
    for path, operation in lists:
        names = {parameter.name for parameter in operation.query}
        query = {"usager": world.usager.pk} if "usager" in names else None
        _case, response = call(operation, token, query=query)
        assert response.status_code in (200, 400, 404), f"GET {path} : {response.status_code}"
        assert not any(name in response.text for name in NAMES_A), f"GET {path} montre un dossier de l'ESSMS A"
        if response.status_code == 200 and query:
            assert response.json()["results"] == [], f"GET {path}?usager= d'un autre ESSMS"


@pytest.mark.parametrize("outsider", ["token_sibling", "token_foreign"])
def test_creates_naming_a_dossier_of_another_essms_write_nothing(client, world, outsider):
    token = getattr(world, outsider)
    bodies = world.create_bodies()
    creates = [(path, op) for path, method, op in operations() if method == "POST" and "{id}" not in path]
    assert creates
    for path, operation in creates:
        if path in OWN_SCOPE_CREATES:
            continue
        assert path in bodies, f"POST {path} : ajoutez un corps valide dans World.create_bodies"
        body = bodies[path]
        before = world.rows_of_a()
        if path == "/api/v1/documents/":
            refused, accepted = post_document(client, token, body), None
        else:
            _case, refused = call(operation, token, body=body)
        assert refused.status_code in (400, 404), f"POST {path} ({outsider}) : {refused.status_code}"
        assert not any(name in refused.content.decode() for name in NAMES_A)
        assert world.rows_of_a() == before, f"POST {path} ({outsider}) a écrit dans l'ESSMS A"
        # The same body is valid: A's own token creates the row.
        if path == "/api/v1/documents/":
            accepted = post_document(client, world.token_a, body)
        else:
            case, accepted = call(operation, getattr(world, ROLE_CREATES.get(path, "token_a")), body=body)
            case.validate_response(accepted, checks=CHECKS)
        assert accepted.status_code == 201, f"POST {path} (ESSMS A) : {accepted.status_code} {accepted.content!r}"
        assert sum(world.rows_of_a().values()) > sum(before.values())


def test_objects_of_a_are_served_to_a_as_documented(world):
    """The detail reads that the outsiders get as 404 answer 200 to A, matching the schema."""
    for path, method, operation in operations():
        if method != "GET" or "{id}" not in path:
            continue
        token = getattr(world, ROLE_READS.get(path, "token_a"))
        case, response = call(operation, token, path_parameters={"id": world.object_id(path)})
        assert response.status_code == 200, f"GET {path} : {response.status_code} {response.text}"
        case.validate_response(response, checks=CHECKS)
