"""Demo portal (EHPAD): the daughter of the first résidente has an account (famille.martin) that sees
her planning, activities, one shared document, the team's family news and messages; the coming
outing is open to family registrations. Idempotent: the account by username, the rest through it."""

import datetime

from django.utils import timezone

from activities.models import ActivitySession
from demo.seed.tenancy import DEMO_PASSWORD
from demo.seed.ward import _acting
from dui.actor import Actor
from dui.models import Channel, Contact, ContactRole, EssmsKind, Sejour, SejourStatus, Usager, User
from portal import selectors, services
from portal.models import GivenBy, Relation, SharedDocument
from transmissions.services.transmissions import transmission_create

USERNAME = "famille.martin"
FLAGS = {flag: True for flag in ("sees_planning", "sees_activities", "sees_documents", "sees_transmissions",
                                 "sees_messages")}  # fmt: skip


def _person(essms) -> Usager | None:
    in_progress = Sejour.objects.filter(essms=essms, status=SejourStatus.ACTIVE).values("usager_id")
    return Usager.objects.filter(essms=essms, archived_at__isnull=True, pk__in=in_progress).order_by("pk").first()


def seed(essms, users: dict) -> int:
    if essms.kind != EssmsKind.EHPAD or User.objects.filter(username=USERNAME).exists():
        return 0
    cadre = _acting(users, essms, "ehpad", ("cadre_sante",))
    ide = _acting(users, essms, "ehpad", ("ide",))
    person = _person(essms)
    if cadre is None or ide is None or person is None:
        return 0
    contact = Contact.objects.filter(usager=person, role=ContactRole.FAMILLE, ended_at__isnull=True).first()
    if contact is None:
        contact = Contact.objects.create(
            essms=essms, usager=person, role=ContactRole.FAMILLE, last_name="Martin", first_name="Claire",
            relationship="fille", email="claire.martin@example.org",
        )  # fmt: skip
    if selectors.current_consent(person) is None:
        services.consent_record(
            cadre, usager=person, given_by=GivenBy.PERSON, given_on=timezone.localdate() - datetime.timedelta(days=10)
        )
    _, token = services.invitation_create(cadre, usager=person, relation=Relation.RELATIVE, contact=contact,
                                          flags=FLAGS)  # fmt: skip
    account = services.invitation_accept(
        None, token=token, username=USERNAME, password=DEMO_PASSWORD, password_again=DEMO_PASSWORD
    )
    access = account.accesses.get()
    document = person.documents.order_by("pk").first()
    if document is not None and not SharedDocument.objects.filter(document=document).exists():
        services.document_share(cadre, usager=person, document=document, shared=True)
    transmission_create(
        ide, usager=person, free_cible="Vie sociale", observed_at=timezone.now() - datetime.timedelta(hours=3),
        narrative="A participé au loto avec plaisir et a gagné une partie.", family_visible=True,
    )  # fmt: skip
    relative = Actor(user=account.user, channel=Channel.PORTAL)
    services.message_from_relative(relative, access=access, body="Bonjour, maman a-t-elle bien reçu son colis ?")
    services.message_from_team(cadre, access=access, body="Bonjour, oui, elle l'a ouvert ce matin avec plaisir.")
    outing = ActivitySession.objects.filter(essms=essms, starts_at__gt=timezone.now()).order_by("starts_at").first()
    if outing is not None:
        ActivitySession.objects.filter(pk=outing.pk).update(open_to_families=True)
    return 1
