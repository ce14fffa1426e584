"""The UI shell: home page, ESSMS switcher, navigation and health check."""

from dataclasses import dataclass

import redis
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from dui import selectors
from dui.actor import actor_of, user_of
from dui.catalogue import READ
from dui.middleware import SESSION_KEY
from dui.permissions import active_membership, can
from dui.providers import login_providers
from dui.rpps import idnat_ps


@dataclass(frozen=True)
class NavLink:
    label: str
    url_name: str
    description: str
    # Document class the user needs `action` on; None: every logged-in user.
    needs: str | None = None
    action: str = READ


NAV_LINKS: tuple[NavLink, ...] = (
    NavLink("File active", "active-file", "Les personnes accompagnées, par unité, avec leur chambre.", "sejours"),
    NavLink("Usagers", "usager-list", "Rechercher et consulter les dossiers des usagers.", "identite"),
    NavLink("Transmissions", "transmission-feed", "Lire et écrire les transmissions ciblées.", "transmissions"),
    NavLink("Événements", "event-list", "Chutes, crises d'épilepsie, incidents ; relevés PDF et CSV.", "evenements"),
    NavLink("Relève de poste", "handover", "Ce qui s'est passé depuis le poste précédent, par unité.", "transmissions"),
    NavLink("Soins du poste", "worklist", "Liste de soins de l'unité à valider, même sans réseau.", "plan_soins"),
    NavLink("Soins en retard", "worklist-late", "Soins en retard ou manqués, par unité.", "plan_soins", "validate"),
    NavLink("Mode dégradé", "continuity", "DUI en panne : que faire, où sont les plans.", "plan_continuite"),
    NavLink("Échéances PPA", "ppa-alerts", "Projets personnalisés à faire ou à réviser ; indicateurs.", "ppa"),
    NavLink("Planning du jour", "planning-day", "Rendez-vous et transports du jour, par unité.", "rendez_vous"),
    NavLink("Activités", "activity-programme", "Séances du jour, présences et satisfaction.", "programme_activites"),
    NavLink("Admissions", "admission-list", "Demandes d'admission, liste d'attente.", "demandes_admission"),
    NavLink("Alertes Creton", "creton-alerts", "Décisions Amendement Creton à renouveler.", "amendement_creton"),
    NavLink("Envois", "deliveries", "Documents partis au DMP et par MSSanté.", "cr_hospitalisation"),
    NavLink("Courrier à rapprocher", "inbox-queue", "Comptes rendus reçus par MSSanté.", "cr_hospitalisation", "write"),
    NavLink("Pilotage", "pilotage-board", "Indicateurs, tableaux de bord, rapport annuel.", "tableaux_de_bord"),
    NavLink("Journal des accès", "audit-log", "Qui a consulté ou modifié quoi, et quand.", "journal_acces"),
    NavLink("Habilitations", "habilitation-matrix", "Droits par métier et par classe de document.", "habilitations"),
    NavLink(
        "Accès exceptionnels",
        "grant-list",
        "Ouvrir un dossier à un professionnel d'un autre établissement, pour un temps limité.",
        "identite",
        "validate",
    ),
    NavLink("Jetons d'API", "api-token-list", "Logiciels partenaires : portées, révocation.", "habilitations", "write"),
    NavLink("Messages", "message-inbox", "Messages internes et notes de service."),
    NavLink("Demandes techniques", "maintenance-list", "Signaler un problème technique et suivre la demande."),
    NavLink("Mot de passe", "password_change", "Changer votre mot de passe."),
)


