"""Portal benchmarks (issue 17): the home page of a relative of a person with a year of data.

The relative (consent, invitation, account) is made by `setup` for the fixture's dossier, with
every section visible and a dozen of its documents shared: the page then reads the appointments,
activities, shared documents, family news and unread messages of that person.
"""

from django.test import Client
from django.urls import reverse

from bench.core import Benchmark, Fixture

ISSUE_17 = "issue 17 (portail)"
USERNAME = "bench.proche"
PASSWORD = "Bench-Portail-2026!"  # noqa: S105  (a generated bench account)
SHARED_DOCUMENTS = 12

# The family news of the person (what the page's largest section reads), by hand.
FAMILY_NEWS_SQL = """
SELECT t.id, t.observed_at, t.free_cible, t.donnees, t.actions, t.resultats, t.narrative
FROM transmissions_transmission t
WHERE t.essms_id = %s AND t.usager_id = %s AND t.family_visible AND t.is_current
ORDER BY t.observed_at DESC, t.id DESC
LIMIT 10
"""


def relative_ready(fixture: Fixture):
    """The fixture's dossier with a relative who sees everything (made once per database)."""
    from dui.actor import Actor
    from dui.models import Contact, ContactRole, User
    from portal import selectors, services
    from portal.models import GivenBy, Relation, SharedDocument, Visibility

    user = User.objects.filter(username=USERNAME).first()
    if user is not None:
        return user
    cadre = fixture.acting("cadre_sante")[0]
    cadre.membership = fixture.acting("cadre_sante")[1]
    usager = fixture.usager
    if selectors.current_consent(usager) is None:
        services.consent_record(cadre, usager=usager, given_by=GivenBy.PERSON, given_on=fixture.today)
    contact = Contact.objects.create(essms=fixture.essms, usager=usager, role=ContactRole.FAMILLE,
                                     last_name="Banc", first_name="Claire")  # fmt: skip
    _, token = services.invitation_create(cadre, usager=usager, relation=Relation.RELATIVE, contact=contact,
                                          flags=dict.fromkeys(Visibility.FLAGS, True))  # fmt: skip
    account = services.invitation_accept(
        Actor(user=None), token=token, username=USERNAME, password=PASSWORD, password_again=PASSWORD
    )
    for document in usager.documents.order_by("-document_date")[:SHARED_DOCUMENTS]:
        if not SharedDocument.objects.filter(document=document).exists():
            services.document_share(cadre, usager=usager, document=document, shared=True)
    return account.user


def relative_client(fixture: Fixture) -> tuple[Client, str]:
    client = Client()
    client.force_login(relative_ready(fixture))
    return client, f"{USERNAME} (proche, portail)"


PORTAL_BENCHMARKS: list[Benchmark] = [
    Benchmark(
        name="Portail : accueil d'un proche (GET /portail/)",
        path=lambda f: reverse("portal-home"),
        floor_sql=FAMILY_NEWS_SQL,
        floor_params=lambda f: [f.essms.pk, f.usager.pk],
        target_ms=150,
        target_source=ISSUE_17,
        client=relative_client,
        analyze=("dui_accesslog",),
    ),
]