# Menu sections, by route name; a route listed nowhere goes to the last section ("Autres").
NAV_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "Au quotidien",
        ("transmission-feed", "handover", "event-list", "planning-day", "activity-programme", "message-inbox"),
    ),
    (
        "Usagers",
        (
            "active-file",
            "usager-list",
            "admission-list",
            "ppa-alerts",
            "creton-alerts",
            "grant-list",
            "inbox-queue",
            "deliveries",
        ),
    ),
    ("Soins", ("worklist", "worklist-late", "continuity")),
    (
        "Pilotage & admin",
        ("pilotage-board", "audit-log", "habilitation-matrix", "api-token-list", "maintenance-list", "password_change"),
    ),
)
OTHER_GROUP = "Autres"


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    description: str
    is_section: bool


def navigation(actor) -> list[NavItem]:
    """The sections this user may open, in menu order; routes not installed are skipped."""
    if not getattr(user_of(actor), "is_authenticated", False):
        return []
    has_membership = active_membership(actor) is not None
    items = []
    for link in NAV_LINKS:
        if link.needs is not None and not (has_membership and can(actor, link.action, link.needs)):
            continue
        try:
            url = reverse(link.url_name)
        except NoReverseMatch:
            continue
        items.append(NavItem(link.label, url, link.description, is_section=link.needs is not None))
    return items


@dataclass(frozen=True)
class NavGroup:
    label: str
    items: list[NavItem]
    current: NavItem | None


def current_item(items: list[NavItem], path: str) -> NavItem | None:
    """The one item the page belongs to: the longest URL prefix of the path (never two)."""
    matches = [item for item in items if path.startswith(item.url)]
    return max(matches, key=lambda item: len(item.url), default=None)


def grouped_navigation(actor, path: str) -> list[NavGroup]:
    """`navigation(actor)` in the sections of NAV_GROUPS, empty sections dropped."""
    items = navigation(actor)
    current = current_item(items, path)
    group_of = {}
    for label, names in NAV_GROUPS:
        for name in names:
            try:
                group_of[reverse(name)] = label
            except NoReverseMatch:
                continue
    by_group: dict[str, list[NavItem]] = {label: [] for label, _ in NAV_GROUPS}
    for item in items:
        by_group.setdefault(group_of.get(item.url, OTHER_GROUP), []).append(item)
    return [
        NavGroup(label, group_items, current if current in group_items else None)
        for label, group_items in by_group.items()
        if group_items
    ]


class LoginView(auth_views.LoginView):
    """The password login, with the other configured ways in (Pro Santé Connect) beside it."""

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"login_providers": login_providers()}


@login_required
def home(request):
    actor = actor_of(request)
    membership = active_membership(actor)
    if membership is None:
        return render(request, "dui/no_membership.html", status=403)
    sections = navigation(actor)
    context = {
        "membership": membership,
        "sections": sections,
        "has_sections": any(item.is_section for item in sections),
    }
    return render(request, "dui/home.html", context)


@login_required
def my_account(request):
    """The professional's own account: identity, RPPS (as Pro Santé Connect and documents use it), memberships."""
    user = request.user
    context = {
        "account": user,
        "idnat_ps": idnat_ps(user.rpps) if user.rpps else "",
        "memberships": getattr(user, "current_memberships", []),
    }
    return render(request, "dui/my_account.html", context)


@require_POST
@login_required
def switch_essms(request, membership_id: int):
    """Make another of the user's own active memberships the active one (404 for any other)."""
    membership = selectors.membership_of(actor_of(request), membership_id)
    request.session[SESSION_KEY] = membership.pk
    messages.success(request, f"Établissement actif : {membership.essms.name} ({membership.get_metier_display()}).")
    return redirect("home")


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return "error"
    return "ok"


def broker_status() -> str:
    url = getattr(settings, "REDIS_URL", "")
    if not url:
        return "eager"
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        try:
            client.ping()
        finally:
            client.close()
    except Exception:
        return "error"
    return "ok"


@never_cache
@require_GET
def healthz(request):
    database = database_status()
    broker = broker_status()
    healthy = database == "ok" and broker in {"ok", "eager"}
    return JsonResponse(
        {"status": "ok" if healthy else "degraded", "database": database, "broker": broker},
        status=200 if healthy else 503,
    )
